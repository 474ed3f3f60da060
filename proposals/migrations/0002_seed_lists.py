from django.db import migrations

from proposals.defaults import ensure_lists


def seed(apps, schema_editor):
    ensure_lists(apps.get_model("proposals", "ProposalCategory"), apps.get_model("proposals", "NonRegistrationReason"))


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
