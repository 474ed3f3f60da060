"""A version every write to the board's clock tables bumps, so the board's counts can be cached.

PostgreSQL only: a sequence (non-transactional, so no lock is taken and no writer waits on
another) advanced by a statement-level trigger on each table the registered clocks read (their
items, the rows their open filters join, the escalation markers). ``deadlines.board`` keys its
cached counts by it; on other databases the counts are always read.
"""

from django.db import migrations

TABLES = (
    "proposals_proposal",
    "proposals_assignment",
    "proposals_evaluation",
    "proposals_publicopinion",
    "proposals_microsuggestion",
    "consultations_session",
    "consultations_question",
    "consultations_outcome",
    "consultations_supervisionitem",
    "consultations_supervisionitem_departments",
    "consultations_supervisortask",
    "cppcc_portal_noticeledger",
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS deadline_board_version")
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION deadline_board_bump() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN PERFORM nextval('deadline_board_version'); RETURN NULL; END $$"
    )
    for table in TABLES:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS deadline_board_bump ON "{table}"')
        schema_editor.execute(
            f'CREATE TRIGGER deadline_board_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"'
            " FOR EACH STATEMENT EXECUTE FUNCTION deadline_board_bump()"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS deadline_board_bump ON "{table}"')
    schema_editor.execute("DROP FUNCTION IF EXISTS deadline_board_bump()")
    schema_editor.execute("DROP SEQUENCE IF EXISTS deadline_board_version")


class Migration(migrations.Migration):
    dependencies = [
        ("cppcc_portal", "0005_list_indexes"),
        ("proposals", "0020_board_open_clock_indexes"),
        ("consultations", "0008_after_terms"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
