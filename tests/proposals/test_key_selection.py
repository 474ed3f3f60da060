"""重点提案遴选: staff nominate, a leader records the 主席会议's decision, 督办 and 领办 leaders, 督办 records,
the 重点提案办理情况 report."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, StaleObjectError, TransitionNotAllowed, ValidationFailed
from members.enums import PerformanceAct
from members.performance.models import PerformanceRecord
from proposals import documents, selectors, services
from proposals.enums import REGISTERED_STATES, KeySelectionState
from proposals.models import KeyCandidate, KeySelection, Proposal, ProposalEvent, ProposalSettings

TODAY = timezone.localdate


@pytest.fixture
def round_of(demo, make_proposal):
    """An open round with three registered candidates of the current session."""

    def _make(count: int = 3):
        made = [
            make_proposal(
                "member1", co=["member2"] if k == 0 else (), upto="registered", title=f"关于测试遴选{k}的建议"
            )
            for k in range(count)
        ]
        selection = services.key_selection_open(actor=demo["staff"], session=made[0].session)
        services.key_selection_nominate(selection=selection, actor=demo["staff"], version=None, proposals=made)
        return KeySelection.objects.get(pk=selection.pk), made

    return _make


def fresh(p: Proposal) -> Proposal:
    return Proposal.objects.get(pk=p.pk)


def key_credit(p: Proposal) -> set[str]:
    return set(
        PerformanceRecord.objects.filter(
            act=PerformanceAct.PROPOSAL_KEY, source_type__model="proposal", source_id=p.pk
        ).values_list("member__user__username", flat=True)
    )


def test_the_decision_makes_the_chosen_candidates_key_and_leaves_the_others(round_of, demo):
    selection, (a, b, c) = round_of()
    made = services.key_selection_decide(
        selection=selection,
        actor=demo["leader"],
        version=selection.version,
        meeting_on=TODAY() - timedelta(days=1),
        chosen=[a, c],
        note="同意",
    )
    assert [p.pk for p in made] == [a.pk, c.pk]
    assert fresh(a).is_key and fresh(c).is_key and not fresh(b).is_key
    selection.refresh_from_db()
    assert selection.state == KeySelectionState.DECIDED and selection.decided_by == demo["leader"]
    assert selection.meeting_on == TODAY() - timedelta(days=1)
    assert dict(KeyCandidate.objects.filter(selection=selection).values_list("proposal_id", "chosen")) == {
        a.pk: True,
        b.pk: False,
        c.pk: True,
    }
    # On the timelines, and credited to the proposers (the co-signer too).
    assert ProposalEvent.objects.filter(proposal=a, action="mark-key", label="主席会议确定为重点提案").exists()
    assert ProposalEvent.objects.filter(proposal=b, action="key_not_chosen").exists()
    assert key_credit(a) == {"member1", "member2"} and key_credit(b) == set()


def test_only_a_leader_records_the_decision(round_of, demo):
    selection, made = round_of()
    for who in ("staff", "member1", "unit_edu"):
        with pytest.raises(PermissionDeniedError):
            services.key_selection_decide(
                selection=selection, actor=demo[who], version=None, meeting_on=TODAY(), chosen=made
            )
    assert not any(fresh(p).is_key for p in made)
    assert KeySelection.objects.get(pk=selection.pk).is_open


def test_decision_refuses_an_empty_list_a_stranger_a_future_meeting_and_a_stale_page(round_of, demo, make_proposal):
    selection, made = round_of()
    leader = demo["leader"]
    with pytest.raises(ValidationFailed, match="至少选择一件"):
        services.key_selection_decide(selection=selection, actor=leader, version=None, meeting_on=TODAY(), chosen=[])
    stranger = make_proposal("member3", upto="registered", title="关于不在候选名单中的建议")
    with pytest.raises(ValidationFailed, match="不在本轮候选名单中"):
        services.key_selection_decide(
            selection=selection, actor=leader, version=None, meeting_on=TODAY(), chosen=[made[0], stranger]
        )
    with pytest.raises(ValidationFailed, match="主席会议日期"):
        services.key_selection_decide(
            selection=selection, actor=leader, version=None, meeting_on=TODAY() + timedelta(days=1), chosen=made
        )
    with pytest.raises(StaleObjectError):
        services.key_selection_decide(
            selection=selection, actor=leader, version=selection.version - 1, meeting_on=TODAY(), chosen=made
        )
    assert not any(fresh(p).is_key for p in [*made, stranger])
    assert KeySelection.objects.get(pk=selection.pk).is_open


def test_a_round_is_decided_once(round_of, demo):
    selection, made = round_of()
    services.key_selection_decide(
        selection=selection, actor=demo["leader"], version=None, meeting_on=TODAY(), chosen=made[:1]
    )
    with pytest.raises(TransitionNotAllowed, match="不能重复决定"):
        services.key_selection_decide(
            selection=selection, actor=demo["leader"], version=None, meeting_on=TODAY(), chosen=made
        )
    with pytest.raises(TransitionNotAllowed):
        services.key_selection_nominate(selection=selection, actor=demo["staff"], version=None, proposals=made[1:])
    assert not fresh(made[1]).is_key


def test_one_refused_proposal_makes_nothing_key(round_of, demo):
    """The decision is one transaction: a chosen proposal the door refuses undoes the others."""
    selection, (a, b, _c) = round_of()
    Proposal.objects.filter(pk=b.pk).update(is_key=True)  # made key elsewhere meanwhile
    with pytest.raises(TransitionNotAllowed):
        services.key_selection_decide(
            selection=selection, actor=demo["leader"], version=None, meeting_on=TODAY(), chosen=[a, b]
        )
    assert not fresh(a).is_key
    assert KeySelection.objects.get(pk=selection.pk).is_open


def test_nomination_takes_registered_proposals_of_the_session_only(round_of, demo, make_proposal):
    selection, made = round_of(1)
    staff = demo["staff"]
    submitted = make_proposal("member3", upto="submitted", title="关于尚未立案的建议")
    with pytest.raises(ValidationFailed, match="尚未立案"):
        services.key_selection_nominate(selection=selection, actor=staff, version=None, proposals=[submitted])
    with pytest.raises(ValidationFailed, match="已在本轮候选名单中"):
        services.key_selection_nominate(selection=selection, actor=staff, version=None, proposals=made)
    key = Proposal.objects.filter(is_key=True).first()
    with pytest.raises(ValidationFailed, match="已是重点提案"):
        services.key_selection_nominate(selection=selection, actor=staff, version=None, proposals=[key])
    with pytest.raises(ValidationFailed):
        services.key_selection_nominate(selection=selection, actor=staff, version=None, proposals=[])
    with pytest.raises(PermissionDeniedError):
        services.key_selection_nominate(selection=selection, actor=demo["leader"], version=None, proposals=[submitted])
    with pytest.raises(StaleObjectError):
        services.key_selection_nominate(
            selection=selection, actor=staff, version=selection.version - 1, proposals=[submitted]
        )
    assert selection.candidates.count() == 1


def test_one_open_round_per_session_and_staff_may_drop_a_candidate(round_of, demo):
    selection, (a, b, _c) = round_of()
    with pytest.raises(ValidationFailed, match="正在进行"):
        services.key_selection_open(actor=demo["staff"], session=selection.session)
    with pytest.raises(PermissionDeniedError):
        services.key_selection_open(actor=demo["leader"], session=selection.session)
    services.key_selection_drop(selection=selection, actor=demo["staff"], version=None, proposal=b)
    assert set(selection.candidates.values_list("proposal_id", flat=True)) == {a.pk, _c.pk}
    with pytest.raises(ValidationFailed):
        services.key_selection_drop(selection=selection, actor=demo["staff"], version=None, proposal=b)


def test_share_against_the_norm(round_of, demo):
    selection, _made = round_of()
    registered = Proposal.objects.filter(session=selection.session, state__in=REGISTERED_STATES).count()
    share = selectors.key_share(selection.session, 3)
    assert (share.registered, share.percent) == (registered, round(300 / registered, 1))
    assert selectors.key_share(selection.session, 0).warning == "占立案提案的0.0%，低于5%–10%的常规比例。"
    within = registered * 7 // 100 or 1
    assert selectors.key_share(selection.session, within).warning == ""
    assert "高于5%–10%" in selectors.key_share(selection.session, registered).warning
    settings = ProposalSettings.get()  # the norm is a setting staff change
    settings.key_share_min, settings.key_share_max = 1, 2
    settings.save()
    assert "高于1%–2%" in selectors.key_share(selection.session, registered).warning


def test_key_leaders_and_supervision_records(round_of, demo):
    selection, made = round_of(1)
    (p,) = services.key_selection_decide(
        selection=selection, actor=demo["leader"], version=None, meeting_on=TODAY(), chosen=made
    )
    with pytest.raises(ValidationFailed, match="主席会议成员"):
        services.proposal_set_key_leaders(proposal=p, actor=demo["staff"], version=None, leader=demo["member1"])
    with pytest.raises(ValidationFailed, match="姓名和职务"):
        services.proposal_set_key_leaders(
            proposal=p,
            actor=demo["staff"],
            version=None,
            leader=demo["leader"],
            leading=[services.LeadingName(name="王建国", post="")],
        )
    with pytest.raises(PermissionDeniedError):
        services.proposal_set_key_leaders(proposal=p, actor=demo["member1"], version=None, leader=demo["leader"])
    services.proposal_set_key_leaders(
        proposal=p,
        actor=demo["staff"],
        version=None,
        leader=demo["leader"],
        leading=[services.LeadingName(name="王建国", post="副区长")],
    )
    p = fresh(p)
    assert p.key_leader == demo["leader"]
    assert [str(x) for x in p.leading_officials.all()] == ["副区长王建国"]
    services.proposal_record_supervision(
        proposal=p,
        actor=demo["leader"],
        version=None,
        kind="forum",
        on=TODAY(),
        notes="召开督办座谈会。",
        attendees="督办领导、提案人、区教育局",
    )
    event = ProposalEvent.objects.filter(proposal=p, action="supervise").get()
    assert "座谈督办" in event.note and "参加人员：督办领导、提案人、区教育局" in event.note
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        services.proposal_record_supervision(
            proposal=p, actor=demo["leader"], version=None, kind="forum", on=TODAY() + timedelta(days=1), notes="x"
        )
    with pytest.raises(ValidationFailed):
        services.proposal_record_supervision(
            proposal=p, actor=demo["leader"], version=None, kind="forum", on=TODAY(), notes=" "
        )
    other = made[0].pk  # a leader who does not supervise it may not record on it, nor a member
    with pytest.raises(PermissionDeniedError):
        services.proposal_record_supervision(
            proposal=other, actor=demo["member1"], version=None, kind="forum", on=TODAY(), notes="x"
        )


def test_a_proposal_not_key_has_no_leaders_or_supervision(make_proposal, demo):
    p = make_proposal("member1", upto="registered", title="关于普通提案的建议")
    with pytest.raises(TransitionNotAllowed):
        services.proposal_set_key_leaders(proposal=p, actor=demo["staff"], version=None, leader=demo["leader"])
    with pytest.raises(TransitionNotAllowed):
        services.proposal_record_supervision(
            proposal=p, actor=demo["staff"], version=None, kind="forum", on=TODAY(), notes="x"
        )


def test_demo_shows_a_decided_round_with_supervision(demo):
    selection = KeySelection.objects.get()
    assert selection.state == KeySelectionState.DECIDED
    chosen = [c.proposal for c in selection.candidates.filter(chosen=True)]
    assert chosen and selection.candidates.filter(chosen=False).exists()
    assert all(p.is_key and p.key_leader_id for p in chosen)
    assert all(p.supervisions.exists() for p in chosen)
    assert any(p.leading_officials.exists() for p in chosen)


def test_key_report_lists_each_key_proposal(demo):
    from docx import Document

    session = KeySelection.objects.get().session
    proposals = list(selectors.session_key_proposals(session))
    text = "\n".join(p.text for p in Document(BytesIO(documents.key_report_docx(session, proposals))).paragraphs)
    for p in proposals:
        assert p.title in text
        assert f"督办领导：{p.key_leader.display_name}" in text
    assert "现场督办" in text or "调研督办" in text
    pdf = documents.key_report_pdf_bytes(session, proposals)
    assert pdf.startswith(b"%PDF")


def test_pages_nominate_and_decide(client, demo, make_proposal):
    """Through the pages: staff open a round and nominate, the leader decides, staff name the leaders."""
    made = [make_proposal("member1", upto="registered", title=f"关于页面遴选{k}的建议") for k in range(2)]
    client.force_login(demo["staff"])
    response = client.post(reverse("proposals:key-selections"), {"session": made[0].session_id, "title": ""})
    selection = KeySelection.objects.get(state=KeySelectionState.NOMINATING)
    assert response.status_code == 302 and response["Location"] == selection.get_absolute_url()
    url = selection.get_absolute_url()
    client.post(url, {"op": "nominate", "version": selection.version, "proposals": [p.pk for p in made]})
    assert selection.candidates.count() == 2
    page = client.get(url).content.decode()
    assert "候选提案 2 件" in page and 'id="decide"' not in page
    # A staff member cannot post the decision.
    selection.refresh_from_db()
    data = {"op": "decide", "version": selection.version, "meeting_on": TODAY().isoformat(), "chosen": [made[0].pk]}
    assert client.post(url, data).status_code == 403
    client.force_login(demo["leader"])
    assert 'id="decide"' in client.get(url).content.decode()
    client.post(url, {**data, "version": selection.version - 1})  # stale page: refused
    assert not fresh(made[0]).is_key
    response = client.post(url, data, follow=True)
    assert "确定重点提案1件" in response.content.decode()
    assert fresh(made[0]).is_key and not fresh(made[1]).is_key
    response = client.post(
        reverse("proposals:key-leaders", args=[made[0].pk]),
        {"version": fresh(made[0]).version, "leader": demo["leader"].pk, "leading": "副区长 王建国", "note": ""},
    )
    assert response.status_code == 302
    assert str(fresh(made[0]).leading_officials.get()) == "副区长王建国"
