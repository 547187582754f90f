"""The search documents (E2); on PostgreSQL also unaccent, pg_trgm, one text search
configuration per language (each with unaccent first) and the search indexes."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

LANGUAGES = ("english", "french", "german", "italian", "portuguese", "spanish")
WORDS = "hword, hword_part, word"  # the token types with letters that may carry accents

VECTOR = (
    "(v_number || v_contact || v_site || v_responsible || v_notes || v_documents)"
)

FORWARD = [
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS leadhub_simple",
    "CREATE TEXT SEARCH CONFIGURATION leadhub_simple (COPY = pg_catalog.simple)",
    f"ALTER TEXT SEARCH CONFIGURATION leadhub_simple ALTER MAPPING FOR {WORDS} WITH unaccent, simple",
]
for lang in LANGUAGES:
    FORWARD += [
        f"DROP TEXT SEARCH CONFIGURATION IF EXISTS leadhub_{lang}",
        f"CREATE TEXT SEARCH CONFIGURATION leadhub_{lang} (COPY = pg_catalog.{lang})",
        f"ALTER TEXT SEARCH CONFIGURATION leadhub_{lang} ALTER MAPPING FOR {WORDS} "
        f"WITH unaccent, {lang}_stem",
    ]
FORWARD += [
    # Must be written exactly like this by queries that want it (search/postgres.py).
    f"CREATE INDEX search_vector ON search_searchdocument USING gin ({VECTOR})",
    "CREATE INDEX search_key_trgm ON search_searchdocument USING gin (key gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_key_trgm",
    "DROP INDEX IF EXISTS search_vector",
    *(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS leadhub_{lang}" for lang in LANGUAGES),
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS leadhub_simple",
]


def on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("enquiries", "0011_list_indexes"),
        ("orgs", "0002_close_reasons"),
        ("documents", "0001_initial"),
        ("assignment", "0001_initial"),
    ]

    operations = [
        # Both are IF NOT EXISTS and do nothing on SQLite; the duplicates check (D1) also
        # asks for pg_trgm.
        UnaccentExtension(),
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "enquiry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="enquiries.enquiry",
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("config", models.CharField(max_length=32)),
                ("number", models.CharField(max_length=16)),
                ("key", models.TextField()),
                ("contact", models.TextField()),
                ("site", models.TextField()),
                ("responsible", models.TextField()),
                ("notes", models.TextField()),
                ("documents", models.TextField()),
                ("follower_documents", models.TextField()),
                ("v_number", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("v_contact", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("v_site", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("v_responsible", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("v_notes", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("v_documents", django.contrib.postgres.search.SearchVectorField(null=True)),
                (
                    "v_follower_documents",
                    django.contrib.postgres.search.SearchVectorField(null=True),
                ),
                (
                    "follower",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.organisation",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.organisation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["owner", "-created_at"], name="search_owner_created"),
                    models.Index(fields=["-created_at"], name="search_created"),
                ],
            },
        ),
        migrations.RunPython(on_postgres(FORWARD), on_postgres(BACKWARD), elidable=False),
    ]
