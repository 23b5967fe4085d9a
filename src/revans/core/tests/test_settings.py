"""Settings come from the environment and refuse bad values loudly."""

import importlib.util
import os
import re
import subprocess
import sys
import types

import pytest
from django.core.exceptions import ImproperlyConfigured

# Variables the settings read, and Django's own switch that a deployment must not have.
OURS = (
    "REVANS_",
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_",
    "TIME_ZONE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
GOOD_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"


def clean_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(OURS)}


def start_up(**env: str) -> subprocess.CompletedProcess:
    """A new process starting Django with ``env``: what it reports of its settings."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='revans.settings'; django.setup(); from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'], s.EMAIL_BACKEND, s.DEBUG)",
        ],
        env={**clean_environment(), "REVANS_DATA_DIR": "/tmp/revans-settings-test", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def settings_with(monkeypatch):
    """Runs the settings module afresh, in this process, with ``env`` as the whole of Revans'
    environment: a new module object, never the settings this test run uses. (A new process
    per case cost a second each; ``start_up`` keeps one real start-up.)"""

    def load(**env: str) -> types.ModuleType:
        for name in os.environ:
            if name.startswith(OURS):
                monkeypatch.delenv(name)
        for name, value in {"REVANS_DATA_DIR": "/tmp/revans-settings-test", **env}.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.find_spec("revans.settings")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REVANS_MODE": "production"}, "SECRET_KEY must be set"),
        ({"REVANS_MODE": "production", "SECRET_KEY": "short"}, "at least 50 characters"),
        ({"REVANS_MODE": "production", "SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS must name"),
        ({"REVANS_MODE": "staging"}, "REVANS_MODE must be one of"),
        (
            {"REVANS_MODE": "production", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "x"},
            "REVANS_SITE_URL must be",
        ),
        (
            {"REVANS_MODE": "demo", "REVANS_SITE_URL": "revans.example.org"},
            "must start with https://",
        ),
        (
            {"REVANS_MODE": "demo", "REVANS_TASKS": "celery"},
            "REVANS_TASKS must be immediate or database",
        ),
        (
            {
                "REVANS_MODE": "production",
                "REVANS_DEBUG": "1",
                "SECRET_KEY": GOOD_KEY,
                "ALLOWED_HOSTS": "x",
            },
            "only allowed with REVANS_MODE=debug",
        ),
        ({"REVANS_MODE": "demo", "REVANS_DEBUG": "perhaps"}, "must be true or false"),
        ({"REVANS_MODE": "demo", "REDIS_URL": "http://localhost"}, "REDIS_URL must start with"),
        (
            {"REVANS_MODE": "demo", "DATABASE_URL": "nonsense://x"},
            "DATABASE_URL is not a database URL",
        ),
        ({"REVANS_MODE": "demo", "TIME_ZONE": "Mars/Olympus"}, "not a known time zone"),
        (
            {"REVANS_MODE": "demo", "REVANS_MAX_REQUEST_KB": "16"},
            "REVANS_MAX_REQUEST_KB must be at least 64",
        ),
        (
            {"REVANS_MODE": "demo", "EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "smtp"},
            "EMAIL_PORT must be a whole number",
        ),
        ({"REVANS_MODE": "demo", "REVANS_SESSION_HOURS": "a day"}, "REVANS_SESSION_HOURS must be"),
        ({"REVANS_MODE": "demo", "REVANS_SESSION_HOURS": "0"}, "must be at least 1, not 0"),
        ({"REVANS_MODE": "demo", "REVANS_REQUIRE_2FA": "sometimes"}, "REVANS_REQUIRE_2FA must be"),
    ],
)
def test_bad_settings_stop_start_up_with_a_clear_message(settings_with, env, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        settings_with(**env)


def test_a_bad_setting_stops_a_real_start_up():
    result = start_up(REVANS_MODE="production")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_defaults_are_sqlite_in_memory_channels_and_console_email():
    result = start_up(REVANS_MODE="demo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "revans.core.layers.InMemoryChannelLayer",
        "django.core.mail.backends.console.EmailBackend",
        "False",
    ]


def test_postgres_redis_and_smtp_come_from_the_environment(settings_with):
    s = settings_with(
        REVANS_MODE="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="revans.example.org",
        REVANS_SITE_URL="https://revans.example.org",
        DATABASE_URL="postgres://revans@db.example.org/revans",
        REDIS_URL="redis://cache.example.org:6379/0",
        EMAIL_HOST="smtp.example.org",
    )
    assert s.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert s.CHANNEL_LAYERS["default"]["BACKEND"] == "revans.core.redis_layer.RedisChannelLayer"
    assert s.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert s.DEBUG is False


def test_two_factor_is_required_only_when_asked_and_the_policy_allows_the_sites_socket(
    settings_with,
):
    s = settings_with(
        REVANS_MODE="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="revans.example.org",
        REVANS_SITE_URL="https://revans.example.org",
        REVANS_REQUIRE_2FA="1",
    )
    assert s.REQUIRE_TWO_FACTOR is True
    directives = s.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["connect-src"] == ["'self'", "wss://revans.example.org"]
    assert directives["script-src"] == directives["style-src"] == ["'self'"]
    assert settings_with(REVANS_MODE="demo").REQUIRE_TWO_FACTOR is False


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(db):
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_deploy_checklist_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "-m", "revans", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **clean_environment(),
            "REVANS_MODE": "production",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "revans.example.org",
            "REVANS_SITE_URL": "https://revans.example.org",
            "REVANS_DATA_DIR": "/tmp/revans-settings-test",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_postgresql_connections_come_from_a_bounded_pool_per_worker(settings_with):
    pg = {"REVANS_MODE": "demo", "DATABASE_URL": "postgres://revans@db.example:5432/revans"}
    pooled = settings_with(**pg).DATABASES["default"]
    assert pooled["CONN_MAX_AGE"] == 0
    assert pooled["OPTIONS"]["pool"]["max_size"] == 10
    sized = settings_with(**pg, REVANS_DB_POOL_SIZE="4").DATABASES["default"]
    assert sized["OPTIONS"]["pool"]["max_size"] == 4
    unpooled = settings_with(**pg, REVANS_DB_POOL_SIZE="0").DATABASES["default"]
    assert "pool" not in unpooled.get("OPTIONS", {}) and unpooled["CONN_HEALTH_CHECKS"]
    assert unpooled["CONN_MAX_AGE"] == 0  # never a connection kept per thread


def test_the_redis_layer_outwaits_its_own_blocking_read(settings_with):
    redis = {"REVANS_MODE": "demo", "REDIS_URL": "redis://cache.example:6379/0"}
    layer = settings_with(**redis).CHANNEL_LAYERS["default"]
    (host,) = layer["CONFIG"]["hosts"]
    assert host["address"] == "redis://cache.example:6379/0"
    assert host["socket_timeout"] > 5  # channels-redis blocks for 5 s on every read


def test_sessions_end_after_hours_without_a_request(settings_with):
    assert settings_with(REVANS_MODE="demo").SESSION_COOKIE_AGE == 12 * 3600
    assert settings_with(REVANS_MODE="demo", REVANS_SESSION_HOURS="2").SESSION_COOKIE_AGE == 7200
