"""换届: the new term's roll opens the term, all or nothing, and keeps the old term's records."""

from datetime import date

from members.enums import MembershipReason, MemberStatus
from members.models import Member, Term
from members.spreadsheets import import_new_term_xlsx
from members.terms.models import TermMembership
from tests.members.test_spreadsheets import GOOD_ROWS, xlsx

NEW_TERM = {
    "number": 3,
    "name": "第三届",
    "short_name": "三届",
    "start_date": date(2027, 1, 1),
    "end_date": date(2031, 12, 31),
}


def test_a_new_term_opens_without_erasing_the_old_one(demo):
    old = Term.current()
    member1 = Member.objects.get(user__username="member1")
    spans_before = TermMembership.objects.filter(term=old).count()
    left_before = Member.objects.filter(status=MemberStatus.LEFT).count()
    rows = [
        *GOOD_ROWS,
        [
            member1.name,
            member1.gender,
            member1.ethnicity,
            member1.birth_date,
            member1.party.name,
            member1.sector.name,
            member1.employer_title,
            member1.mobile,
            "",
            "委员",
        ],
    ]

    result = import_new_term_xlsx(xlsx(rows), actor=demo["staff"], **NEW_TERM)

    assert result.ok, result.errors
    new = Term.current()
    assert new.name == "第三届" and new != old
    assert TermMembership.objects.filter(term=old).count() == spans_before  # nothing erased
    assert not TermMembership.objects.filter(term=old, left_on__isnull=True).exists()
    old_span = TermMembership.objects.filter(member=member1, term=old).latest("joined_on")
    assert (old_span.left_on, old_span.left_reason) == (date(2026, 12, 31), MembershipReason.NEW_TERM)
    assert TermMembership.objects.filter(term=new, left_on__isnull=True).count() == 3
    member1.refresh_from_db()
    assert member1.status == MemberStatus.ACTIVE and set(member1.terms.all()) >= {old, new}
    member2 = Member.objects.get(user__username="member2")
    assert member2.status == MemberStatus.LEFT  # not on the new roll
    assert result.left == Member.objects.filter(status=MemberStatus.LEFT).exclude(terms=new).count() - left_before


def test_a_bad_row_or_a_bad_term_changes_nothing(demo):
    old = Term.current()
    spans = TermMembership.objects.count()
    bad = [[*GOOD_ROWS[0][:5], "不存在的界别", *GOOD_ROWS[0][6:]]]
    assert not import_new_term_xlsx(xlsx(bad), actor=demo["staff"], **NEW_TERM).ok
    earlier = {**NEW_TERM, "number": 1}
    result = import_new_term_xlsx(xlsx(GOOD_ROWS), actor=demo["staff"], **earlier)
    assert not result.ok and "届" in result.errors[0].message
    assert Term.current() == old and TermMembership.objects.count() == spans
    assert not Member.objects.filter(name=GOOD_ROWS[0][0]).exists()


def test_only_registry_staff_may_open_a_term(demo):
    result = import_new_term_xlsx(xlsx(GOOD_ROWS), actor=demo["member1"], **NEW_TERM)
    assert not result.ok and Term.current().number != 3
