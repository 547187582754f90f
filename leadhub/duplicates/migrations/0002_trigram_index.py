"""PostgreSQL only: pg_trgm and btree_gin, and the fuzzy path's GIN index over the postal
code and the folded name (decision 0046). SQLite filters by postal code and compares in
Python instead."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX IF NOT EXISTS dup_name_trgm ON duplicates_contactname "
    "USING gin (postal_code, name gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS dup_name_trgm"]


def on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("duplicates", "0001_initial")]

    operations = [migrations.RunPython(on_postgres(FORWARD), on_postgres(BACKWARD), elidable=False)]
