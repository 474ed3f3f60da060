"""Drop the deadline board's and the statistics' own write versions (0006, 0007).

Both are now versions of ``cppcc_portal.writeversion`` (``deadline_board``, ``stats``), put in
place after every migrate by ``writeversion.install``. PostgreSQL: their sequences and trigger
functions, the triggers with them. SQLite: the statistics' token table and row triggers (sections
are no longer cached there). Reversed, nothing comes back: the code of before finds no version
and reads afresh every time.
"""

from django.db import migrations


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for function, sequence in (("deadline_board_bump", "deadline_board_version"), ("stats_version_bump", "stats_version")):
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}() CASCADE")  # and its triggers
            schema_editor.execute(f"DROP SEQUENCE IF EXISTS {sequence}")
    elif vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'stats\\_version\\_%' ESCAPE '\\'")
            triggers = [name for (name,) in cursor.fetchall()]
        for name in triggers:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        schema_editor.execute("DROP TABLE IF EXISTS stats_version")


class Migration(migrations.Migration):
    dependencies = [("cppcc_portal", "0008_generated_documents")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]
