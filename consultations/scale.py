"""Consultations' part of ``manage.py seed_scale``: a few hundred past and coming
sessions with their invitations (see ``cppcc_portal.scale``)."""

from __future__ import annotations

from datetime import timedelta

from cppcc_portal.hooks import register
from cppcc_portal.scale import SCALE_MARK, Scale
from members.models import Committee, Member

from .enums import InvitationKind, RsvpStatus
from .models import ConsultationForm, Invitation, Session

INVITED = 20


def seed_sessions(scale: Scale) -> None:
    rng = scale.rng
    forms = list(ConsultationForm.objects.values_list("pk", flat=True))
    committees = list(Committee.objects.values_list("pk", flat=True))
    members = list(Member.objects.filter(status="active").values_list("pk", flat=True))
    if not forms or not members:
        return

    last_pk = Session.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def rows():
        for n in range(scale.consultations):
            day = scale.today + timedelta(days=rng.randrange(-700, 60))
            starts = scale.aware(day, 9)
            past = day < scale.today
            yield dict(
                title=f"专题协商会第{n + 1}场（{SCALE_MARK}）",
                form_id=forms[n % len(forms)],
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                venue="区政协机关第一会议室",
                organiser_id=committees[n % len(committees)] if committees else None,
                description="听取情况通报；委员发言；部门回应。",
                notice_due=day - timedelta(days=21),
                notice_sent_at=scale.aware(day - timedelta(days=22)) if past else None,
                materials_due=day - timedelta(days=14),
                materials_sent_at=scale.aware(day - timedelta(days=15)) if past else None,
                reminder_due=day - timedelta(days=1),
                minutes_due=day + timedelta(days=9),
                minutes_text="会议纪要：与会委员围绕议题建言献策。" if past and n % 4 else "",
                minutes_done_at=scale.aware(day + timedelta(days=5)) if past and n % 4 else None,
            )

    scale.bulk(Session, rows(), scale.consultations)
    sessions = Session.objects.filter(pk__gt=last_pk).values_list("pk", "starts_at")
    statuses = [RsvpStatus.ATTENDING, RsvpStatus.LEAVE_APPROVED, RsvpStatus.PENDING]

    def invitations():
        for pk, starts in list(sessions):
            for member_id in rng.sample(members, min(INVITED, len(members))):
                status = rng.choices(statuses, weights=[80, 10, 10])[0]
                yield dict(
                    session_id=pk,
                    member_id=member_id,
                    kind=InvitationKind.REQUIRED,
                    status=status,
                    replied_at=starts - timedelta(days=5) if status != RsvpStatus.PENDING else None,
                    checked_in_at=starts if status == RsvpStatus.ATTENDING and starts.date() < scale.today else None,
                    checkin_method="manual" if status == RsvpStatus.ATTENDING and starts.date() < scale.today else "",
                )

    scale.bulk(Invitation, invitations(), scale.consultations * INVITED)


seed_sessions.seed_order = 45
register("scale_seeders", seed_sessions)
