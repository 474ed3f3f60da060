"""``backfill_performance`` re-derives the proposals app's ledger entries (提案 and 社情民意)
exactly as the services wrote them, and honours the same conditions."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from members.enums import PerformanceAct
from members.models import Member
from members.performance.models import PerformanceRecord
from members.performance.services import performance_record
from proposals import ledger, services
from proposals.models import Proposal, ProposalEvent
from proposals.opinions import ledger as opinion_ledger
from proposals.opinions import services as opinion_services
from proposals.opinions.enums import InstructionLevel
from tests.members.performance.builders import ledger_rows, run_backfill, snapshot
from tests.proposals.builders import make_key

pytestmark = pytest.mark.django_db

A = PerformanceAct
# Written down here rather than imported from proposals.ledger, so a test fails if the module drops one.
PROPOSAL_ACTS = (
    A.PROPOSAL_FILED,
    A.PROPOSAL_COSIGNED,
    A.PROPOSAL_REGISTERED,
    A.PROPOSAL_REGISTERED_COSIGNER,
    A.PROPOSAL_KEY,
    A.PROPOSAL_EXCELLENT,
    A.OPINION_FILED,
    A.OPINION_ADOPTED,
    A.OPINION_INSTRUCTED,
)


def entries() -> set[tuple]:
    return ledger_rows(PROPOSAL_ACTS)


def backfill() -> str:
    return run_backfill(ledger) + run_backfill(opinion_ledger)


def of(source, act) -> dict[str, tuple[date, str]]:
    """username -> (on, note) of one act's entries on one proposal or report."""
    rows = PerformanceRecord.objects.filter(
        source_id=source.pk, source_type__model=source._meta.model_name, act=act
    ).values_list("member__user__username", "on", "note")
    return {username: (on, note) for username, on, note in rows}


def member(username: str) -> Member:
    return Member.objects.get(user__username=username)


def test_backfill_rewrites_the_demo_entries_exactly_and_only_once(demo):
    call_command("backfill_performance", "--scores-only", stdout=io.StringIO())
    before, scores_before = entries(), snapshot()
    used = {row[1] for row in before}
    assert used == set(PROPOSAL_ACTS), f"the demo should use every act, missing {set(PROPOSAL_ACTS) - used}"
    assert any(note.startswith("并入") for *_, note in before), "the merged demo proposal is credited with its note"

    PerformanceRecord.objects.filter(act__in=PROPOSAL_ACTS).delete()
    out = backfill()
    assert "提案：" in out and "社情民意：" in out
    assert entries() == before
    assert snapshot() == scores_before

    total = PerformanceRecord.objects.count()
    backfill()  # again: nothing doubles, nothing moves
    assert PerformanceRecord.objects.count() == total
    assert entries() == before
    assert snapshot() == scores_before


def test_declined_co_signer_withdrawn_and_merged_proposals(make_proposal, demo):
    # member2 confirms, member3 declines; registered.
    p = make_proposal("member1", co=["member2", "member3"], title="关于增设社区共享书柜的建议")
    services.proposal_cosign(proposal=p, actor=demo["member2"], version=None, decision="confirm")
    services.proposal_cosign(proposal=p, actor=demo["member3"], version=None, decision="decline")
    services.proposal_submit(proposal=p, actor=demo["member1"], version=None)
    services.proposal_register(proposal=p, actor=demo["staff"], version=None)
    # Withdrawn after submission; merged into p.
    gone = make_proposal("member2", upto="submitted", title="关于规范共享单车停放的建议")
    services.proposal_withdraw(proposal=gone, actor=demo["member2"], version=None)
    twin = make_proposal("member3", upto="submitted", title="关于建设社区共享书柜的建议")
    services.proposal_merge(proposal=twin, actor=demo["staff"], version=None, target=p)
    p, twin = Proposal.objects.get(pk=p.pk), Proposal.objects.get(pk=twin.pk)
    today = timezone.localdate()

    before = entries()
    PerformanceRecord.objects.filter(source_type__model="proposal", source_id__in=[p.pk, gone.pk, twin.pk]).delete()
    backfill()
    assert entries() == before
    assert of(p, A.PROPOSAL_FILED) == {"member1": (today, "")}
    assert of(p, A.PROPOSAL_COSIGNED) == {"member2": (today, "")}  # not member3, who declined
    assert of(p, A.PROPOSAL_REGISTERED) == {"member1": (today, "")}
    assert of(p, A.PROPOSAL_REGISTERED_COSIGNER) == {"member2": (today, "")}
    for act in PROPOSAL_ACTS:
        assert of(gone, act) == {}
    assert of(twin, A.PROPOSAL_FILED) == {"member3": (today, "")}
    assert of(twin, A.PROPOSAL_REGISTERED) == {"member3": (today, f"并入{p.number}")}


