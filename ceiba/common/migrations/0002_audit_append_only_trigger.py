"""On PostgreSQL, refuse UPDATE and DELETE on audit events at the database level too.
(TRUNCATE, used only by test flushes and deliberate maintenance, is not a row operation.)
On SQLite the ORM refuses them and the hash chain detects anything done behind its back."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ceiba_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ceiba_audit_no_update BEFORE UPDATE OR DELETE ON common_auditevent
    FOR EACH ROW EXECUTE FUNCTION ceiba_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS ceiba_audit_no_update ON common_auditevent;
DROP FUNCTION IF EXISTS ceiba_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
