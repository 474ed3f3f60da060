"""社情民意 issues (第N期, 专报), adoption by the 市政协 / 全国政协 with its ledger credit, the
channel a report came through, and the same form sent twice filing one report."""

import io
import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from members.enums import PerformanceAct
from members.performance.models import PerformanceRecord
from proposals.models import OpinionIssue, PublicOpinion
from proposals.opinions import services
from proposals.opinions.enums import HigherLevel, IssueKind, IssueStatus, OpinionChannel, OpinionStatus

pytestmark = pytest.mark.django_db


def adopted(demo, title: str, actor="member2") -> PublicOpinion:
    opinion = services.opinion_file(actor=demo[actor], title=title, situation="情况。", suggestion="建议。")
    return services.opinion_decide(opinion=opinion, actor=demo["staff"], adopt=True, to_party_committee=True)


def test_issues_are_numbered_per_kind_and_year_without_gaps(demo):
    a, b, c = (adopted(demo, f"报告{k}") for k in range(3))
    last = OpinionIssue.objects.filter(kind=IssueKind.REGULAR, year=2027).count()
    first = services.issue_create(
        actor=demo["staff"], kind=IssueKind.REGULAR, opinions=[a], compiled_on=date(2027, 1, 5)
    )
    second = services.issue_create(
        actor=demo["staff"], kind=IssueKind.REGULAR, opinions=[b, c], compiled_on=date(2027, 1, 9)
    )
    special = services.issue_create(
        actor=demo["staff"], kind=IssueKind.SPECIAL, opinions=[a], compiled_on=date(2027, 1, 9)
    )
    assert (first.number, second.number) == (last + 1, last + 2)
    assert special.number == 1 and special.label == "《社情民意专报》2027年第1期"
    assert first.label == f"《社情民意》2027年第{last + 1}期"
    assert set(second.opinions.all()) == {b, c} and first.status == IssueStatus.DRAFT
    assert a.events.filter(action="in_issue").count() == 2


def test_only_adopted_reports_go_into_an_issue_and_only_staff_compile(demo):
    pending = services.opinion_file(actor=demo["member2"], title="待审", situation="s", suggestion="s")
    count = OpinionIssue.objects.count()
    with pytest.raises(ValidationFailed):
        services.issue_create(actor=demo["staff"], kind=IssueKind.REGULAR, opinions=[pending])
    with pytest.raises(ValidationFailed):
        services.issue_create(actor=demo["staff"], kind=IssueKind.REGULAR, opinions=[])
    with pytest.raises(PermissionDeniedError):
        services.issue_create(actor=demo["leader"], kind=IssueKind.REGULAR, opinions=[adopted(demo, "已采用")])
    assert OpinionIssue.objects.count() == count


def test_sending_records_each_recipient_once(demo):
    issue = services.issue_create(actor=demo["staff"], kind=IssueKind.REGULAR, opinions=[adopted(demo, "报送")])
    with pytest.raises(ValidationFailed):
        services.issue_send(actor=demo["staff"], issue=issue, recipients=[" "])
    with pytest.raises(ValidationFailed):
        services.issue_send(actor=demo["staff"], issue=issue, recipients=["区委"], on=issue.compiled_on - timedelta(1))
    services.issue_send(actor=demo["staff"], issue=issue, recipients=["区委办公室", "区政府办公室"])
    services.issue_send(actor=demo["staff"], issue=issue, recipients=["区委办公室", "市政协研究室"])
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and issue.sent_on == timezone.localdate()
    assert sorted(issue.deliveries.values_list("recipient", flat=True)) == [
        "区委办公室",
        "区政府办公室",
        "市政协研究室",
    ]
    with pytest.raises(PermissionDeniedError):
        services.issue_send(actor=demo["member2"], issue=issue, recipients=["区委"])


