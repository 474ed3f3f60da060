"""Members' part of ``manage.py seed_scale``: sessions, units, members and the ledger.

Registered as ``scale_seeders`` hooks; see ``cppcc_portal.scale``. The ledger runs
last (``seed_order`` 90) so it can cover every member the other apps touched.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType

from cppcc_portal.hooks import register
from cppcc_portal.scale import SCALE_MARK, Scale

from .enums import CommitteeRole, MemberStatus, OrganizationKind, PerformanceAct
from .models import (
    Committee,
    CommitteeMembership,
    Member,
    Organization,
    Party,
    PlenarySession,
    Position,
    Sector,
    Term,
)
from .performance.enums import AttendanceStatus
from .performance.models import PerformanceRecord, PlenaryAttendance, Training, TrainingAttendance
from .performance.scoring import recompute_scores

NUMERALS = "零一二三四五六七八九十"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉玉兰海燕晓东新民春梅"
EXTRA_UNITS = 48  # a district has 40–80 handling units; the demo has a dozen


def _name(n: int) -> str:
    return f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[(n // 7) % len(GIVEN)]}{GIVEN[(n // 3 + n) % len(GIVEN)]}"


def scale_seeded() -> bool:
    return Member.objects.filter(employer_title__startswith=SCALE_MARK).exists()


def seed_history(scale: Scale) -> None:
    """Twenty more plenary sessions, one a year before the demo's, in five-year terms."""
    demo_years = set(PlenarySession.objects.values_list("year", flat=True))
    first_demo_year = min(demo_years, default=scale.today.year)
    current_term = Term.objects.filter(is_current=True).first()
    years = [first_demo_year - k for k in range(1, scale.sessions + 1)]
    sessions = []
    for year in years:
        if current_term and current_term.start_date.year <= year:
            term = current_term
        else:
            # Terms before the current one: five years each, counted back from it.
            base = current_term.start_date.year if current_term else scale.today.year
            back = (base - 1 - year) // 5 + 1
            number = (current_term.number if current_term else 1) - back
            number = number if number > 0 else 100 - number  # older than the first term: beyond it
            start = base - 5 * back
            term, _ = Term.objects.get_or_create(
                number=number,
                defaults={
                    "name": f"第{number}届" if number < 100 else f"历史第{number - 100}届",
                    "short_name": f"{number}届" if number < 100 else f"史{number - 100}届",
                    "start_date": date(start, 1, 1),
                    "end_date": date(start + 4, 12, 31),
                },
            )
        number = year - term.start_date.year + 1
        opens = date(year, 1, 6)
        session, _ = PlenarySession.objects.get_or_create(
            term=term,
            number=number,
            defaults={
                "name": f"{term.name}第{NUMERALS[number] if number <= 10 else number}次会议",
                "short_name": f"{term.short_name}{NUMERALS[number] if number <= 10 else number}次会议",
                "year": year,
                "opens_on": opens,
                "closes_on": opens + timedelta(days=3),
                "proposal_deadline": opens + timedelta(days=3),
            },
        )
        sessions.append(session)
    Organization.objects.bulk_create(
        [
            Organization(name=f"{SCALE_MARK}承办单位{k:02d}", kind=OrganizationKind.HANDLING_UNIT, order=300 + k)
            for k in range(EXTRA_UNITS)
        ],
        ignore_conflicts=True,
    )


