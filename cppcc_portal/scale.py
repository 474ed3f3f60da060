"""Shared pieces of ``manage.py seed_scale``: options and fast bulk insertion with progress.

Each app registers a ``scale_seeders`` hook (fn(scale: Scale) -> None) in its own
``scale.py``; the command runs them in ``seed_order``. Rows are plain dicts of
column values (``attname`` keys; a missing column takes the field's default).
On PostgreSQL they stream in through ``COPY``; elsewhere through ``bulk_create``
in batches. Either way: no per-row ``save()``, signals, services or history rows,
so a million ledger rows take about a minute rather than hours.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from itertools import chain, islice
from typing import Any

from django.db import connection, models
from django.utils import timezone

# Put into generated names, so a second run can tell it already ran.
SCALE_MARK = "规模"
PROGRESS_EVERY = 5000
COPY_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
    "URLField",
    "UUIDField",
}


@dataclass
class Scale:
    """How much history to add, plus a seeded random source and the progress display."""

    proposals: int = 100_000
    members: int = 10_000
    ledger: int = 1_000_000
    sessions: int = 20
    consultations: int = 300
    activities: int = 400
    opinions: int = 400
    progress: Any = None  # a rich.progress.Progress, or None for silence
    rng: random.Random = field(default_factory=lambda: random.Random(20261201))
    today: date = field(default_factory=timezone.localdate)

    def __post_init__(self) -> None:
        # The smaller kinds of history shrink with the proposals (tests run with a few hundred).
        ratio = min(1.0, self.proposals / 100_000)
        self.consultations = max(3, round(self.consultations * ratio))
        self.activities = max(3, round(self.activities * ratio))
        self.opinions = max(3, round(self.opinions * ratio))

    def aware(self, day: date, hour: int = 9) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)))

    def bulk(self, model: type[models.Model], rows: Iterable[dict], total: int, *, batch: int = 5000) -> int:
        """Insert ``rows`` (dicts of ``attname`` → value) into ``model``'s table; returns how many.

        ``rows`` must not read the database while it is consumed (``COPY`` holds the connection):
        fetch what a generator needs into lists before its first ``yield``.
        """
        label = f"{model._meta.verbose_name} ({model._meta.label})"
        task = self.progress.add_task(label, total=max(total, 1)) if self.progress is not None else None
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        inserted = 0
        # Read before _keep_given_timestamps switches the flags off for bulk_create.
        stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}

        def values(row: dict) -> list:
            return [_column_value(f, row, now, f.attname in stamped) for f in fields]

        def advance() -> None:
            if task is not None:
                self.progress.update(task, completed=inserted)

        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            columns = ", ".join(quote(f.column) for f in fields)
            # psycopg adapts plain values itself; only other kinds (JSON, …) go through the field.
            preps = [
                None if f.get_internal_type() in COPY_AS_IS else partial(f.get_db_prep_save, connection=connection)
                for f in fields
            ]
            sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            # Start the generator first: whatever it reads from the database, it reads before COPY.
            iterator = iter(rows)
            first = next(iterator, None)
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in chain([first] if first is not None else [], iterator):
                    copy.write_row([prep(v) if prep else v for prep, v in zip(preps, values(row), strict=True)])
                    inserted += 1
                    if inserted % PROGRESS_EVERY == 0:
                        advance()
        else:
            iterator = iter(rows)
            with _keep_given_timestamps(fields):
                while chunk := list(islice(iterator, batch)):
                    model.objects.bulk_create(
                        [model(**{f.attname: v for f, v in zip(fields, values(row), strict=True)}) for row in chunk],
                        batch_size=batch,
                    )
                    inserted += len(chunk)
                    advance()
        if task is not None:
            self.progress.update(task, completed=inserted, total=max(inserted, 1))
        return inserted


def _column_value(f: models.Field, row: dict, now: datetime, stamped: bool):
    if f.attname in row:
        return row[f.attname]
    if stamped:
        return now
    return f.get_default()


@contextmanager
def _keep_given_timestamps(fields: list[models.Field]):
    """Let ``bulk_create`` keep the historical ``auto_now_add``/``auto_now`` values given."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields if getattr(f, "auto_now", None) is not None]
    for f, *_ in saved:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
