from django.db import migrations

from consultations.defaults import ensure_forms


def add_forms(apps, schema_editor):
    ensure_forms(apps.get_model("consultations", "ConsultationForm"), apps.get_model("consultations", "SupervisionForm"))


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(add_forms, migrations.RunPython.noop)]
