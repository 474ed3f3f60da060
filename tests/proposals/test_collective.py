"""集体提案: an organisation (民进区委) files in its own name, its head confirms, then it is submitted."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from cppcc_portal.models import Notification
from members.models import Member, Organization
from proposals import services
from proposals.enums import ProposalState, ProposerKind
from proposals.models import Proposal, ProposalCategory, ProposalEvent
from proposals.selectors import proposal_detail_queryset, visible_proposals
from proposals.workflow import available_actions
from tests.access import ROLES

pytestmark = pytest.mark.django_db

TITLE = "关于加强中小学校园心理辅导站建设的建议"


def contact_member(username="member2") -> Member:
    return Member.objects.get(user__username=username)


@pytest.fixture
def org_draft(demo):
    """民进区委's draft, written by its filer (经办), with member2 as its contact member."""

    def _make(actor="party_minjin", **extra) -> Proposal:
        return services.proposal_create(
            actor=demo[actor],
            title=extra.pop("title", TITLE),
            category=ProposalCategory.objects.first(),
            background="部分学校心理辅导站有名无实，专职教师不足。",
            suggestions="一是配齐专职心理教师；二是建立区级心理危机干预转介机制。",
            author=extra.pop("author", contact_member()),
            **extra,
        )

    return _make


def fresh(p: Proposal) -> Proposal:
    return proposal_detail_queryset().get(pk=p.pk)


def test_an_organisation_files_in_its_own_name(org_draft, demo):
    p = org_draft(proposer_org=Organization.objects.get(name="民盟区委"))  # another organisation's name is ignored
    assert p.proposer_org.name == "民进区委"
    assert (p.kind, p.collective_name, p.proposer_label) == (ProposerKind.ORGANIZATION, "民进区委", "民进区委")
    assert p.author == contact_member() and p.filed_by == demo["party_minjin"]
    assert p.awaits_head_confirmation


def test_submission_waits_for_the_head(org_draft, demo):
    p = org_draft()
    with pytest.raises(TransitionNotAllowed, match="负责人确认"):
        services.proposal_submit(proposal=p, actor=demo["party_minjin"], version=None)
    assert Proposal.objects.get(pk=p.pk).state == ProposalState.DRAFT
    with pytest.raises(PermissionDeniedError):  # the filer is not the head
        services.proposal_confirm_collective(proposal=p, actor=demo["party_minjin"], version=None)

    services.proposal_confirm_collective(proposal=p, actor=demo["party_minjin_head"], version=None, note="同意报送")
    p.refresh_from_db()
    assert p.head_confirmed_by == demo["party_minjin_head"] and p.head_confirmed_at
    assert Notification.objects.filter(recipient=demo["party_minjin"], subject__contains="负责人已确认").exists()
    with pytest.raises(TransitionNotAllowed, match="已经确认"):
        services.proposal_confirm_collective(proposal=p, actor=demo["party_minjin_head"], version=None)

    services.proposal_submit(proposal=p, actor=demo["party_minjin"], version=None)
    p.refresh_from_db()
    assert p.state == ProposalState.SUBMITTED and p.review_due
    assert list(ProposalEvent.objects.filter(proposal=p).values_list("action", flat=True)) == [
        "create",
        "confirm",
        "submit",
    ]
    assert Notification.objects.filter(recipient=demo["staff"], body__contains="提案人：民进区委").exists()


def test_an_edit_after_confirmation_needs_the_head_again(org_draft, demo):
    p = org_draft()
    services.proposal_confirm_collective(proposal=p, actor=demo["party_minjin_head"], version=None)
    p = fresh(p)
    services.proposal_update(
        proposal=p,
        actor=demo["party_minjin"],
        version=p.version,
        title=p.title,
        category=p.category,
        background=p.background + "（补充调研数据）",
        suggestions=p.suggestions,
        author=contact_member("member3"),
    )
    p.refresh_from_db()
    assert p.head_confirmed_at is None and p.author == contact_member("member3")
    assert ProposalEvent.objects.get(proposal=p, action="edit").note == "内容已修改，须提案单位负责人重新确认"
    with pytest.raises(TransitionNotAllowed):
        services.proposal_submit(proposal=p, actor=demo["party_minjin_head"], version=None)


def test_the_contact_member_neither_writes_nor_submits_it(org_draft, demo):
    p = org_draft()
    services.proposal_confirm_collective(proposal=p, actor=demo["party_minjin_head"], version=None)
    with pytest.raises(PermissionDeniedError):
        services.proposal_submit(proposal=p, actor=demo["member2"], version=None)
    with pytest.raises(PermissionDeniedError):
        services.proposal_withdraw(proposal=p, actor=demo["member2"], version=None)


