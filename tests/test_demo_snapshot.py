"""The test harness itself: after a transactional test's flush, ``demo`` brings back the
district exactly as seeded (same rows, same keys), not a re-seed with new ones."""

import json
import re

import pytest
from django.core.management import call_command
from django.db import connection

from tests.builders import demo_snapshot, seed_demo_data


def rows(serialized: str) -> dict:
    # JSON keeps milliseconds only: a timestamp whose microseconds round to .000 reads back as whole seconds.
    return {(row["model"], row["pk"]): row for row in json.loads(re.sub(r'\.000Z"', 'Z"', serialized))}


@pytest.mark.django_db(transaction=True)
def test_the_demo_comes_back_row_for_row_after_a_flush(demo):
    from members.models import User

    call_command("flush", interactive=False, verbosity=0)
    assert not User.objects.exists()
    seed_demo_data()
    seeded, restored = rows(demo_snapshot[connection.alias]), rows(connection.creation.serialize_db_to_string())
    assert len(seeded) > 1000
    assert restored == seeded