def seed_people(scale: Scale) -> None:
    """``scale.members`` members: sector, party, position, terms and committees."""
    rng = scale.rng
    sectors = list(Sector.objects.values_list("pk", flat=True))
    parties = list(Party.objects.values_list("pk", flat=True))
    positions = dict(Position.objects.values_list("name", "pk"))
    committees = list(Committee.objects.values_list("pk", flat=True))
    terms = list(Term.objects.values_list("pk", flat=True))
    ordinary, standing = positions.get("委员"), positions.get("常委")

    last_pk = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    start = Member.objects.count()  # mobiles are unique: a second run (tests) continues the series

    def rows():
        for n in range(scale.members):
            yield dict(
                name=_name(n),
                gender="男" if rng.random() < 0.6 else "女",
                birth_date=date(1955 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                party_id=rng.choice(parties) if parties else None,
                sector_id=rng.choice(sectors) if sectors else None,
                employer_title=f"{SCALE_MARK}单位{n % 997}职员",
                mobile=f"19{start + n:09d}",
                position_id=standing if rng.random() < 0.2 else ordinary,
                status=MemberStatus.ACTIVE if rng.random() < 0.9 else MemberStatus.LEFT,
            )

    scale.bulk(Member, rows(), scale.members)
    new_ids = list(Member.objects.filter(pk__gt=last_pk).values_list("pk", flat=True))
    if terms:
        through = Member.terms.through
        scale.bulk(
            through,
            (dict(member_id=pk, term_id=rng.choice(terms)) for pk in new_ids),
            len(new_ids),
        )
    if committees:
        scale.bulk(
            CommitteeMembership,
            (
                dict(
                    member_id=pk,
                    committee_id=committees[i % len(committees)],
                    role=CommitteeRole.MEMBER if i % 40 else CommitteeRole.DEPUTY,
                )
                for i, pk in enumerate(new_ids)
                if i % 3 == 0
            ),
            len(new_ids) // 3 + 1,
        )


def seed_ledger(scale: Scale) -> None:
    """``scale.ledger`` performance entries over twenty years, from trainings and plenaries.

    Their sources are what the services record them from (``ledger.py``, the
    ``performance_sources`` the record page reads): a plenary attendance (出席 or 请假) and a
    training attendance, written first, one per entry. A source kind no service writes would cost
    the record page a query it never makes at a district's real size.
    """
    rng = scale.rng
    if scale.ledger <= 0:
        return
    member_ids = list(Member.objects.values_list("pk", flat=True))
    first_year = scale.today.year - scale.sessions
    trainings_per_year = 50
    Training.objects.bulk_create(
        [
            Training(
                title=f"{SCALE_MARK}培训{year}-{k:02d}",
                held_on=date(year, 1 + k % 12, 1 + (k * 7) % 28),
                location="区政协机关会议室",
            )
            for year in range(first_year, scale.today.year + 1)
            for k in range(trainings_per_year)
        ],
        batch_size=2000,
    )
    trainings = list(
        Training.objects.filter(title__startswith=f"{SCALE_MARK}培训").values_list("pk", "held_on").order_by("pk")
    )
    sessions = list(PlenarySession.objects.values_list("pk", "opens_on"))
    per_member = max(1, scale.ledger // len(member_ids))
    plenaries_each = min(len(sessions), max(1, per_member // 5))
    trainings_each = min(len(trainings), max(0, per_member - plenaries_each))
    # Who attended what, drawn once; the demo's own attendance rows stay as they are.
    taken_plenary = set(PlenaryAttendance.objects.values_list("member_id", "session_id"))
    taken_training = set(TrainingAttendance.objects.values_list("member_id", "training_id"))
    plenary, training, made = [], [], 0
    for member_id in member_ids:
        if made >= scale.ledger:
            break
        for session_id, opens_on in rng.sample(sessions, plenaries_each)[: scale.ledger - made]:
            if (member_id, session_id) not in taken_plenary:
                leave = rng.random() >= 0.9
                plenary.append((member_id, session_id, opens_on, leave))
                made += 1
        for training_id, held_on in rng.sample(trainings, trainings_each)[: max(0, scale.ledger - made)]:
            if (member_id, training_id) not in taken_training:
                training.append((member_id, training_id, held_on))
                made += 1

    status = {False: AttendanceStatus.ATTENDED, True: AttendanceStatus.LEAVE}
    scale.bulk(
        PlenaryAttendance,
        (dict(member_id=m, session_id=s, status=status[leave]) for m, s, _on, leave in plenary),
        len(plenary),
        batch=10000,
    )
    scale.bulk(
        TrainingAttendance,
        (dict(member_id=m, training_id=t, status=AttendanceStatus.ATTENDED) for m, t, _on in training),
        len(training),
        batch=10000,
    )
    plenary_ids = dict(
        ((m, s), pk) for pk, m, s in PlenaryAttendance.objects.values_list("pk", "member_id", "session_id")
    )
    training_ids = dict(
        ((m, t), pk) for pk, m, t in TrainingAttendance.objects.values_list("pk", "member_id", "training_id")
    )
    plenary_type = ContentType.objects.get_for_model(PlenaryAttendance)
    training_type = ContentType.objects.get_for_model(TrainingAttendance)

    def rows():
        for member_id, session_id, opens_on, leave in plenary:
            yield dict(
                member_id=member_id,
                act=PerformanceAct.PLENARY_LEAVE if leave else PerformanceAct.PLENARY_ATTENDED,
                source_type_id=plenary_type.pk,
                source_id=plenary_ids[member_id, session_id],
                on=opens_on,
            )
        for member_id, training_id, held_on in training:
            yield dict(
                member_id=member_id,
                act=PerformanceAct.TRAINING,
                source_type_id=training_type.pk,
                source_id=training_ids[member_id, training_id],
                on=held_on,
            )

    scale.bulk(PerformanceRecord, rows(), made, batch=10000)


def recompute(scale: Scale) -> None:
    """Price this year's entries and rebuild the totals the directory and statistics read."""

    for year in (scale.today.year - 1, scale.today.year):
        recompute_scores(year)


seed_history.seed_order = 10
seed_people.seed_order = 11
seed_ledger.seed_order = 90
recompute.seed_order = 95
for _seeder in (seed_history, seed_people, seed_ledger, recompute):
    register("scale_seeders", _seeder)
register("scale_seeded", scale_seeded)
