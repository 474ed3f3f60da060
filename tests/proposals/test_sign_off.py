"""Unit sign-off: the 经办人 drafts, the 负责人 signs (签发); the 答复函 is generated from the
unit's entries as PDF and .docx for the proposer and staff."""

from __future__ import annotations

import pytest

from cppcc_portal.errors import PermissionDeniedError, ValidationFailed
from proposals import services
from proposals.enums import AssignmentState
from proposals.models import ProposalEvent
from tests.proposals.builders import assignment_of, contact
from tests.proposals.test_documents import docx_as_pdf_text, pdf_text

pytestmark = pytest.mark.django_db

TEXT = "已将社区图书室纳入全民阅读设施建设计划。"
LETTER = {"letter_number": "区教函〔2026〕21号", "letter_contact": "刘老师", "letter_phone": "022-29391234"}


def draft(p, user, **extra):
    return services.assignment_draft_reply(
        proposal=p,
        actor=user,
        version=None,
        reply_class=extra.pop("reply_class", "A"),
        reply_text=extra.pop("reply_text", TEXT),
        publishable=extra.pop("publishable", True),
        **{**LETTER, **extra},
    )


def sign(p, user):
    a = assignment_of(p)
    return services.assignment_reply(
        proposal=p,
        actor=user,
        version=None,
        reply_class=a.draft_class,
        reply_text=a.draft_text,
        publishable=a.draft_publishable,
    )


def test_the_clerk_drafts_and_only_the_head_signs(make_proposal, demo):
    p = make_proposal("member1", upto="accepted")
    contact(p, demo["unit_edu"])
    draft(p, demo["unit_edu"])
    a = assignment_of(p)
    assert a.drafted_by == demo["unit_edu"] and a.state == AssignmentState.ACCEPTED
    assert a.letter_cc == "区政协提案委员会，区政府办公室"
    with pytest.raises(PermissionDeniedError):
        sign(p, demo["unit_edu"])
    with pytest.raises(PermissionDeniedError):  # another unit's head
        sign(p, demo["unit_health"])
    assert assignment_of(p).state == AssignmentState.ACCEPTED
    sign(p, demo["unit_edu_head"])
    a = assignment_of(p)
    assert a.state == AssignmentState.REPLIED and a.signed_by == demo["unit_edu_head"]
    assert (a.reply_text, a.letter_number, a.letter_contact) == (TEXT, "区教函〔2026〕21号", "刘老师")
    labels = list(ProposalEvent.objects.filter(proposal=p).values_list("action", flat=True))
    assert labels[-3:] == ["draft-reply", "reply", "reply:proposal"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"reply_class": "D"}, "请选择答复类别"),
        ({"reply_text": "  "}, "请填写答复内容"),
        ({"publishable": False}, "不公开时须说明理由"),
    ],
)
def test_a_draft_needs_class_text_and_a_reason_to_withhold(make_proposal, demo, extra, message):
    p = make_proposal("member1", upto="accepted")
    with pytest.raises(ValidationFailed, match=message):
        draft(p, demo["unit_edu"], **extra)
    assert not assignment_of(p).drafted_at


def test_the_head_sees_the_draft_on_the_sign_page(make_proposal, demo, login):
    p = make_proposal("member1", upto="accepted")
    draft(p, demo["unit_edu"])
    html = login("unit_edu_head").get(f"/proposals/{p.pk}/reply/").content.decode()
    assert TEXT in html and "区教函〔2026〕21号" in html
    assert login("unit_edu").get(f"/proposals/{p.pk}/reply/").status_code == 403


def signed(make_proposal, demo):
    p = make_proposal("member1", co=["member2"], upto="accepted")
    contact(p, demo["unit_edu"])
    draft(p, demo["unit_edu"])
    sign(p, demo["unit_edu_head"])
    return p, assignment_of(p)


def test_the_letter_as_pdf_carries_the_units_entries(make_proposal, demo, login, tmp_path):
    p, a = signed(make_proposal, demo)
    response = login("member1").get(f"/proposals/letters/{a.pk}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    (tmp_path / "letter.pdf").write_bytes(response.content)
    text = pdf_text(tmp_path / "letter.pdf")
    for expected in ("区教函〔2026〕21号", p.number, TEXT, "签发人：区教育局王局长", "刘老师", "022-29391234", "抄送"):
        assert expected in text


def test_the_letter_as_docx_opens_in_libreoffice(make_proposal, demo, login, tmp_path):
    p, a = signed(make_proposal, demo)
    response = login("staff").get(f"/proposals/letters/{a.pk}.docx")
    assert response.status_code == 200
    text = docx_as_pdf_text(response.content, tmp_path)
    for expected in ("区教函〔2026〕21号", p.title, TEXT, "区教育局王局长", "区政协提案委员会"):
        assert expected in text


def test_no_letter_before_sign_off_and_none_for_outsiders(make_proposal, demo, login):
    p = make_proposal("member1", upto="accepted")
    draft(p, demo["unit_edu"])
    a = assignment_of(p)
    assert login("member1").get(f"/proposals/letters/{a.pk}.pdf").status_code == 404
    p, a = signed(make_proposal, demo)
    assert login("member3").get(f"/proposals/letters/{a.pk}.docx").status_code == 403
    assert login("unit_health").get(f"/proposals/letters/{a.pk}.pdf").status_code == 403
    assert login("member2").get(f"/proposals/letters/{a.pk}.pdf").status_code == 200  # a co-signer