def test_the_issue_list_pdf_and_word_files(login, demo):
    client = login("staff")
    issues = client.get("/opinions/issues/").content.decode()
    issue = OpinionIssue.objects.filter(kind=IssueKind.SPECIAL).first()
    assert issue.label in issues
    pdf = client.get(reverse("opinions:issue-pdf", args=[issue.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    word = client.get(reverse("opinions:issue-docx", args=[issue.pk]))
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "社情民意专报" in text and issue.opinions.first().report_title in text
    assert "区委主要领导" in text


def test_staff_compile_and_send_through_the_pages(login, demo):
    client = login("staff")
    opinion = adopted(demo, "页面编发")
    page = client.get(reverse("opinions:issue-new")).content.decode()
    assert "页面编发" in page
    response = client.post(
        reverse("opinions:issue-new"),
        {"kind": "regular", "compiled_on": timezone.localdate(), "opinions": [opinion.pk]},
    )
    issue = OpinionIssue.objects.get(opinions=opinion)
    assert response["Location"] == issue.get_absolute_url()
    client.post(
        reverse("opinions:issue-send", args=[issue.pk]),
        {"recipients": ["区委办公室"], "others": "区人大办、区纪委", "sent_on": timezone.localdate()},
    )
    assert sorted(issue.deliveries.values_list("recipient", flat=True)) == ["区人大办", "区委办公室", "区纪委"]


def credits(opinion) -> list[str]:
    return sorted(
        PerformanceRecord.objects.filter(member=opinion.author, note__contains=opinion.title).values_list(
            "act", flat=True
        )
    )


def test_adoption_by_the_city_and_national_cppcc_is_each_credited(demo):
    opinion = adopted(demo, "上级采用")
    services.opinion_record_higher_adoption(
        opinion=opinion, actor=demo["staff"], level=HigherLevel.CITY, adopted_on=timezone.localdate()
    )
    services.opinion_record_higher_adoption(
        opinion=opinion,
        actor=demo["staff"],
        level=HigherLevel.NATIONAL,
        adopted_on=timezone.localdate(),
        note="《全国政协信息》",
    )
    assert credits(opinion) == sorted([PerformanceAct.OPINION_ADOPTED_CITY, PerformanceAct.OPINION_ADOPTED_NATIONAL])
    with pytest.raises(TransitionNotAllowed):  # once per level
        services.opinion_record_higher_adoption(
            opinion=opinion, actor=demo["staff"], level=HigherLevel.CITY, adopted_on=timezone.localdate()
        )
    assert opinion.higher_adoptions.count() == 2


def test_higher_adoption_is_refused_before_district_adoption_or_by_non_staff(demo):
    pending = services.opinion_file(actor=demo["member2"], title="未采用", situation="s", suggestion="s")
    with pytest.raises(TransitionNotAllowed):
        services.opinion_record_higher_adoption(
            opinion=pending, actor=demo["staff"], level="city", adopted_on=timezone.localdate()
        )
    opinion = adopted(demo, "日期")
    with pytest.raises(ValidationFailed):
        services.opinion_record_higher_adoption(
            opinion=opinion, actor=demo["staff"], level="city", adopted_on=timezone.localdate() - timedelta(days=400)
        )
    with pytest.raises(PermissionDeniedError):
        services.opinion_record_higher_adoption(
            opinion=opinion, actor=demo["member2"], level="city", adopted_on=timezone.localdate()
        )
    assert not opinion.higher_adoptions.exists()


def test_the_demo_has_a_city_adoption_and_issues_with_reports(demo):
    lift = PublicOpinion.objects.get(title="关于杨村街道老旧小区加装电梯资金分摊难的情况反映")
    assert lift.higher_adoptions.filter(level=HigherLevel.CITY).exists()
    assert PerformanceRecord.objects.filter(act=PerformanceAct.OPINION_ADOPTED_CITY, member=lift.author).exists()
    assert OpinionIssue.objects.filter(opinions__isnull=False, status=IssueStatus.SENT).exists()


def test_staff_record_the_channel(demo):
    opinion = services.opinion_file(actor=demo["member2"], title="渠道", situation="s", suggestion="s")
    assert opinion.channel == OpinionChannel.MEMBER
    services.opinion_set_channel(opinion=opinion, actor=demo["staff"], channel=OpinionChannel.THROUGH_TRAIN)
    opinion.refresh_from_db()
    assert opinion.get_channel_display() == "政协直通车"
    assert opinion.events.filter(action="channel").count() == 1
    with pytest.raises(ValidationFailed):
        services.opinion_set_channel(opinion=opinion, actor=demo["staff"], channel="pigeon")
    with pytest.raises(PermissionDeniedError):
        services.opinion_set_channel(opinion=opinion, actor=demo["member2"], channel=OpinionChannel.ONLINE)


def test_the_same_report_form_sent_twice_files_one_report(login, demo):
    client = login("member2")
    data = {"title": "离线写的社情民意", "situation": "情况。", "suggestion": "建议。", "form_token": str(uuid.uuid4())}
    first = client.post(reverse("opinions:new"), data)
    second = client.post(reverse("opinions:new"), data, follow=True)
    opinion = PublicOpinion.objects.get(title="离线写的社情民意")
    assert first["Location"] == opinion.get_absolute_url() and opinion.status == OpinionStatus.SUBMITTED
    assert "已经报送过了" in second.content.decode()
    assert PublicOpinion.objects.filter(title="离线写的社情民意").count() == 1


def test_the_compile_form_keeps_the_ticked_reports_and_shows_its_errors(login, demo):
    client = login("staff")
    opinion = adopted(demo, "勾选保留")
    page = client.post(reverse("opinions:issue-new"), {"kind": "nonsense", "opinions": [opinion.pk]}).content.decode()
    assert f'name="opinions" value="{opinion.pk}" id="id_opinions_0" checked>' in page, "newest first, kept ticked"
    assert 'id="id_kind"' in page and "is-invalid" in page
    page = client.post(reverse("opinions:issue-new"), {"kind": "regular"}).content.decode()
    assert 'id="id_opinions_error"' in page and " checked>" not in page
    assert not OpinionIssue.objects.filter(opinions=opinion).exists()
