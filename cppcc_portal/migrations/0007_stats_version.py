"""A version every write to a table the statistics read moves, so computed sections can be cached.

PostgreSQL: a sequence (non-transactional: no writer waits on another) advanced by a statement
trigger on each table, which first takes a shared advisory lock held until the writer's
transaction ends, so a reader can tell that no writer counted in the version is still uncommitted
(``cppcc_portal.stats.cache``). SQLite: a one-row table that a row trigger gives a new random token
inside the writer's transaction (it commits or rolls back with the write; SQLite serialises
writers anyway). Other databases get neither, and their sections are always computed.

The tables are the ones the registered sections read; tests/cppcc_portal/test_stats_cache.py fails
when a section reads one that is not here (add it in a new migration).
"""

from django.db import migrations

TABLES = (
    "consultations_adoptionfeedback",
    "consultations_consultationform",
    "consultations_consultationplan",
    "consultations_delivery",
    "consultations_inspection",
    "consultations_instruction",
    "consultations_invitation",
    "consultations_outcome",
    "consultations_outsideparticipant",
    "consultations_researchproject",
    "consultations_session",
    "consultations_speech",
    "consultations_suggestion",
    "consultations_topic",
    "cppcc_portal_deadlinepolicy",
    "liaison_stations_livelihoodmatter",
    "liaison_stations_station",
    "liaison_stations_stationactivity",
    "liaison_stations_stationactivity_participants",
    "members_committee",
    "members_committeemembership",
    "members_fiveonesrequirement",
    "members_member",
    "members_memberyearscore",
    "members_organization",
    "members_party",
    "members_performancerecord",
    "members_plenarysession",
    "members_scoreband",
    "members_scoringrule",
    "members_sector",
    "members_term",
    "members_termmembership",
    "members_user",
    "proposals_assignment",
    "proposals_contactrecord",
    "proposals_evaluation",
    "proposals_proposal",
    "proposals_proposalcategory",
    "proposals_supervisionactivity",
)
# Shared by writers, tried exclusively by readers (``cppcc_portal.stats.cache.WRITERS_LOCK``).
WRITERS_LOCK = 7_301_0007
SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS stats_version")
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION stats_version_bump() RETURNS trigger LANGUAGE plpgsql AS"
            f" $$ BEGIN PERFORM pg_advisory_xact_lock_shared({WRITERS_LOCK}); PERFORM nextval('stats_version');"
            " RETURN NULL; END $$"
        )
        for table in TABLES:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS stats_version_bump ON "{table}"')
            schema_editor.execute(
                f'CREATE TRIGGER stats_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"'
                " FOR EACH STATEMENT EXECUTE FUNCTION stats_version_bump()"
            )
    elif vendor == "sqlite":
        schema_editor.execute("CREATE TABLE IF NOT EXISTS stats_version (token TEXT NOT NULL)")
        schema_editor.execute("DELETE FROM stats_version")
        schema_editor.execute("INSERT INTO stats_version (token) VALUES (lower(hex(randomblob(8))))")
        for table in TABLES:
            for event in SQLITE_EVENTS:
                name = f"stats_version_{table}_{event.lower()}"
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                schema_editor.execute(
                    f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}"'
                    " BEGIN UPDATE stats_version SET token = lower(hex(randomblob(8))); END"
                )


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS stats_version_bump ON "{table}"')
        schema_editor.execute("DROP FUNCTION IF EXISTS stats_version_bump()")
        schema_editor.execute("DROP SEQUENCE IF EXISTS stats_version")
    elif vendor == "sqlite":
        for table in TABLES:
            for event in SQLITE_EVENTS:
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "stats_version_{table}_{event.lower()}"')
        schema_editor.execute("DROP TABLE IF EXISTS stats_version")


class Migration(migrations.Migration):
    dependencies = [
        ("cppcc_portal", "0006_deadline_board_version"),
        ("consultations", "0008_after_terms"),
        ("liaison_stations", "0005_studios_and_map"),
        ("members", "0012_after_offices"),
        ("proposals", "0020_board_open_clock_indexes"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
