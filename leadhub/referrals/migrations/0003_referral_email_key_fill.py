# The duplicate check's e-mail key of the referrals stored before 0002 added it (decision
# 0046's provider rule). Apart from 0002, as routing 0003: no UPDATEs pending while
# PostgreSQL builds 0002's index. `leadhub check_duplicates --reindex` does the same.
from typing import Any

from django.db import migrations

from leadhub.duplicates.keys import email_key


def fill(apps: Any, schema_editor: Any) -> None:
    Referral = apps.get_model("referrals", "Referral")
    rows = list(Referral.objects.exclude(email="").only("pk", "email"))
    for r in rows:
        r.email_key = email_key(r.email)
    Referral.objects.bulk_update(rows, ["email_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_referral_email_key")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
