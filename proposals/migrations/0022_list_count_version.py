"""A version every write to the proposal list's tables advances, so the list's total can be cached.

PostgreSQL only, as cppcc_portal 0006 does for the deadline board: a sequence (non-transactional,
so no writer waits on another) advanced by a statement-level trigger on each table the list's
visibility and filters read. The trigger also takes a shared advisory lock, held until the
writer's transaction ends (writers share it; a reader only tries it for an instant), which tells
``proposals.list_count`` whether every write the version announces is committed.
"""

from django.db import migrations

TABLES = ("proposals_proposal", "proposals_assignment", "proposals_signer", "members_member")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS proposal_list_version")
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION proposal_list_bump() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN PERFORM pg_advisory_xact_lock_shared(7340021); PERFORM nextval('proposal_list_version');"
        " RETURN NULL; END $$"
    )
    for table in TABLES:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS proposal_list_bump ON "{table}"')
        schema_editor.execute(
            f'CREATE TRIGGER proposal_list_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"'
            " FOR EACH STATEMENT EXECUTE FUNCTION proposal_list_bump()"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS proposal_list_bump ON "{table}"')
    schema_editor.execute("DROP FUNCTION IF EXISTS proposal_list_bump()")
    schema_editor.execute("DROP SEQUENCE IF EXISTS proposal_list_version")


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0021_search_trigram"),
        ("members", "0012_after_offices"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