def test_members_and_units_cannot_file_in_an_organisations_name(demo):
    for username in ("member1", "unit_edu"):
        with pytest.raises(PermissionDeniedError):
            services.proposal_create(
                actor=demo[username],
                title="t",
                category=ProposalCategory.objects.first(),
                background="b",
                suggestions="s",
                proposer_org=Organization.objects.get(name="民进区委"),
                author=contact_member(),
            )


def test_staff_file_only_for_a_proposer_organisation_with_a_contact(demo):
    common = dict(actor=demo["staff"], title="t", category=ProposalCategory.objects.first(), background="b")
    with pytest.raises(ValidationFailed, match="不是集体提案单位"):
        services.proposal_create(
            **common, suggestions="s", proposer_org=Organization.objects.get(name="区教育局"), author=contact_member()
        )
    with pytest.raises(ValidationFailed, match="联系委员"):
        services.proposal_create(**common, suggestions="s", proposer_org=Organization.objects.get(name="民进区委"))


def test_the_database_refuses_a_collective_kind_without_an_organisation(org_draft):
    p = org_draft()
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=p.pk).update(proposer_org=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=p.pk).update(kind=ProposerKind.INDIVIDUAL)


# --- who sees and does what, for every role ----------------------------------------------------

# On 民进区委's draft: its users see it (only the head may confirm); nobody else sees it at all,
# not the office, not the leaders, not its contact member (member2).
DRAFT_RULES = {
    "party_minjin": {"see", "edit", "withdraw"},
    "party_minjin_head": {"see", "edit", "withdraw", "confirm"},
}


# The superuser (admin) passes every rule, as on members' drafts (tests/proposals/access_rules.py).
PEOPLE = [r for r in ROLES if r not in ("anonymous", "admin")]


@pytest.mark.parametrize("role", [*PEOPLE, "party_minjin_head", "member3"])
def test_who_may_see_and_act_on_an_organisations_draft(role, org_draft, demo):
    p = fresh(org_draft(co_signers=[contact_member("member3")]))  # member3: another contact
    user = demo[role]
    expected = DRAFT_RULES.get(role, set())
    allowed = {"see"} if user.has_perm("proposals.see_proposal", p) else set()
    allowed |= {t.action for t in available_actions(p, user)}
    assert allowed == expected, role
    assert visible_proposals(user).filter(pk=p.pk).exists() == ("see" in expected)


@pytest.mark.parametrize("role", [*PEOPLE, "party_minjin_head"])
def test_once_submitted_the_office_and_the_contact_member_see_it(role, org_draft, demo):
    p = org_draft()
    services.proposal_confirm_collective(proposal=p, actor=demo["party_minjin_head"], version=None)
    services.proposal_submit(proposal=p, actor=demo["party_minjin"], version=None)
    p = fresh(p)
    sees = role in ("staff", "staff_proposals", "leader", "member2", "party_minjin", "party_minjin_head")
    assert demo[role].has_perm("proposals.see_proposal", p) == sees
    assert visible_proposals(demo[role]).filter(pk=p.pk).exists() == sees
    withdraws = role in ("party_minjin", "party_minjin_head")
    assert ("withdraw" in {t.action for t in available_actions(p, demo[role])}) == withdraws


def test_another_organisation_sees_none_of_it(org_draft, demo):
    from django.contrib.auth.models import Group

    from cppcc_portal.roles import Role
    from members.models import User

    p = fresh(org_draft())
    other = User.objects.create(
        username="party_minmeng", organization=Organization.objects.get(name="民盟区委"), is_unit_head=True
    )
    other.groups.add(Group.objects.get(name=Role.PROPOSER_ORG))
    assert not other.has_perm("proposals.see_proposal", p)
    assert not available_actions(p, other)
    assert not visible_proposals(other).filter(pk=p.pk).exists()
    with pytest.raises(PermissionDeniedError):
        services.proposal_confirm_collective(proposal=p, actor=other, version=None)


# --- pages and admin ---------------------------------------------------------------------------


def _form(**extra) -> dict:
    return {
        "title": "关于提升社区托育服务供给的建议",
        "category": ProposalCategory.objects.first().pk,
        "background": "托育机构少、价格高。",
        "suggestions": "一是发展普惠托育；二是社区嵌入式托育。",
        **extra,
    }


