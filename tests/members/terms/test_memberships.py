"""Members across terms: a mid-term change keeps what held before it, for every act dated then."""

from datetime import date

import pytest

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed
from members.enums import MembershipReason, MemberStatus, PerformanceAct
from members.models import Member, Position, Term
from members.performance.selectors import acts_by_sector
from members.performance.services import performance_record
from members.stats import members_section
from members.terms import selectors, services
from members.terms.models import TermMembership
from tests.members.performance.builders import source

from .builders import seated_member, sector

BEFORE, CHANGE, AFTER = date(2026, 3, 10), date(2026, 6, 1), date(2026, 9, 15)


def _counts(year: int = 2026) -> dict[str, int]:
    names = {s.pk: s.name for s in (sector("测试甲界"), sector("测试乙界"))}
    return {names[row["act_sector"]]: row["n"] for row in acts_by_sector(year) if row["act_sector"] in names}


def test_acts_before_a_sector_change_count_for_the_old_sector_and_after_it_for_the_new(demo):
    member = seated_member("改界别委员", "测试甲界")
    performance_record(member=member, act=PerformanceAct.TRAINING, source=source("春季培训", BEFORE), on=BEFORE)

    services.membership_change(
        actor=demo["staff"], member=member, on=CHANGE, reason=MembershipReason.SECTOR_CHANGE, sector=sector("测试乙界")
    )
    performance_record(member=member, act=PerformanceAct.TRAINING, source=source("秋季培训", AFTER), on=AFTER)
    performance_record(member=member, act=PerformanceAct.STUDY_REFLECTION, source=source("心得", AFTER), on=AFTER)

    assert _counts() == {"测试甲界": 1, "测试乙界": 2}
    member.refresh_from_db()
    assert member.sector.name == "测试乙界"  # the current value follows the change
    spans = list(TermMembership.objects.filter(member=member).order_by("joined_on"))
    assert [(s.sector.name, s.left_on, s.left_reason) for s in spans] == [
        ("测试甲界", date(2026, 5, 31), MembershipReason.SECTOR_CHANGE),
        ("测试乙界", None, ""),
    ]
    assert selectors.membership_on(member, BEFORE).sector.name == "测试甲界"
    assert selectors.membership_on(member, CHANGE).sector.name == "测试乙界"


def test_the_statistics_page_counts_each_act_under_the_sector_of_its_date(demo, rf):
    member = seated_member("统计委员", "测试甲界")
    performance_record(member=member, act=PerformanceAct.TRAINING, source=source("培训一", BEFORE), on=BEFORE)
    services.membership_change(
        actor=demo["staff"], member=member, on=CHANGE, reason=MembershipReason.SECTOR_CHANGE, sector=sector("测试乙界")
    )
    performance_record(member=member, act=PerformanceAct.TRAINING, source=source("培训二", AFTER), on=AFTER)

    request = rf.get("/stats/members/")
    request.user = demo["staff"]
    table = members_section(request, 2026).table("sector-acts")
    rows = {row[0]: row[1] for row in table.rows}
    assert rows["测试甲界"] == 1 and rows["测试乙界"] == 1


def test_a_change_outside_the_term_or_on_the_first_day_of_the_span_changes_nothing(demo):
    member = seated_member("日期委员", "测试甲界", joined_on=date(2026, 2, 1))
    term = Term.current()
    for on in (date(term.start_date.year - 1, 5, 1), date(2026, 2, 1), date(2026, 1, 15)):
        with pytest.raises(ValidationFailed):
            services.membership_change(
                actor=demo["staff"],
                member=member,
                on=on,
                reason=MembershipReason.SECTOR_CHANGE,
                sector=sector("测试乙界"),
            )
    with pytest.raises(ValidationFailed):  # the same sector is no change
        services.membership_change(
            actor=demo["staff"],
            member=member,
            on=CHANGE,
            reason=MembershipReason.SECTOR_CHANGE,
            sector=sector("测试甲界"),
        )
    with pytest.raises(PermissionDeniedError):
        services.membership_change(
            actor=demo["member1"],
            member=member,
            on=CHANGE,
            reason=MembershipReason.SECTOR_CHANGE,
            sector=sector("测试乙界"),
        )
    assert TermMembership.objects.filter(member=member).count() == 1


def test_resignation_ends_the_seat_and_a_by_election_opens_a_new_one(demo):
    member = seated_member("辞去委员", "测试甲界")
    services.membership_change(actor=demo["staff"], member=member, on=BEFORE, reason=MembershipReason.RESIGNED)
    member.refresh_from_db()
    assert member.status == MemberStatus.LEFT
    assert selectors.membership_on(member, BEFORE).left_reason == MembershipReason.RESIGNED
    assert selectors.membership_on(member, AFTER) is None

    with pytest.raises(ValidationFailed):  # not in office: nothing to resign from
        services.membership_change(actor=demo["staff"], member=member, on=AFTER, reason=MembershipReason.REVOKED)
    services.membership_change(
        actor=demo["staff"], member=member, on=AFTER, reason=MembershipReason.BY_ELECTION, sector=sector("测试乙界")
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE and member.sector.name == "测试乙界"
    assert selectors.membership_on(member, AFTER).joined_reason == MembershipReason.BY_ELECTION


def test_a_position_change_decides_whether_the_member_was_standing_committee_on_a_date(demo):
    member = seated_member("升任常委", "测试甲界")
    services.membership_change(
        actor=demo["staff"],
        member=member,
        on=CHANGE,
        reason=MembershipReason.POSITION_CHANGE,
        position=Position.objects.get(name="常委"),
    )
    assert not selectors.standing_on(member, BEFORE)
    assert selectors.standing_on(member, AFTER)


def test_memberships_from_current_values_give_every_member_in_office_an_open_span(demo):
    member = Member.objects.create(name="旧数据委员", gender="男", sector=sector("测试甲界"))
    member.terms.add(Term.current())
    assert services.memberships_from_current_values() >= 1
    span = TermMembership.objects.get(member=member)
    assert span.is_open and span.sector.name == "测试甲界" and span.term == Term.current()
    assert services.memberships_from_current_values() == 0  # once only


def test_the_memberships_page_records_a_change_and_refuses_bad_input(demo, login):
    member = seated_member("页面委员", "测试甲界")
    client = login("staff")
    url = f"/members/{member.pk}/memberships/"
    response = client.post(url, {"reason": MembershipReason.SECTOR_CHANGE, "on": "2099-01-01"})
    assert response.status_code == 200  # the form says what is missing; nothing changed
    assert TermMembership.objects.filter(member=member).count() == 1
    response = client.post(
        url, {"reason": MembershipReason.SECTOR_CHANGE, "on": "2026-06-01", "sector": sector("测试乙界").pk}
    )
    assert response.status_code == 302
    assert TermMembership.objects.filter(member=member).count() == 2
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert "改界别" in page and "测试乙界" in page
