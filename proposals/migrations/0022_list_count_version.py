"""Once: the proposal list's own write version (a sequence and statement triggers). Now the
``proposal_list`` version of ``cppcc_portal.writeversion``, installed after every migrate; 0023
drops what this created where it ran before. Kept, empty, for the migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0021_search_trigram"),
        ("members", "0012_after_offices"),
    ]

    operations = []
