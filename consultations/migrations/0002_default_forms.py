from django.db import migrations

CONSULTATION_FORMS = [
    "全体会议",
    "专题议政性常委会会议",
    "专题协商会",
    "协商座谈会",
    "对口协商会",
    "界别协商",
    "提案办理协商会",
    "请你来商量",
    "网络议政",
]
SUPERVISION_FORMS = ["会议监督", "提案监督", "视察监督", "专项监督", "委员问政", "网络议政", "微监督"]


def add_forms(apps, schema_editor):
    ConsultationForm = apps.get_model("consultations", "ConsultationForm")
    SupervisionForm = apps.get_model("consultations", "SupervisionForm")
    for order, name in enumerate(CONSULTATION_FORMS):
        ConsultationForm.objects.get_or_create(name=name, defaults={"order": order})
    for order, name in enumerate(SUPERVISION_FORMS):
        SupervisionForm.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(add_forms, migrations.RunPython.noop)]
