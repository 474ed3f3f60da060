"""Statistics pages (/stats/ and each section /stats/<section>/): queries and time
with the demo district, then at 10,000 members, 100,000 proposals (with their
assignments and ratings) and 1,000,000 ledger entries in the year (issue 10's
largest size; ``--members N --proposals N --ledger N`` scale it).

The 100,000 proposals are a district's history: spread over 21 plenary
sessions (one a year), as they accumulate. The page for one year must not slow
down as history grows; a ``--one-year`` run puts all of them into the current
year instead (the worst case, where the work is proportional to that year's rows).

.venv/bin/python bench/stats_bench.py
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cppcc_bench .venv/bin/python bench/stats_bench.py
"""

import sys
import time
from datetime import date, datetime, timedelta

from _setup import measure, report, setup

setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.enums import PerformanceAct  # noqa: E402
from members.models import Member, Organization, PlenarySession, Position, Sector, User  # noqa: E402
from members.performance.models import PerformanceRecord, Training  # noqa: E402
from members.performance.scoring import recompute_scores  # noqa: E402
from proposals.models import Proposal  # noqa: E402


def _arg(name: str, default: int) -> int:
    if name in sys.argv:
        return int(sys.argv[sys.argv.index(name) + 1].replace("_", ""))
    return default


ONE_YEAR = "--one-year" in sys.argv
MEMBERS = _arg("--members", 10_000)
PROPOSALS = _arg("--proposals", 100_000)
LEDGER = _arg("--ledger", 1_000_000)
REPEAT = 5  # warm requests per page; the median is reported


def add_members() -> list[int]:
    sectors = list(Sector.objects.all())
    position = Position.objects.get(name="委员")
    start = Member.objects.count()
    Member.objects.bulk_create(
        (
            Member(
                name=f"委员{i:05d}", gender="男" if i % 2 else "女", sector=sectors[i % len(sectors)], position=position
            )
            for i in range(start, MEMBERS)
        ),
        batch_size=1000,
    )
    return list(Member.objects.values_list("pk", flat=True))


def add_ledger(member_ids: list[int], year: int) -> None:
    from django.contrib.contenttypes.models import ContentType

    acts = list(PerformanceAct.values)
    per_member = max(1, LEDGER // len(member_ids))  # distinct (act, source) per member: no unique clashes
    sources = Training.objects.bulk_create(
        Training(title=f"压测来源{i}", held_on=date(year, 1 + i % 12, 1 + i % 28)) for i in range(200)
    )
    content_type = ContentType.objects.get_for_model(Training)
    rows = (
        PerformanceRecord(
            member_id=member_id,
            act=acts[(member_id + k) % len(acts)],
            source_type=content_type,
            source_id=sources[k % len(sources)].pk,
            on=date(year, 1 + k % 12, 1 + (member_id + k) % 28),
        )
        for member_id in member_ids
        for k in range(per_member)
    )
    PerformanceRecord.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def history_sessions(year: int, count: int) -> list[PlenarySession]:
    current = PlenarySession.objects.get(year=year)
    sessions = [current]
    for offset in range(1, count):
        sessions.append(
            PlenarySession.objects.create(
                term=current.term,
                number=100 + offset,
                name=f"历史会议{offset}",
                short_name=f"历史{offset}",
                year=year - offset - 1 if year - offset - 1 >= 2000 else 2000,
                opens_on=date(year - offset - 1, 1, 6),
                closes_on=date(year - offset - 1, 1, 9),
            )
        )
    return sessions


def add_proposals(member_ids: list[int], year: int, spread: int) -> None:
    from proposals.models import Assignment, Evaluation, Proposal, ProposalCategory

    sessions = history_sessions(year, spread)
    categories = list(ProposalCategory.objects.all())
    staff = User.objects.get(username="staff")
    units = list(Organization.objects.filter(kind="handling_unit"))
    states = (
        ["registered"] * 5
        + ["handling"] * 5
        + ["replied"] * 6
        + ["closed"] * 4
        + [
            "submitted",
            "merged",
            "not_registered",
            "draft",
        ]
    )
    Proposal.objects.bulk_create(
        (
            Proposal(
                session=sessions[i % len(sessions)],
                title=f"压测提案{i}",
                category=categories[i % len(categories)],
                background="情况",
                suggestions="建议",
                author_id=member_ids[i % len(member_ids)],
                filed_by=staff,
                state=states[i % len(states)],
                is_key=i % 97 == 0,
                conversion_kind="public_opinion" if i % len(states) == 22 and i % 2 else "",
            )
            for i in range(PROPOSALS)
        ),
        batch_size=2000,
    )
    replied_states = {"replied", "closed"}
    proposals = Proposal.objects.filter(title__startswith="压测提案").values_list("pk", "state")
    aware = timezone.make_aware(datetime(year, 5, 1, 9))
    assignments = []
    for index, (pk, state) in enumerate(proposals.iterator(chunk_size=5000)):
        if state not in ("registered", "handling", "replied", "closed"):
            continue
        replied = state in replied_states
        assignments.append(
            Assignment(
                proposal_id=pk,
                unit=units[index % len(units)],
                kind="lead",
                state="replied" if replied else "accepted",
                assigned_on=date(year, 2, 1),
                assigned_by=staff,
                accept_due=date(year, 2, 8),
                handling_due=date(year, 5, 1),
                replied_at=aware + timedelta(days=index % 20 - 10) if replied else None,
                reply_class="ABC"[index % 3] if replied else "",
                unevaluated=replied and index % 9 == 0,
            )
        )
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    replied_rows = Assignment.objects.filter(
        state="replied", unevaluated=False, proposal__title__startswith="压测提案"
    ).values_list("pk", "proposal__author_id")
    Evaluation.objects.bulk_create(
        (
            Evaluation(
                assignment_id=pk,
                member_id=author,
                attitude="satisfied",
                satisfaction=["satisfied", "basically_satisfied", "dissatisfied"][pk % 3],
                met_in_person=pk % 2 == 0,
            )
            for pk, author in replied_rows.iterator(chunk_size=5000)
        ),
        batch_size=2000,
    )


def render(client: Client, url: str) -> None:
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)


