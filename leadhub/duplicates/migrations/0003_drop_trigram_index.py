"""PostgreSQL only: drops 0002's GIN index over (postal_code, name gin_trgm_ops). The
lookup filters by similarity() over the postal code's btree rows, so no query used it,
and every name row written paid for it (decision 0052). The extensions stay: pg_trgm
gives similarity() (and search's index); btree_gin costs nothing unused."""

from django.db import migrations

FORWARD = ["DROP INDEX IF EXISTS dup_name_trgm"]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS dup_name_trgm ON duplicates_contactname "
    "USING gin (postal_code, name gin_trgm_ops)",
]


def on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("duplicates", "0002_trigram_index")]

    operations = [migrations.RunPython(on_postgres(FORWARD), on_postgres(BACKWARD), elidable=False)]
