"""/public/proposals/?q=: 案由, 编号 or published reply text containing the words, however long.

Three characters or more are read from trigram indexes (migration 0021_search_trigram); shorter
searches are checked on each public proposal. Both must find exactly what a plain
case-insensitive ``contains`` over the public proposals finds."""

import pytest
from django.db.models import Exists, OuterRef, Q

from proposals import selectors
from proposals.enums import AssignmentState
from proposals.models import Assignment, Proposal

pytestmark = pytest.mark.django_db

CLOSED = "关于延长中小学体育场地课后开放时段的建议"  # demo: public, 区教育局 published its reply
REPLY = "已在全区学校推广Wi-Fi覆盖，体育场馆课后向社区开放。"


def reference(query: str) -> set[int]:
    """The search as it always was: each public proposal checked with ``icontains``."""
    published = (
        Assignment.objects.filter(proposal=OuterRef("pk"), publishable=True)
        .exclude(reply_text="")
        .exclude(state=AssignmentState.REASSIGNED)
    )
    matches = Q(title__icontains=query) | Q(number__icontains=query)
    matches |= Q(Exists(published.filter(reply_text__icontains=query)))
    return set(selectors.public_proposals({}).filter(matches).values_list("pk", flat=True))


@pytest.fixture
def public(demo):
    p = Proposal.objects.get(title=CLOSED)
    Assignment.objects.filter(proposal=p, publishable=True).update(reply_text=REPLY)
    return p


QUERIES = [
    "体",
    "体育",
    "体育场",
    "课后开放时段",
    "场馆课后",
    "wi-fi",
    "WI",
    "Fi",
    "覆盖，体",
    "没有的词",
    "号",
    "%",
    "_",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_search_finds_what_contains_finds(public, query):
    found = set(selectors.public_proposal_list({"q": query}).values_list("pk", flat=True))
    assert found == reference(query)


def test_titles_numbers_and_published_replies_are_found(public):
    def found(q):
        return set(selectors.public_proposal_list({"q": q}).values_list("pk", flat=True))

    assert public.pk in found("中小学体育") and public.pk in found("体育")
    assert public.pk in found(public.number[-4:]) and public.pk in found("wi-fi覆盖")
    assert public.pk not in found("没有的词")


def test_a_withheld_reply_is_not_searched(public, make_proposal, demo):
    Assignment.objects.filter(proposal=public).update(publishable=False, withhold_reason="涉密")
    assert public.pk not in set(selectors.public_proposal_list({"q": "wi-fi"}).values_list("pk", flat=True))


def test_the_public_list_page_shows_the_match(public, client):
    page = client.get("/public/proposals/", {"q": "Wi-Fi覆盖"}).content.decode()
    assert CLOSED in page and "Wi-Fi" in page
    assert CLOSED in client.get("/public/proposals/", {"q": "体育"}).content.decode()
