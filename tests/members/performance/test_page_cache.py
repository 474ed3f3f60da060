"""The 履职档案, the 五个一 list, the training list, the plenary attendance page and the committee
pages are rendered (in part) once per write version (``cppcc_portal.writeversion``): a second
request reads them from the cache, any write shows on the very next request, the permission
check still runs on every request, and a part that depends on the user is never shown to another.

The cache is used only outside a transaction, so these tests commit (``transactional_db``) and
need PostgreSQL (the ``postgres`` fixture: a stated skip on SQLite, a failure under CI=true).
"""

from __future__ import annotations

import re

from cppcc_portal import hooks
from cppcc_portal.hooks import Panel
from members.models import Committee, Member, PlenarySession
from members.performance.models import PerformanceRecord, Training
from tests.builders import page_and_queries

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _reads(table: str, queries: list[str]) -> bool:
    return any(f'FROM "{table}"' in sql for sql in queries)


def test_the_record_is_read_once_shows_each_write_at_once_and_is_still_checked(transactional_db, postgres, login):
    member = Member.objects.get(user__username="member2")
    url = f"/members/{member.pk}/record/"
    staff = login("staff")
    first, cold = page_and_queries(staff, url, tokens=True)
    assert _reads("members_performancerecord", cold)
    again, warm = page_and_queries(staff, url, tokens=True)
    assert CSRF.sub("", again) == CSRF.sub("", first) and not _reads("members_performancerecord", warm)
    assert "年度述职</a>" not in first  # the write-your-report button is the member's own

    PerformanceRecord.objects.filter(member=member).update(note="档案缓存测试备注")
    assert "档案缓存测试备注" in page_and_queries(staff, url, tokens=True)[0]

    # The file staff had cached is refused to another member, and its owner gets their button.
    assert login("member1").get(url).status_code == 403
    own = page_and_queries(login("member2"), url, tokens=True)[0]
    assert "档案缓存测试备注" in own and "年度述职</a>" in own


def test_the_lists_are_read_once_and_show_each_write_at_once(transactional_db, postgres, login):
    staff = login("staff")

    five_ones, _ = page_and_queries(staff, "/members/five-ones/", tokens=True)
    gap = Member.objects.active().order_by("pk").filter(name__in=re.findall(r'/record/">([^<]+)</a>', five_ones))
    member = gap.first()
    _, warm = page_and_queries(staff, "/members/five-ones/", tokens=True)
    assert not _reads("members_member", warm)
    Member.objects.filter(pk=member.pk).update(name="五个一缓存测试")
    assert "五个一缓存测试" in page_and_queries(staff, "/members/five-ones/", tokens=True)[0]

    page_and_queries(staff, "/members/trainings/", tokens=True)
    _, warm = page_and_queries(staff, "/members/trainings/", tokens=True)
    assert not _reads("members_training", warm)
    Training.objects.create(title="培训缓存测试", held_on="2099-01-01", location="机关")
    page = page_and_queries(staff, "/members/trainings/", tokens=True)[0]
    assert "培训缓存测试" in page and "新建培训" in page
    assert (
        "新建培训" not in page_and_queries(login("member2"), "/members/trainings/", tokens=True)[0]
    )  # the form is staff's only


def test_plenary_attendance_draws_each_csrf_token_per_request(transactional_db, postgres, login):
    session = PlenarySession.objects.order_by("pk").first()
    url = f"/members/plenary/{session.pk}/attendance/"
    admin = login("admin")
    first, _ = page_and_queries(admin, url, tokens=True)
    again, warm = page_and_queries(admin, url, tokens=True)
    assert not _reads("members_plenaryattendance", warm)
    # The day, the group and the roll form carry this request's token (as the navigation bar's
    # logout form does), never one from the cache.
    assert len(CSRF.findall(again)) == 4 and len(set(CSRF.findall(again))) == 1
    assert not set(CSRF.findall(again)) & set(CSRF.findall(first))
    assert CSRF.sub("", again) == CSRF.sub("", first)
    PlenarySession.objects.filter(pk=session.pk).update(short_name="大会缓存测试")
    assert "大会缓存测试" in page_and_queries(admin, url, tokens=True)[0]


def test_a_committee_page_is_built_for_each_user(transactional_db, postgres, login, monkeypatch):
    def whose_page(request, workspace):
        return Panel(
            "proposals/panels/workspace.html", {"proposals": [], "total": 0}, title=f"为{request.user.username}绘制"
        )

    monkeypatch.setitem(hooks._hooks, "workspace_panels", [*hooks.get_hooks("workspace_panels"), whose_page])
    committee = Committee.objects.order_by("pk").first()
    url = f"/members/committees/{committee.pk}/"
    staff = login("staff")  # (one test client: each login replaces the previous one)
    page_and_queries(staff, url, tokens=True)
    staff_page, warm = page_and_queries(staff, url, tokens=True)
    assert not _reads("members_committeemembership", warm)
    assert "为staff绘制" in staff_page
    Committee.objects.filter(pk=committee.pk).update(name="专委会缓存测试")
    assert "专委会缓存测试" in page_and_queries(staff, url, tokens=True)[0]
    leader_page = page_and_queries(login("leader"), url, tokens=True)[0]
    assert "专委会缓存测试" in leader_page and "为staff绘制" not in leader_page
    assert "为leader绘制" in leader_page
