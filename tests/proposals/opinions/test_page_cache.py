"""Parts of the 社情民意 pages cached under the write version (``cppcc_portal.writeversion``): the
list's table per user and query string; a report's step forms (staff) per 报送去向, channel and
day, shared by every report alike. A write (a bulk ``.update()`` too) shows on the very next
request, one user never sees a table built for another, and no CSRF token is kept in them.

The cache is used only outside a transaction, so these tests commit (``transactional_db``) and
need PostgreSQL (the ``postgres`` fixture: a stated skip on SQLite, a failure under CI=true).
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from proposals.opinions import services
from proposals.opinions.enums import IssueKind
from proposals.opinions.models import PublicOpinion


def adopted(demo, title: str) -> PublicOpinion:
    opinion = services.opinion_file(actor=demo["member2"], title=title, situation="情况。", suggestion="建议。")
    return services.opinion_decide(opinion=opinion, actor=demo["staff"], adopt=True, to_party_committee=True)


def _ticked(page: str, name: str) -> bool:
    box = re.search(rf'<input[^>]*id="reporting_{name}"[^>]*>', page)
    assert box, name
    return "checked" in box.group(0)


def test_the_step_forms_show_each_write_at_once(transactional_db, postgres, demo, login):
    opinion = adopted(demo, "缓存的报送去向")
    client = login("staff")
    url = reverse("opinions:detail", args=[opinion.pk])
    page = client.get(url).content.decode()
    assert _ticked(page, "to_party_committee") and not _ticked(page, "to_government")
    assert client.get(url).content.decode().count('id="reporting_to_government"') == 1  # from the cache

    PublicOpinion.objects.filter(pk=opinion.pk).update(reported_to_government=True)
    page = client.get(url).content.decode()
    assert _ticked(page, "to_government")
    # Each form posts with this request's own token, outside the cached forms.
    forms = re.findall(
        r"<form method=\"post\" action=\"/opinions/\d+/[a-z-]+/(?:new/)?\"[^>]*>(.*?)</form>", page, re.S
    )
    assert forms and all(form.count("csrfmiddlewaretoken") == 1 for form in forms)


def test_a_member_sees_no_step_form(transactional_db, postgres, demo, login):
    opinion = adopted(demo, "委员看不到审核表单")
    page = login("member2").get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    assert 'id="reporting-form"' not in page and 'id="decision-form"' not in page
    assert login("member1").get(reverse("opinions:detail", args=[opinion.pk])).status_code == 403


def test_the_list_shows_each_write_at_once_and_each_user_their_own(transactional_db, postgres, demo, login):
    opinion = adopted(demo, "列表缓存的社情民意")
    staff = login("staff_opinions")
    assert "列表缓存的社情民意" in staff.get("/opinions/").content.decode()
    assert "列表缓存的社情民意" in staff.get("/opinions/").content.decode()
    PublicOpinion.objects.filter(pk=opinion.pk).update(title="列表缓存改过的标题")
    assert "列表缓存改过的标题" in staff.get("/opinions/").content.decode()
    # member1 neither wrote it nor heads its station: the table built for staff is not theirs.
    assert "列表缓存改过的标题" not in login("member1").get("/opinions/").content.decode()
    assert "列表缓存改过的标题" in login("member2").get("/opinions/?mine=1").content.decode()


def test_the_report_and_its_history_show_each_write_at_once(transactional_db, postgres, demo, login):
    opinion = adopted(demo, "详情缓存的社情民意")
    url = reverse("opinions:detail", args=[opinion.pk])
    staff = login("staff")
    assert "详情缓存的社情民意" in staff.get(url).content.decode()
    PublicOpinion.objects.filter(pk=opinion.pk).update(situation="缓存后改过的基本情况")
    assert "缓存后改过的基本情况" in staff.get(url).content.decode()
    issue = services.issue_create(
        actor=demo["staff"], kind=IssueKind.REGULAR, opinions=[opinion], compiled_on=timezone.localdate()
    )
    link = reverse("opinions:issue", args=[issue.pk])
    assert link in staff.get(url).content.decode()
    # The author sees the issue named, without the link built for staff.
    author = login("member2").get(url).content.decode()
    assert issue.label in author and link not in author
