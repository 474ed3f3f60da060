"""Every write of station state: activities, photos, 民生实事, donations, home stations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction

from cppcc_portal.errors import PermissionDeniedError, TransitionNotAllowed, ValidationFailed, require_text
from cppcc_portal.notifications import notify
from cppcc_portal.photos import CheckedPhoto, check_photos
from members.models import Member, Organization

from . import ledger
from .enums import ActivityKind, DonationKind, MatterStatus
from .models import (
    ActivityPhoto,
    Donation,
    LivelihoodMatter,
    LivelihoodMatterLog,
    Station,
    StationActivity,
    StationMembership,
)
from .workflow import matter_move

ACTIVITY_FIELDS = ("held_on", "kind", "service_kind", "title", "description", "citizens_reached")


def _require(actor, perm: str, obj, message: str) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDeniedError(message)


def _clean_activity_data(data: dict) -> dict:
    values = {field: data[field] for field in ACTIVITY_FIELDS if field in data}
    if values.get("kind") != ActivityKind.SERVICE:
        values["service_kind"] = ""
    if not (values.get("title") or "").strip():
        raise ValidationFailed("请填写活动名称。")
    if values.get("held_on") and values["held_on"] > date.today():
        raise ValidationFailed("活动日期不能晚于今天：活动结束后再记录。")
    return values


def _save_photos(activity: StationActivity, photos: Sequence[CheckedPhoto], saved: list[str]) -> None:
    for checked in photos:
        photo = ActivityPhoto(
            activity=activity,
            original_name=(checked.upload.name or "")[:200],
            content_type=checked.content_type,
            size=checked.upload.size,
            width=checked.width,
            height=checked.height,
        )
        photo.image.save(f"photo{checked.extension}", checked.upload, save=False)
        saved.append(photo.image.name)
        photo.save()


def _discard_files(names: list[str]) -> None:
    storage = ActivityPhoto._meta.get_field("image").storage
    for name in names:
        storage.delete(name)


def _sync_participants(activity: StationActivity, participants: Iterable[Member]) -> tuple[set[int], set[int]]:
    """Set the participants; the ledger follows (one entry per participant, withdrawn for those removed)."""
    wanted = {member.pk: member for member in participants}
    current = set(activity.participants.values_list("pk", flat=True))
    added, removed = set(wanted) - current, current - set(wanted)
    if removed:
        activity.participants.remove(*removed)
    if added:
        activity.participants.add(*added)
    ledger.sync(activity)  # idempotent: existing entries only follow a corrected date
    return added, removed


def activity_create(
    *, station: Station, actor, data: dict, participants: Iterable[Member] = (), photos: Iterable = ()
) -> StationActivity:
    """Record an activity of ``station``.

    1. check the actor manages this station (its head, or staff);
    2. verify every photo before anything is written (one bad file refuses all);
    3. save the activity, its participants and photos in one transaction;
    4. write one STATION_ACTIVITY ledger entry per participant;
    5. tell the participants, on commit.
    Photo files written before a failure are removed again: nothing half-saved remains.
    """
    _require(actor, "liaison_stations.manage_station", station, "只能为本人担任站长的联络站记录活动。")
    checked = check_photos(photos)
    values = _clean_activity_data(data)
    participants = list(participants)
    saved: list[str] = []
    try:
        with transaction.atomic():
            activity = StationActivity.objects.create(station=station, created_by=actor, **values)
            _sync_participants(activity, participants)
            _save_photos(activity, checked, saved)
            recipients = [member.user for member in participants if member.user_id and member.user_id != actor.pk]
            notify(
                recipients,
                kind="station_activity",
                subject=f"联络站活动已记录：{activity.title}",
                body=f"{station.name} {activity.held_on:%Y-%m-%d} {activity.get_kind_display()}，已计入您的履职记录。",
                link=activity.get_absolute_url(),
            )
    except BaseException:
        _discard_files(saved)
        raise
    return activity


def activity_update(
    *, activity: StationActivity, actor, data: dict, participants: Iterable[Member], photos: Iterable = ()
) -> StationActivity:
    """Correct an activity: fields, participants (ledger follows), more photos."""
    _require(actor, "liaison_stations.manage_activity", activity, "只能修改本人担任站长的联络站的活动。")
    checked = check_photos(photos)
    if activity.photos.count() + len(checked) > 9:
        raise ValidationFailed("每次活动最多保存 9 张照片。")
    values = _clean_activity_data(data)
    saved: list[str] = []
    try:
        with transaction.atomic():
            activity = (
                StationActivity.objects.select_for_update(of=("self",)).select_related("station").get(pk=activity.pk)
            )
            for field, value in values.items():
                setattr(activity, field, value)
            activity.save()
            _sync_participants(activity, participants)
            _save_photos(activity, checked, saved)
    except BaseException:
        _discard_files(saved)
        raise
    return activity


@transaction.atomic
def photo_delete(*, photo: ActivityPhoto, actor) -> None:
    _require(actor, "liaison_stations.manage_activity", photo.activity, "只能删除本人担任站长的联络站的活动照片。")
    name = photo.image.name
    photo.delete()
    transaction.on_commit(lambda: _discard_files([name]))


@transaction.atomic
def members_reassign(*, members: Iterable[Member], station: Station, actor) -> int:
    """Staff move members to another home station (就近划分进站); returns how many moved."""
    _require(actor, "liaison_stations.reassign_members", None, "只有机关工作人员可以调整委员所属联络站。")
    moved = 0
    for member in members:
        membership, created = StationMembership.objects.select_for_update().get_or_create(
            member=member, defaults={"station": station}
        )
        if created:
            moved += 1
        elif membership.station_id != station.pk:
            membership.station = station
            membership.save(update_fields=["station"])
            moved += 1
    return moved


@transaction.atomic
def matter_open(
    *,
    station: Station,
    actor,
    problem: str,
    raised_by: str,
    raised_on: date,
    department: Organization | None = None,
    members: Iterable[Member] = (),
    activity: StationActivity | None = None,
) -> LivelihoodMatter:
    """Accept a 民生实事 at a station (status 已受理)."""
    _require(actor, "liaison_stations.manage_station", station, "只能为本人担任站长的联络站登记民生实事。")
    if activity is not None and activity.station_id != station.pk:
        raise ValidationFailed("来源活动不属于该联络站。")
    require_text(problem, "请填写反映的问题。")
    matter = LivelihoodMatter.objects.create(
        station=station,
        activity=activity,
        problem=problem,
        raised_by=raised_by,
        raised_on=raised_on,
        department=department,
        created_by=actor,
    )
    matter.members.set(list(members))
    LivelihoodMatterLog.objects.create(matter=matter, actor=actor, to_status=MatterStatus.ACCEPTED, note="登记受理")
    return matter


@transaction.atomic
def matter_transition(
    *,
    matter: LivelihoodMatter,
    actor,
    target: str,
    note: str = "",
    resolution: str = "",
    resolved_on: date | None = None,
    reason: str = "",
) -> LivelihoodMatter:
    """Move a 民生实事 along.

    1. lock the row; 2. check the move against ``workflow.MATTER_TRANSITIONS`` and
    the actor (staff, or the head of the matter's station); 3. check what the
    move needs (resolution and date for 已解决, a reason for 无法解决); 4. save and
    write a log row; 5. on 已解决, one LIVELIHOOD_MATTER ledger entry per member
    involved; 6. tell the members involved, on commit.
    """
    matter = LivelihoodMatter.objects.select_for_update(of=("self",)).select_related("station").get(pk=matter.pk)
    _require(actor, "liaison_stations.move_matter", matter, "只有机关工作人员或本站站长可以办理该事项。")
    move = matter_move(matter.status, target)
    if move is None:
        raise TransitionNotAllowed(
            f"当前状态“{matter.get_status_display()}”不能改为“{dict(MatterStatus.choices).get(target, target)}”。"
        )
    if move.needs_resolution:
        if not resolution.strip() or resolved_on is None:
            raise ValidationFailed("办结时请填写办理结果和办结日期。")
        if resolved_on < matter.raised_on:
            raise ValidationFailed("办结日期不能早于受理日期。")
        matter.resolution, matter.resolved_on = resolution, resolved_on
    if move.needs_reason:
        require_text(reason, "请说明无法解决的原因。")
        matter.unsolvable_reason = reason
    previous = matter.status
    matter.status = move.target
    matter.save()
    LivelihoodMatterLog.objects.create(
        matter=matter, actor=actor, from_status=previous, to_status=move.target, note=note or reason or resolution
    )
    members = list(matter.members.select_related("user"))
    ledger.sync(matter)  # 已解决: one entry per member involved
    notify(
        [member.user for member in members if member.user_id and member.user_id != actor.pk],
        kind="livelihood_matter",
        subject=f"民生实事{move.target.label}：{matter.problem[:30]}",
        link=matter.get_absolute_url(),
    )
    return matter


@transaction.atomic
def matter_update_members(*, matter: LivelihoodMatter, actor, members: Iterable[Member]) -> LivelihoodMatter:
    """Change who is involved; a solved matter's ledger follows."""
    matter = LivelihoodMatter.objects.select_for_update(of=("self",)).select_related("station").get(pk=matter.pk)
    _require(actor, "liaison_stations.move_matter", matter, "只有机关工作人员或本站站长可以办理该事项。")
    matter.members.set(list(members))
    ledger.sync(matter)
    return matter


@transaction.atomic
def donation_record(
    *,
    station: Station,
    actor,
    donated_on: date,
    donor: str,
    kind: str,
    amount: Decimal | None = None,
    goods: str = "",
    goods_value: Decimal | None = None,
    recipient: str = "",
    donor_member: Member | None = None,
) -> Donation:
    """Record a 公益捐赠 through a station; money in Decimal yuan, goods by description."""
    _require(actor, "liaison_stations.manage_station", station, "只能为本人担任站长的联络站登记捐赠。")
    if kind == DonationKind.MONEY:
        if amount is None or amount <= 0:
            raise ValidationFailed("资金捐赠请填写大于零的金额（元）。")
        goods, goods_value = "", None
    else:
        require_text(goods, "物资捐赠请填写物资名称和数量。")
        amount = None
    return Donation.objects.create(
        station=station,
        donated_on=donated_on,
        donor=donor,
        donor_member=donor_member,
        kind=kind,
        amount=amount,
        goods=goods,
        goods_value=goods_value,
        recipient=recipient,
        recorded_by=actor,
    )
