"""Parts of the consultation pages rendered once per write version (``cppcc_portal.writeversion``):
the session invite page's group picker and preview, and its empty forms; the supervision item's
关联会议 picker and record form. A write shows on the next request; a form refused on POST is
shown as typed, never the cached empty one; no CSRF token is ever kept.

The cache is used only outside a transaction, so these tests commit (``transactional_db``) and
need PostgreSQL (the ``postgres`` fixture).
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from consultations.models import Invitation, Session
from consultations.supervision import demo as sd
from consultations.supervision.models import SupervisionItem
from members.models import Member, Organization, Sector
from tests.builders import page_and_queries

from .factories import make_session


def _csrf_tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_the_invite_preview_is_read_once_and_shows_each_invitation_at_once(transactional_db, postgres, login):
    session = make_session(required=())
    economy = Sector.objects.get(name="经济界")
    url, params = (
        f"/consultations/sessions/{session.pk}/invite/",
        {"groups": [f"sector:{economy.pk}"], "kind": "required"},
    )
    client = login("staff")
    first, cold = page_and_queries(client, url, data=params)
    assert any('"members_member"' in sql for sql in cold)
    again, warm = page_and_queries(client, url, data=params)
    assert again == first
    assert not any('"members_member"' in sql or '"members_organization"' in sql for sql in warm)

    someone = Member.objects.filter(sector=economy, status="active").order_by("name").first()
    assert f'value="{someone.pk}" id="pick-{someone.pk}"' in first
    Invitation.objects.create(session=session, member=someone, kind="required")
    html = page_and_queries(client, url, data=params)[0]
    assert f'id="pick-{someone.pk}"' not in html  # already invited: not previewed again
    assert "已邀请 1 名委员" in html and "另有 1 人已在名单中" in html
    # Another group is its own entry; the page without groups shows no preview.
    assert "所选群体" not in page_and_queries(client, url)[0]


def test_the_invite_page_keeps_no_csrf_token_and_a_refused_post_shows_what_was_typed(transactional_db, postgres, login):
    session = make_session(required=())
    url = f"/consultations/sessions/{session.pk}/invite/"
    first = login("staff").get(url).content.decode()
    other = login("staff_committee").get(url)
    if other.status_code == 200:  # a second session: its own token in every form
        assert _csrf_tokens(other.content.decode()).isdisjoint(_csrf_tokens(first))
    # A unit that is not a choice: the form comes back bound, with its error, not the cached empty one.
    refused = login("staff").post(url, {"i-units": ["999999"], "o-TOTAL_FORMS": "3", "o-INITIAL_FORMS": "0"})
    assert refused.status_code == 200
    assert "999999" in refused.content.decode()


def test_the_supervision_items_session_picker_shows_a_new_session_at_once(transactional_db, postgres, login):
    item = SupervisionItem.objects.get(title=sd.ITEM_MEETING)
    client = login("staff")
    first, _cold = page_and_queries(client, item.get_absolute_url())
    again, warm = page_and_queries(client, item.get_absolute_url())
    assert again == first
    # The picker's two years of sessions are not read again (the item's own linked ones are).
    assert not any('"consultations_session"."starts_at" >=' in sql for sql in warm)
    session = make_session(required=(), starts_at=timezone.now() + timedelta(days=3))
    Session.objects.filter(pk=session.pk).update(title="新近安排的监督会议")
    assert "新近安排的监督会议" in page_and_queries(client, item.get_absolute_url())[0]
    Organization.objects.filter(name="区教育局").update(name="区教育体育局")
    assert "区教育体育局" in page_and_queries(client, item.get_absolute_url())[0]  # the record form's units
