"""Indexes for searching and listing the public proposals (/public/proposals/) and the 并案 picker.

Trigram (pg_trgm) GIN indexes on UPPER(案由), UPPER(编号) and UPPER(published reply text), the
expressions ``icontains`` compares, so ``UPPER(col) LIKE UPPER('%词%')`` reads the index for any
search of three characters or more (Chinese included: the database's C.UTF-8 ctype makes CJK
characters word characters). Shorter searches still give the same matches, by scanning.
PostgreSQL only: on other databases (SQLite under ``make run``) the GIN indexes are skipped and the
extension operation does nothing. The partial B-tree indexes are declared on the models.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEXES = {
    "proposal_title_trgm_idx": 'ON "proposals_proposal" USING gin (UPPER("title") gin_trgm_ops)',
    "proposal_number_trgm_idx": 'ON "proposals_proposal" USING gin (UPPER("number") gin_trgm_ops)',
    # Only the replies /public/proposals/ shows (selectors.public_proposals' ``published``).
    "assignment_reply_trgm_idx": 'ON "proposals_assignment" USING gin (UPPER("reply_text") gin_trgm_ops)'
    ' WHERE "publishable" AND "reply_text" <> \'\' AND "state" <> \'reassigned\'',
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in TRIGRAM_INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" {definition}')


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0020_board_open_clock_indexes"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(
                    ("publishable", True),
                    models.Q(("reply_text", ""), _negated=True),
                    models.Q(("state", "reassigned"), _negated=True),
                ),
                fields=["proposal"],
                name="assignment_published_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(
                    ("publishable", False),
                    models.Q(("reply_text", ""), _negated=True),
                    models.Q(("state", "reassigned"), _negated=True),
                ),
                fields=["proposal"],
                name="assignment_withheld_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                condition=models.Q(("publish_consent", True), ("state", "closed")),
                fields=["-closed_at", "-id"],
                include=["title", "number"],
                name="proposal_public_idx",
            ),
        ),
    ]
