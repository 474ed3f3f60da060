"""The 履职档案: every act with its source and points; a member sees only their own file."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member
from members.performance import selectors
from members.performance.models import PerformanceRecord

pytestmark = pytest.mark.django_db


def test_member_sees_their_own_record_with_acts_points_and_links(login, demo):
    member = demo["member2"].member
    client = login("member2")
    html = client.get(f"/members/{member.pk}/record/").content.decode()
    assert "履职档案 · 王淑芬" in html
    assert "出席全体会议" in html and "学习心得" in html
    reflection = PerformanceRecord.objects.filter(member=member, act="study_reflection").first()
    assert f'href="{reflection.source.get_absolute_url()}"' in html
    assert "界别内排名" in html and "五个一" in html
    for year in selectors.term_years(member.terms.get()):
        assert f'id="year-{year}"' in html


def test_a_member_cannot_open_another_members_file(login, demo):
    member = demo["member2"].member
    client = login("member1")
    assert client.get(f"/members/{member.pk}/record/").status_code == 403
    assert client.get(f"/members/{member.pk}/record/pdf/").status_code == 403
    assert client.get("/members/me/record/")["Location"] == f"/members/{demo['member1'].member.pk}/record/"


def test_staff_and_leaders_see_every_file(login, demo):
    member = Member.objects.active().exclude(user__isnull=False).first()
    for username in ("staff", "leader"):
        assert login(username).get(f"/members/{member.pk}/record/").status_code == 200


def test_units_see_no_file(login, demo):
    member = demo["member2"].member
    assert login("unit_edu").get(f"/members/{member.pk}/record/").status_code == 403


def test_the_record_prints_as_one_pdf_per_term(login, demo, download):
    member = demo["member2"].member
    response = download(login("member2"), f"/members/{member.pk}/record/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_year_totals_on_the_page_equal_the_stored_scores(demo):
    member = demo["member2"].member
    for year in selectors.member_record(member, member.terms.get()):
        stored = member.year_scores.filter(year=year.year).values_list("total", flat=True).first() or 0
        assert year.total == stored
        assert sum(line.points for line in year.lines) == stored


def test_record_query_count_does_not_grow_with_entries(demo, login):
    member = demo["member2"].member
    client = login("staff")
    with CaptureQueriesContext(connection) as before:
        client.get(f"/members/{member.pk}/record/")
    from members.enums import PerformanceAct
    from members.performance.services import performance_record

    from .builders import source

    year = selectors.term_years(member.terms.get())[0]
    from datetime import date

    for index in range(10):
        performance_record(member=member, act=PerformanceAct.SPEECH, source=source(f"发言{index}"), on=date(year, 1, 2))
    with CaptureQueriesContext(connection) as after:
        client.get(f"/members/{member.pk}/record/")
    assert len(after) <= len(before) + 1  # the training sources add one content type at most


def test_profile_page_shows_the_score(login, demo):
    html = login("member2").get("/members/me/").content.decode()
    assert "履职情况" in html and "member-score" in html


def test_record_page_takes_at_most_30_queries_whatever_the_years_hold(demo, login):
    from members.enums import PerformanceAct
    from members.performance.services import performance_record

    member = demo["member2"].member
    client = login("staff")
    client.get(f"/members/{member.pk}/record/")
    with CaptureQueriesContext(connection) as before:
        client.get(f"/members/{member.pk}/record/")
    from datetime import date

    # More entries in every year, from sources of the kinds the record already shows
    # (a new kind of source costs one query, however many entries it has).
    sources = [record.source for record in member.performance.order_by("id")[:3]]
    acts = [PerformanceAct.SPEECH, PerformanceAct.RESEARCH, PerformanceAct.INSPECTION]
    for year in selectors.term_years(member.terms.get()):
        for act in acts:
            for item in sources:
                performance_record(member=member, act=act, source=item, on=date(year, 3, 2))
    with CaptureQueriesContext(connection) as after:
        client.get(f"/members/{member.pk}/record/")
    assert len(before) <= 30
    assert len(after) == len(before)


def test_every_kind_of_source_on_the_ledger_is_registered(demo):
    """The record reads each registered kind of source with one query; an unregistered kind would
    cost one more, only when some entry has it."""
    on_ledger = set(PerformanceRecord.objects.values_list("source_type__app_label", "source_type__model").distinct())
    registered = {(model._meta.app_label, model._meta.model_name) for model in selectors.source_models()}
    assert on_ledger and on_ledger <= registered


def test_record_query_count_is_the_same_with_one_kind_of_source_and_with_every_kind(demo, login):
    """One query per registered kind of source, whether or not the member has entries of it: the
    count does not depend on which kinds the data holds."""
    from datetime import date

    from django.utils.html import escape

    from members.enums import PerformanceAct
    from members.performance.services import performance_record

    member = demo["member2"].member
    on = date(selectors.term_years(member.terms.get())[0], 3, 2)
    examples = {model: model._base_manager.order_by("pk").first() for model in selectors.source_models()}
    missing = [model._meta.label for model, example in examples.items() if example is None]
    assert not missing, f"the demo has no {missing}: the test could not give the member every kind"
    PerformanceRecord.objects.filter(member=member).delete()
    first, *others = examples.values()
    performance_record(member=member, act=PerformanceAct.SPEECH, source=first, on=on)
    client = login("staff")
    client.get(f"/members/{member.pk}/record/")  # warm-up: this worker's permission and unread caches
    with CaptureQueriesContext(connection) as one_kind:
        assert client.get(f"/members/{member.pk}/record/").status_code == 200
    for example in others:
        performance_record(member=member, act=PerformanceAct.SPEECH, source=example, on=on)
    with CaptureQueriesContext(connection) as every_kind:
        html = client.get(f"/members/{member.pk}/record/").content.decode()
    assert [str(example) for example in examples.values() if escape(str(example)) not in html] == []
    assert len(every_kind) == len(one_kind)
