"""Once: the statistics' own write version (a PostgreSQL sequence, a SQLite token table, with their
triggers). Now the ``stats`` version of ``cppcc_portal.writeversion``, installed after every
migrate (PostgreSQL only); 0008 drops what this created where it ran before. Kept, empty, for the
migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cppcc_portal", "0006_deadline_board_version"),
        ("consultations", "0008_after_terms"),
        ("liaison_stations", "0005_studios_and_map"),
        ("members", "0012_after_offices"),
        ("proposals", "0020_board_open_clock_indexes"),
    ]

    operations = []
