"""A stretch of one type's documents by creation, for the bitmaps of a search with a type
filter (decision 0058)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_searchdocument_type"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["type", "-created_at"], name="search_type_created"),
        ),
    ]
