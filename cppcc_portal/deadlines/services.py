"""The deadline engine's writes: an item's due date moves only here, with history.

A due date is set when its clock starts, by the owning app's service that starts it
(``due_date(key, start)``). Moving it afterwards (a new follow-up cycle, the admin's
"recompute open ones") goes through ``clock_set_due``: the row is saved through the
model, so django-simple-history records who moved it, from what, and why.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction


@transaction.atomic
def clock_set_due(*, item, due_field: str, due: date | None, actor, reason: str) -> bool:
    """Move ``item``'s ``due_field`` to ``due``; returns False when it was already there.

    Steps: compare with the stored value; set it on the instance; save only that column
    (plus ``updated_at`` when the model stamps it) with ``actor`` and ``reason`` on the
    history row. The caller holds the row (the sweep locked it) or accepts last-writer-wins.
    """
    if getattr(item, due_field) == due:
        return False
    setattr(item, due_field, due)
    item._history_user = actor
    item._change_reason = reason[:100]
    fields = [due_field]
    if any(field.name == "updated_at" for field in item._meta.concrete_fields):
        fields.append("updated_at")
    item.save(update_fields=fields)
    return True