def section_urls() -> list[str]:
    """/stats/<section>/ for every registered section (none before sections had pages)."""
    from django.urls import NoReverseMatch, reverse

    from cppcc_portal.hooks import get_hooks

    urls = []
    for fn in get_hooks("stats_sections"):
        try:
            urls.append(reverse("stats-section", args=[fn.stats_key]))
        except NoReverseMatch:
            return []
    return urls


def timed(label: str, url: str) -> None:
    """The median of REPEAT warm requests (queries counted on the last)."""
    render(client, url)
    runs: list = []
    for _ in range(REPEAT):
        with measure(label, runs):
            render(client, url)
    runs.sort(key=lambda run: run[2])
    results.append(runs[len(runs) // 2])


results: list = []
year = timezone.localdate().year
client = Client()
client.force_login(User.objects.get(username="leader"))
render(client, "/stats/")  # warm up templates and caches
timed("/stats/  demo district", f"/stats/?year={year}")
for url in section_urls():
    timed(f"{url}  demo district", f"{url}?year={year}")

started = time.perf_counter()
with transaction.atomic():
    member_ids = add_members()
    add_ledger(member_ids, year)
    add_proposals(member_ids, year, 1 if ONE_YEAR else 21)
recompute_started = time.perf_counter()
recompute_scores(year)
recompute_ms = (time.perf_counter() - recompute_started) * 1000
print(
    f"data: {Member.objects.count()} members, {PerformanceRecord.objects.filter(on__year=year).count()} ledger entries, "
    f"{PROPOSALS} proposals added in {time.perf_counter() - started:.1f} s; recompute_scores({year}) {recompute_ms:.0f} ms"
)
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
this_year_count = Proposal.objects.filter(session__year=year).count()
label = "all in this year" if ONE_YEAR else f"{this_year_count} this year"
size = f"{MEMBERS} members, {PROPOSALS} proposals ({label}), {LEDGER} ledger"
timed(f"/stats/  {size}", f"/stats/?year={year}")
for url in section_urls():
    timed(f"{url}  {size}", f"{url}?year={year}")
timed("/stats/proposals/units.xlsx", f"/stats/proposals/units.xlsx?year={year}")
with measure("/stats/proposals/pdf/ (work report)", results):
    render(client, f"/stats/proposals/pdf/?year={year}")
with measure("/stats/proposals/docx/ (work report, Word)", results):
    render(client, f"/stats/proposals/docx/?year={year}")
member = Member.objects.filter(user__username="member2").get()
timed("/members/<member2>/record/", f"/members/{member.pk}/record/")
report(results)
