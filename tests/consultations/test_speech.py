"""A speech is credited to the member's record: only those taking part may hand one in, and only until the end."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations import services
from consultations.models import Speech
from cppcc_portal.errors import PermissionDeniedError
from members.performance.models import PerformanceRecord

from .factories import make_session

pytestmark = pytest.mark.django_db

SPEECH = {"title": "关于校园周边交通的书面发言", "text": "建议增设护学岗。"}


def records() -> int:
    return PerformanceRecord.objects.count()


def test_a_member_not_taking_part_in_a_public_session_cannot_credit_a_speech(login, demo):
    session = make_session(required=("member1",), is_public=True)
    before = records()
    response = login("member2").post(f"/consultations/sessions/{session.pk}/speech/", SPEECH)
    assert response.status_code == 403
    with pytest.raises(PermissionDeniedError, match="受邀或已报名"):
        services.speech_submit(actor=demo["member2"], session=session, **SPEECH)
    assert not Speech.objects.filter(session=session).exists() and records() == before


def test_a_speech_cannot_be_credited_after_the_session_ended(login, demo):
    session = make_session(required=("member1",), starts_at=timezone.now() - timedelta(days=3))
    before = records()
    assert login("member1").post(f"/consultations/sessions/{session.pk}/speech/", SPEECH).status_code == 403
    with pytest.raises(PermissionDeniedError, match="会议已结束"):
        services.speech_submit(actor=demo["member1"], session=session, **SPEECH)
    assert not Speech.objects.filter(session=session).exists() and records() == before


def test_a_member_who_declined_cannot_credit_a_speech(demo):
    session = make_session(required=(), signup=("member2",))
    services.invitation_answer(actor=demo["member2"], session=session, answer="declined")
    with pytest.raises(PermissionDeniedError):
        services.speech_submit(actor=demo["member2"], session=session, **SPEECH)


def test_a_member_who_signed_up_for_a_public_session_may_hand_in_a_speech(demo):
    session = make_session(required=(), is_public=True)
    services.invitation_answer(actor=demo["member2"], session=session, answer="attending")
    speech = services.speech_submit(actor=demo["member2"], session=session, **SPEECH)
    assert speech.member.user == demo["member2"]
