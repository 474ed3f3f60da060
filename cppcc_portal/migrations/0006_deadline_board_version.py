"""Once: the deadline board's own write version (a sequence and statement triggers on the clock
tables). Now the ``deadline_board`` version of ``cppcc_portal.writeversion``, installed after every
migrate; 0008 drops what this created where it ran before. Kept, empty, for the migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cppcc_portal", "0005_list_indexes"),
        ("proposals", "0020_board_open_clock_indexes"),
        ("consultations", "0008_after_terms"),
    ]

    operations = []
