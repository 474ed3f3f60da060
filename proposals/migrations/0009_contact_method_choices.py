"""ContactRecord.method becomes one of 见面 / 电话 / 座谈 / 书面 (converted in 0008)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0008_contact_first"),
    ]

    operations = [
        migrations.AlterField(
            model_name='contactrecord',
            name='method',
            field=models.CharField(choices=[('meet', '见面'), ('phone', '电话'), ('forum', '座谈'), ('written', '书面')], max_length=10, verbose_name='方式'),
        ),
    ]
