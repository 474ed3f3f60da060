"""Computed sections, cached under the write version of the tables the statistics read.

Every write to a table of ``STATS_TABLES`` moves the version ``VERSION``
(``cppcc_portal.writeversion``), so bulk updates and raw SQL move it too. A section is cached
under that version, the day, the year and the GET parameters it reads: a write shows on the next
request, and a cached section costs one query (the version). Nothing is kept while a writer to one
of these tables is uncommitted, nor inside a transaction; on SQLite sections are always computed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone

from cppcc_portal import writeversion

# tests/cppcc_portal/test_stats_cache.py checks every table a section reads is here and watched.
STATS_TABLES = (
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
VERSION = writeversion.register("stats", STATS_TABLES)
DEFAULT_SECONDS = 3600


def cached_section(
    key: str, year: int, params: Sequence[str], request, compute: Callable[[], Any], seconds: int
) -> Any:
    """``compute()``, or what it gave under the same version, day, year and GET ``params``."""
    asked = tuple((name, request.GET.get(name, "")) for name in params)
    parts = (key, timezone.localdate().isoformat(), year, asked)
    return writeversion.cached("stats-section", parts, compute, request=request, watching=VERSION, seconds=seconds)
