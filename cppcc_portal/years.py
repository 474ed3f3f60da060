"""The year a page shows, and the years it offers: one meaning everywhere.

A page offers a span of years, this year first (``year_choices``); ``?year=`` picks one
of them, and anything else (missing, garbled, a year the page does not offer) shows the
newest (``chosen_year``). Each page decides only where its span starts.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest
from django.utils import timezone


def year_choices(first: int) -> list[int]:
    """This year back to ``first``, newest first; at least this year."""
    this_year = timezone.localdate().year
    return list(range(this_year, min(first, this_year) - 1, -1))


def chosen_year(request: HttpRequest, choices: Sequence[int]) -> int:
    """The ``?year=`` of the request when it is one of ``choices``, else the first (newest) choice."""
    value = request.GET.get("year", "")
    if value.isdigit() and int(value) in choices:
        return int(value)
    return choices[0]
