"""State badges: each state enum says how its badges look.

A state or status enum subclasses ``BadgeChoices`` and returns its styles from
``badge_styles()``; templates print ``{{ obj|badge:"state" }}`` (the
``portal`` template library), which finds the enum behind the field's choices,
so every badge of a state looks the same on every page.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from django.db import models

NEUTRAL = "text-bg-secondary"


class BadgeChoices(models.TextChoices):
    """TextChoices whose members carry a Bootstrap badge style (``member.badge``)."""

    @classmethod
    def badge_styles(cls) -> Mapping[str, str]:
        """member → CSS classes of its badge; members left out get ``NEUTRAL``."""
        return {}

    @property
    def badge(self) -> str:
        return type(self).badge_styles().get(self, NEUTRAL)

    @classmethod
    def badge_for(cls, value: str) -> str:
        try:
            return cls(value).badge
        except ValueError:
            return NEUTRAL


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


@cache
def enum_of(model: type[models.Model], field_name: str) -> type[BadgeChoices] | None:
    """The BadgeChoices enum whose choices a model field uses (Django keeps only the pairs)."""
    choices = list(model._meta.get_field(field_name).choices or ())
    return next((enum for enum in _subclasses(BadgeChoices) if list(enum.choices) == choices), None)


def badge_class(obj: models.Model, field_name: str) -> str:
    enum = enum_of(type(obj), field_name)
    if enum is None:
        raise LookupError(f"{type(obj).__name__}.{field_name} does not use a BadgeChoices enum")
    return enum.badge_for(getattr(obj, field_name))
