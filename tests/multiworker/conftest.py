"""The multi-worker tests start their own server processes on Redis (and PostgreSQL when
DATABASE_URL names it); without REDIS_URL they skip."""


def pytest_configure(config):
    # Registered here too, so --strict-markers accepts it before pyproject.toml names it.
    config.addinivalue_line(
        "markers", "multiworker: starts several server worker processes sharing Redis"
    )