def test_unmarked_key_proposal_has_no_key_entry_even_if_one_was_left_behind(make_proposal, demo):
    p = make_proposal("member1", co=["member2"], upto="registered", title="关于打造15分钟健身圈的建议")
    kept = make_proposal("member3", upto="registered", title="关于推进垃圾分类进小区的建议")
    p, kept = make_key([p, kept], staff=demo["staff"], leader=demo["leader"])
    marked_on = date(2026, 3, 2)  # the key entry is dated by the latest 重点提案设置 on the timeline
    ProposalEvent.objects.filter(proposal=kept, action="mark-key").update(
        created_at=timezone.make_aware(datetime(2026, 3, 2, 10, 0))
    )
    Proposal.objects.filter(pk=p.pk).update(is_key=False)  # corrected in the database: no longer key

    PerformanceRecord.objects.filter(act=A.PROPOSAL_KEY, source_id__in=[p.pk, kept.pk]).delete()
    performance_record(member=member("member2"), act=A.PROPOSAL_KEY, source=p, on=timezone.localdate())  # stale
    backfill()
    assert of(p, A.PROPOSAL_KEY) == {}
    assert of(kept, A.PROPOSAL_KEY) == {"member3": (marked_on, "")}
    assert of(p, A.PROPOSAL_REGISTERED_COSIGNER) == {"member2": (timezone.localdate(), "")}


def test_returned_proposal_that_drops_a_co_signer_takes_back_the_credit(make_proposal, demo):
    p = make_proposal("member1", co=["member2"], upto="submitted", title="关于完善社区便民服务点的建议")
    assert set(of(p, A.PROPOSAL_COSIGNED)) == {"member2"}
    services.proposal_return(proposal=p, actor=demo["staff"], version=None, reason="请补充措施。")
    p = Proposal.objects.get(pk=p.pk)
    services.proposal_update(
        proposal=p,
        actor=demo["member1"],
        version=p.version,
        title=p.title,
        category=p.category,
        background=p.background,
        suggestions=p.suggestions,
        period=p.period,
        co_signers=[],
    )
    assert of(p, A.PROPOSAL_COSIGNED) == {}  # the service and the back-fill agree
    assert set(of(p, A.PROPOSAL_FILED)) == {"member1"}  # still a filed proposal, waiting to be resubmitted
    before = entries()
    backfill()
    assert entries() == before


def test_opinion_entries_follow_status_and_the_earliest_instruction(demo):
    def file(username: str, title: str):
        return opinion_services.opinion_file(
            actor=demo[username], title=title, situation="情况。", suggestion="建议。", on=date(2026, 4, 1)
        )

    refused = file("member3", "关于某品牌进社区推介的建议")
    opinion_services.opinion_decide(
        opinion=refused, actor=demo["staff"], adopt=False, reason="不宜报送。", on=date(2026, 4, 3)
    )
    adopted = file("member2", "关于路口信号灯配时的反映")
    opinion_services.opinion_decide(
        opinion=adopted, actor=demo["staff"], adopt=True, to_government=True, on=date(2026, 4, 3)
    )
    for leader, day in (("区长", date(2026, 4, 20)), ("副区长", date(2026, 4, 10))):
        opinion_services.opinion_record_instruction(
            opinion=adopted,
            actor=demo["staff"],
            leader=leader,
            level=InstructionLevel.DISTRICT,
            text="阅。",
            instructed_on=day,
        )
    before = entries()
    PerformanceRecord.objects.filter(
        source_type__model="publicopinion", source_id__in=[refused.pk, adopted.pk]
    ).delete()
    backfill()
    assert entries() == before
    assert of(refused, A.OPINION_FILED) == {"member3": (date(2026, 4, 1), "")}
    assert of(refused, A.OPINION_ADOPTED) == {}
    assert of(adopted, A.OPINION_ADOPTED) == {"member2": (date(2026, 4, 3), "")}
    assert of(adopted, A.OPINION_INSTRUCTED) == {"member2": (date(2026, 4, 10), "")}


def test_backfill_reads_the_records_in_a_fixed_number_of_queries(
    make_proposal, demo, monkeypatch, django_assert_max_num_queries
):
    """Ledger rows, key and excellent dates, proposals, their signers (with members); ledger rows and reports:
    seven queries however many there are; what remains is one idempotent record call per entry."""
    from django.contrib.contenttypes.models import ContentType

    from proposals.models import PublicOpinion

    make_proposal("member1", co=["member2", "member3"], upto="registered", title="关于优化公交线网的建议")
    ContentType.objects.get_for_models(Proposal, PublicOpinion)  # cached, as in any running process
    wanted: list[tuple] = []

    def collect(source, want, existing):
        wanted.extend((source._meta.model_name, source.pk, act, e.member.pk) for act, es in want.items() for e in es)
        return 0, 0

    monkeypatch.setattr(ledger, "sync", collect)
    monkeypatch.setattr(opinion_ledger, "sync", collect)
    with django_assert_max_num_queries(7):
        ledger.backfill(io.StringIO())
        opinion_ledger.backfill(io.StringIO())
    assert len(wanted) == len(entries())
