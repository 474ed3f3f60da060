"""Member pickers (members/picker.py): pages name only the chosen members, search finds the rest."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Member

pytestmark = pytest.mark.django_db

PICK = reverse("members:pick")


def add_members(n: int, prefix: str = "候选委员") -> list[Member]:
    return Member.objects.bulk_create(Member(name=f"{prefix}{i:03d}") for i in range(n))


def test_a_picker_page_does_not_list_every_member(login):
    """The reassign page stays the same size and query count with 5× more members."""
    client = login("staff")
    url = reverse("stations:reassign")
    add_members(10, prefix="甲")
    client.get(url)  # warm: the per-user caches (permissions, unread count) fill on the first request
    with CaptureQueriesContext(connection) as few:
        small = client.get(url).content.decode()
    add_members(50, prefix="乙")
    with CaptureQueriesContext(connection) as many:
        large = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "甲000" not in small and "乙000" not in large
    assert "data-picker" in large and 'hx-get="/members/pick/"' in large


def test_search_offers_the_first_matches_as_boxes_named_for_the_field(login):
    add_members(25)
    page = login("staff").get(PICK, {"field": "i-required_members", "member_q": "候选", "multiple": "1"})
    html = page.content.decode()
    assert html.count('type="checkbox" name="i-required_members"') == 20
    assert "候选委员000" in html and "候选委员024" not in html
    assert "仅显示前 20 位" in html


def test_single_picker_offers_radios_and_says_when_nothing_matches(login):
    html = login("member1").get(PICK, {"field": "author", "member_q": "没有这个人"}).content.decode()
    assert "没有姓名含“没有这个人”的委员" in html and "radio" not in html
    found = Member.objects.active().order_by("name").first()
    html = login("member1").get(PICK, {"field": "author", "member_q": found.name}).content.decode()
    assert f'type="radio" name="author" value="{found.pk}"' in html


def test_a_strange_field_name_gets_no_matches(login):
    name = Member.objects.active().first().name
    html = login("staff").get(PICK, {"field": '"><script>', "member_q": name}).content.decode()
    assert "<script>" not in html and "value=" not in html


def test_the_chosen_members_are_shown_ticked_after_a_refused_post(login):
    """A form sent back with an error keeps what was picked, by name."""
    chosen = Member.objects.active().order_by("pk")[:2]
    response = login("staff").post(reverse("stations:reassign"), {"members": [m.pk for m in chosen]})
    html = response.content.decode()
    assert response.status_code == 200
    for m in chosen:
        assert f'name="members" value="{m.pk}" checked' in html


def test_the_field_still_refuses_a_member_outside_its_queryset(login):
    from members.performance.forms import CpcContactForm

    cpc = Member.objects.active().filter(party__kind="cpc").first()
    other = Member.objects.active().exclude(party__kind="cpc").first()
    form = CpcContactForm({"cpc_member": other.pk, "non_cpc_member": cpc.pk})
    assert not form.is_valid()
    assert set(form.errors) == {"cpc_member", "non_cpc_member"}
