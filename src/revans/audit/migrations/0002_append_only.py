"""The database refuses to change or delete an audit event, whoever asks (the model refuses in
Python too). PostgreSQL: a trigger refusing UPDATE and DELETE; TRUNCATE, which Django's flush
and an operator's deliberate wipe use, is left to the table's owner. SQLite: a trigger refusing
UPDATE; a DELETE trigger would also refuse the whole-table DELETE that Django's flush uses on
SQLite (test teardown, `revans flush`), so there the model alone refuses deletion."""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'The audit log is append-only: events are never changed or deleted.';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]
SQLITE = [
    """
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'The audit log is append-only: events are never changed or deleted.');
    END
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_event_append_only"]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_events")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