def test_the_organisations_form_files_in_its_name_and_needs_a_contact(login, demo):
    client = login("party_minjin")
    page = client.get(reverse("proposals:new")).content.decode()
    assert "以“民进区委”名义提出" in page and 'name="proposer_org"' not in page
    refused = client.post(reverse("proposals:new"), _form())
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    response = client.post(reverse("proposals:new"), _form(author=contact_member().pk))
    p = Proposal.objects.get(title="关于提升社区托育服务供给的建议")
    assert response["Location"] == p.get_absolute_url()
    assert (p.proposer_org.name, p.kind, p.author) == ("民进区委", ProposerKind.ORGANIZATION, contact_member())
    detail = client.get(p.get_absolute_url()).content.decode()
    assert "待单位负责人确认" in detail and reverse("proposals:confirm", args=[p.pk]) not in detail
    head_page = login("party_minjin_head").get(p.get_absolute_url()).content.decode()
    assert reverse("proposals:confirm", args=[p.pk]) in head_page


def test_staff_file_for_an_organisation_through_the_form(login, demo):
    client = login("staff")
    wrong = client.post(
        reverse("proposals:new"),
        _form(proposer_org=Organization.objects.get(name="区教育局").pk, author=contact_member().pk),
    )
    assert wrong.status_code == 200 and not Proposal.objects.filter(title="关于提升社区托育服务供给的建议").exists()
    women = Organization.objects.get(name="区妇联")
    client.post(reverse("proposals:new"), _form(proposer_org=women.pk, author=contact_member().pk))
    p = Proposal.objects.get(title="关于提升社区托育服务供给的建议")
    assert (p.proposer_org, p.collective_name, p.filed_by) == (women, "区妇联", demo["staff"])


def test_admin_lists_organisations_with_their_accounts_and_filters_proposals(login, demo):
    client = login("admin")
    minjin = Organization.objects.get(name="民进区委")
    change = client.get(reverse("admin:members_organization_change", args=[minjin.pk])).content.decode()
    assert "party_minjin_head" in change and "中国民主促进会" in change
    changelist = client.get(reverse("admin:proposals_proposal_changelist"), {"proposer_org": minjin.pk})
    assert changelist.status_code == 200 and "关于加强青少年近视防控工作的建议" in changelist.content.decode()


def test_the_organisation_fills_the_evaluation_form_and_it_counts_as_the_first_proposers(org_draft, demo):
    """征询意见表 of a collective proposal: 民进区委's own users fill it in; it is the first proposer's rating."""
    from proposals.enums import EvaluatorRole
    from proposals.models import Evaluation
    from tests.proposals.builders import contact

    p = org_draft()
    services.proposal_confirm_collective(proposal=p, actor=demo["party_minjin_head"], version=None)
    services.proposal_submit(proposal=p, actor=demo["party_minjin"], version=None)
    services.proposal_register(proposal=p, actor=demo["staff"], version=None)
    services.proposal_assign(
        proposal=p, actor=demo["staff"], version=None, lead_unit=Organization.objects.get(name="区教育局")
    )
    services.assignment_accept(proposal=p, actor=demo["unit_edu"], version=None)
    contact(p, demo["unit_edu"])
    services.assignment_reply(
        proposal=p, actor=demo["unit_edu_head"], version=None, reply_class="A", reply_text="已采纳。", publishable=True
    )
    assert "evaluate" in {t.action for t in available_actions(fresh(p), demo["party_minjin"])}
    for outsider in ("member3", "unit_edu", "party_minjin_other"):
        if outsider in demo:
            with pytest.raises(PermissionDeniedError):
                services.proposal_evaluate(
                    proposal=p, actor=demo[outsider], version=None, assignment=None,
                    attitude="satisfied", satisfaction="satisfied", met_in_person=True,
                )  # fmt: skip
    services.proposal_evaluate(
        proposal=p, actor=demo["party_minjin"], version=None, assignment=None,
        attitude="satisfied", satisfaction="basically_satisfied", met_in_person=True, comment="沟通充分。",
    )  # fmt: skip
    rating = Evaluation.objects.get(assignment__proposal=p)
    assert (rating.member, rating.role) == (contact_member(), EvaluatorRole.FIRST_PROPOSER)
    assert ProposalEvent.objects.filter(proposal=p, action="evaluate", actor=demo["party_minjin"]).exists()
    # Rated once: neither the organisation again nor its contact member after it.
    assert "evaluate" not in {t.action for t in available_actions(fresh(p), demo["party_minjin"])}
    assert "evaluate" not in {t.action for t in available_actions(fresh(p), demo["member2"])}
