"""The enquiry's type on its search document (decision 0058), last in the indexes by
reader so that a walk or a bitmap of them checks it before reading the row.

The backfill runs in batches of enquiry ids, each its own transaction (the migration is
not atomic): a batch locks its documents for a moment, not the whole table for minutes,
and a run broken off is resumed by running it again. On a big table the documents are
rewritten: VACUUM ANALYZE search_searchdocument afterwards."""

from typing import Any

from django.db import migrations, models, transaction

BATCH = 50_000


def backfill(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cur:
        cur.execute("SELECT min(enquiry_id), max(enquiry_id) FROM search_searchdocument")
        low, high = cur.fetchone()
    if low is None:
        return
    for start in range(low, high + 1, BATCH):
        with transaction.atomic(using=connection.alias), connection.cursor() as cur:
            cur.execute(
                "UPDATE search_searchdocument SET type = e.type FROM enquiries_enquiry e "
                "WHERE e.id = search_searchdocument.enquiry_id "
                "AND search_searchdocument.enquiry_id >= %s "
                "AND search_searchdocument.enquiry_id < %s "
                "AND search_searchdocument.type <> e.type",
                [start, start + BATCH],
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0002_newest_by_reader"),
    ]

    operations = [
        # Dropped first, so that the backfill does not update them; built again after it.
        migrations.RemoveIndex(model_name="searchdocument", name="search_owner_newest"),
        migrations.RemoveIndex(model_name="searchdocument", name="search_follower_newest"),
        migrations.AddField(
            model_name="searchdocument",
            name="type",
            field=models.CharField(default="", max_length=16),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                fields=["owner", "-created_at", "-enquiry", "type"], name="search_owner_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                condition=models.Q(("follower__isnull", False)),
                fields=["follower", "-created_at", "-enquiry", "type"],
                name="search_follower_newest",
            ),
        ),
    ]
