"""Drop the proposal list's own write version (0022): it is now the ``proposal_list`` version of
``cppcc_portal.writeversion``, put in place after every migrate by ``writeversion.install``.
Reversed, nothing comes back: the code of before finds no version and counts every time.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP FUNCTION IF EXISTS proposal_list_bump() CASCADE")  # and its triggers
    schema_editor.execute("DROP SEQUENCE IF EXISTS proposal_list_version")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0022_list_count_version")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]
