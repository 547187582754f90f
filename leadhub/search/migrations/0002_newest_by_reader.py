"""Search documents newest first by reader (decision 0057): an owner's and a follower's,
each in the order results are ranked in (creation, then id), so that a search walks both
merged and stops early, or takes a bitmap of a stretch of them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="searchdocument",
            name="search_owner_created",
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                fields=["owner", "-created_at", "-enquiry"], name="search_owner_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                condition=models.Q(("follower__isnull", False)),
                fields=["follower", "-created_at", "-enquiry"],
                name="search_follower_newest",
            ),
        ),
    ]
