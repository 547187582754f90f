"""Enquiry.place_country: the site's country when a site is given, else the contact's,
kept by triggers so that every writer (intake, edits, merges, bulk updates, COPY) keeps it
right; reports read it from their index instead of joining each enquiry's contact
(docs/benchmarks.md, "Reports"). Existing rows are filled here."""

from django.conf import settings
from django.db import migrations, models

POSTGRES = [
    """
    CREATE FUNCTION enquiry_place_country() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.place_country := COALESCE(
            NULLIF(NEW.site_country, ''),
            (SELECT country FROM contacts_contact WHERE id = NEW.contact_id),
            ''
        );
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER enquiry_place_country BEFORE INSERT OR UPDATE OF site_country, contact_id
    ON enquiries_enquiry FOR EACH ROW EXECUTE FUNCTION enquiry_place_country()
    """,
    """
    CREATE FUNCTION contact_place_country() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE enquiries_enquiry SET place_country = NEW.country
        WHERE contact_id = NEW.id AND site_country = '' AND place_country <> NEW.country;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER contact_place_country AFTER UPDATE OF country ON contacts_contact
    FOR EACH ROW WHEN (OLD.country IS DISTINCT FROM NEW.country)
    EXECUTE FUNCTION contact_place_country()
    """,
]
POSTGRES_BACK = [
    "DROP TRIGGER IF EXISTS enquiry_place_country ON enquiries_enquiry",
    "DROP FUNCTION IF EXISTS enquiry_place_country()",
    "DROP TRIGGER IF EXISTS contact_place_country ON contacts_contact",
    "DROP FUNCTION IF EXISTS contact_place_country()",
]
# SQLite's triggers cannot change NEW: they set the column right after the row's write.
_SQLITE_SET = """
    UPDATE enquiries_enquiry SET place_country = COALESCE(
        NULLIF(NEW.site_country, ''),
        (SELECT country FROM contacts_contact WHERE id = NEW.contact_id),
        ''
    ) WHERE id = NEW.id;
"""
SQLITE = [
    f"CREATE TRIGGER enquiry_place_country_ins AFTER INSERT ON enquiries_enquiry "
    f"BEGIN {_SQLITE_SET} END",
    f"CREATE TRIGGER enquiry_place_country_upd AFTER UPDATE OF site_country, contact_id "
    f"ON enquiries_enquiry BEGIN {_SQLITE_SET} END",
    """
    CREATE TRIGGER contact_place_country AFTER UPDATE OF country ON contacts_contact
    WHEN OLD.country IS NOT NEW.country BEGIN
        UPDATE enquiries_enquiry SET place_country = NEW.country
        WHERE contact_id = NEW.id AND site_country = '';
    END
    """,
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS enquiry_place_country_ins",
    "DROP TRIGGER IF EXISTS enquiry_place_country_upd",
    "DROP TRIGGER IF EXISTS contact_place_country",
]
FILL = """
    UPDATE enquiries_enquiry SET place_country = COALESCE(
        NULLIF(site_country, ''),
        (SELECT country FROM contacts_contact WHERE contacts_contact.id = contact_id),
        ''
    )
"""


def triggers(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES if postgres else SQLITE:
        schema_editor.execute(sql)
    schema_editor.execute(FILL)


def no_triggers(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES_BACK if postgres else SQLITE_BACK:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0004_contact_rows'),
        ('enquiries', '0015_done_list_indexes'),
        ('intake', '0003_channel_kinds_settings_rejections'),
        ('orgs', '0002_close_reasons'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='enquiry',
            name='enq_report_orig',
        ),
        migrations.AddField(
            model_name='enquiry',
            name='place_country',
            field=models.CharField(blank=True, default='', editable=False, max_length=2),
        ),
        migrations.RunPython(triggers, no_triggers, elidable=False),
        migrations.AddIndex(
            model_name='enquiry',
            index=models.Index(fields=['origin_brand', 'created_at'], include=('id', 'type', 'status', 'owner', 'channel', 'assigned_user', 'assigned_unit', 'quote_number', 'quote_amount', 'order_number', 'order_amount', 'appointment_place', 'place_country'), name='enq_report_orig'),
        ),
    ]
