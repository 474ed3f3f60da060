"""Pages: study materials, reading groups, reflections, trainings, plenary attendance."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from cppcc_portal.access import objectgetter, permission_required, require
from cppcc_portal.errors import ApplicationError
from cppcc_portal.forms import manager_form, run_service
from cppcc_portal.paging import paginate, query_without_page, render_list
from cppcc_portal.writeversion import DAY, cached

from ..enums import MemberStatus
from ..models import Member, PlenarySession, Sector
from . import plenary, services
from .enums import AttendanceStatus
from .forms import GroupForm, MaterialForm, PlenaryDayForm, PlenaryGroupForm, ReflectionForm, TrainingForm
from .models import ReadingGroup, StudyMaterial, StudyReflection, Training, TrainingAttendance


@permission_required("members.see_study")
def study_home(request: HttpRequest) -> HttpResponse:
    material_form = manager_form(request, "members.manage_study", MaterialForm)
    if material_form and material_form.is_valid():
        if run_service(request, services.material_publish, "学习资料已发布。", **material_form.cleaned_data):
            return redirect("members:study")
    materials = (
        StudyMaterial.objects.select_related("group")
        .annotate(reflection_count=Count("reflections"))
        .order_by("-published_on", "-id")
    )
    page = paginate(request, materials, 20)
    groups = ReadingGroup.objects.filter(is_active=True).annotate(member_count=Count("members")).order_by("name")
    return render(
        request,
        "members/performance/study.html",
        {
            "page": page,
            "groups": groups,
            "material_form": material_form,
            "can_manage": material_form is not None,
            "query_string": "",
        },
    )


@permission_required("members.manage_study")
def group_new(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(request, services.group_create, "读书群组已创建。", **form.cleaned_data):
            return redirect("members:study")
    return render(
        request, "members/performance/form_page.html", {"form": form, "title": "新建读书群组", "back": "members:study"}
    )


@permission_required("members.see_study")
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(StudyMaterial.objects.select_related("group"), pk=pk)
    reflections = material.reflections.select_related("member")
    if not request.user.has_perm("members.see_scoring"):
        reflections = reflections.filter(Q(member__user=request.user) | Q(is_excellent=True))
    return render(
        request,
        "members/performance/material_detail.html",
        {
            "material": material,
            "reflections": reflections,
            "can_reflect": request.user.has_perm("members.submit_reflection"),
        },
    )


@permission_required("members.see_study")
def reflection_list(request: HttpRequest) -> HttpResponse:
    queryset = StudyReflection.objects.select_related("member__sector", "material")
    sees_all = request.user.has_perm("members.see_scoring")
    if not sees_all:
        queryset = queryset.filter(member__user=request.user)
    if request.GET.get("excellent"):
        queryset = queryset.filter(is_excellent=True)
    return render_list(
        request,
        "members/performance/reflection_list.html",
        queryset,
        30,
        sees_all=sees_all,
        can_manage=request.user.has_perm("members.manage_study"),
        can_reflect=request.user.has_perm("members.submit_reflection"),
    )


@permission_required("members.submit_reflection")
def reflection_new(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "member", None) is None:
        raise PermissionDenied
    initial = {}
    material_id = request.GET.get("material", "")
    if material_id.isdigit():
        initial["material"] = StudyMaterial.objects.filter(pk=material_id).first()
    form = ReflectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        reflection = run_service(
            request,
            services.reflection_submit,
            "学习心得已提交，已计入履职档案。",
            member=request.user.member,
            **form.cleaned_data,
        )
        if reflection:
            return redirect("members:reflection-detail", pk=reflection.pk)
    return render(
        request,
        "members/performance/form_page.html",
        {"form": form, "title": "提交学习心得", "back": "members:reflections"},
    )


@permission_required("members.see_reflection", fn=objectgetter(StudyReflection, "pk"))
def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_object_or_404(StudyReflection.objects.select_related("member", "material", "marked_by"), pk=pk)
    return render(
        request,
        "members/performance/reflection_detail.html",
        {"reflection": reflection, "can_manage": request.user.has_perm("members.manage_study")},
    )


@require_POST
@permission_required("members.manage_study")
def reflection_excellent(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_object_or_404(StudyReflection, pk=pk)
    excellent = request.POST.get("excellent", "1") == "1"
    success = "已标记为优秀心得。" if excellent else "已取消优秀标记。"
    run_service(request, services.reflection_mark_excellent, success, reflection=reflection, excellent=excellent)
    return redirect("members:reflection-detail", pk=pk)


@permission_required("members.see_study")
def training_list(request: HttpRequest) -> HttpResponse:
    """The table is the same for everyone who may see it: rendered once per page asked for, per write
    version (``writeversion``); the new-training form (with its CSRF token) is drawn on every request."""
    form = manager_form(request, "members.manage_attendance", TrainingForm)
    if form and form.is_valid():
        training = run_service(request, services.training_create, "培训已创建，请登记出席情况。", **form.cleaned_data)
        if training:
            return redirect("members:training-detail", pk=training.pk)
    parts = (request.GET.get("page", ""), timezone.localdate().isoformat())  # past and coming trainings
    table = cached("training-list", parts, lambda: _training_table(request), request=request, seconds=DAY)
    return render(
        request,
        "members/performance/training_list.html",
        {"table_html": mark_safe(table), "form": form, "can_manage": form is not None},  # nosec B308 (our own render)
    )


def _training_table(request: HttpRequest) -> str:
    # Counted per shown training (a subquery PostgreSQL runs for the page's rows only, from the
    # (training, status) index alone), not by joining every attendance row of every training:
    # the pager counts trainings alone.
    attended = (
        TrainingAttendance.objects.filter(training=OuterRef("pk"), status=AttendanceStatus.ATTENDED)
        .order_by()
        .values("training")
        .annotate(n=Count("*"))
        .values("n")
    )
    trainings = Training.objects.annotate(attended=Coalesce(Subquery(attended), 0)).order_by("-held_on", "-id")
    page = paginate(request, trainings, 30)
    return render_to_string("members/performance/_training_table.html", {"page": page, "query_string": ""})


ROLL_PAGE = 50


def _roll_page(request: HttpRequest, members: QuerySet[Member], *, sector_field: str = "sector_id") -> dict:
    """One page of an attendance roll, narrowed by ``?sector=`` and ``?q=`` (name): the page and
    what the filter and the pager need. Staff record a page at a time, never every member at once."""
    sector = request.GET.get("sector", "")
    text = request.GET.get("q", "").strip()[:40]
    if sector.isdigit():
        members = members.filter(**{sector_field: int(sector)})
    if text:
        members = members.filter(name__contains=text)
    return {
        "page": paginate(request, members, ROLL_PAGE),
        "sectors": list(Sector.objects.order_by("order", "id")),
        "sector": int(sector) if sector.isdigit() else None,
        "q": text,
        "query_string": query_without_page(request),
    }


def _posted_members(request: HttpRequest, members: QuerySet[Member]) -> list[int]:
    """The roll's members whose rows came with the form (``m<pk>``): one page of the roll."""
    ids = {int(key[1:]) for key in request.POST if key[:1] == "m" and key[1:].isdigit()}
    return list(members.filter(pk__in=ids).values_list("pk", flat=True)) if ids else []


def _attendance_statuses(request: HttpRequest, member_ids) -> dict[int, str]:
    return {member_id: request.POST.get(f"m{member_id}", "") for member_id in member_ids}


def _attendance_saved(request: HttpRequest, record: Callable[..., int], **kwargs) -> bool:
    """Record attendance through ``record`` (which returns how many people changed): say so, or why not."""
    try:
        changed = record(actor=request.user, **kwargs)
    except ApplicationError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, f"出席情况已保存（{changed} 人有变化），履职档案已同步。")
    return True


def training_roll(training: Training) -> QuerySet[Member]:
    """Members in office, and anyone already recorded for ``training``, by 界别 and name."""
    recorded = training.attendance.values("member_id")
    return (
        Member.objects.filter(Q(status=MemberStatus.ACTIVE) | Q(pk__in=recorded))
        .select_related("sector")
        .order_by("sector__order", "name", "pk")
    )


@permission_required("members.see_study")
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(Training, pk=pk)
    can_manage = request.user.has_perm("members.manage_attendance")
    members = training_roll(training)
    if request.method == "POST":
        require(request.user, "members.manage_attendance")
        statuses = _attendance_statuses(request, _posted_members(request, members))
        if _attendance_saved(request, services.training_record_attendance, training=training, statuses=statuses):
            return redirect(request.get_full_path())
    own = getattr(request.user, "member", None)
    context = {
        "training": training,
        "can_manage": can_manage,
        "statuses": AttendanceStatus.choices,
        "own_status": training.attendance.filter(member=own).values_list("status", flat=True).first() if own else None,
    }
    if can_manage:
        roll = _roll_page(request, members)
        current = dict(
            training.attendance.filter(member_id__in=[m.pk for m in roll["page"]]).values_list("member_id", "status")
        )
        context |= roll | {"rows": [(m, current.get(m.pk, "")) for m in roll["page"]]}
    else:
        context["attendance"] = training.attendance.filter(status=AttendanceStatus.ATTENDED).select_related("member")
        context["attendance"] = context["attendance"].order_by("member__name")
    return render(request, "members/performance/training_detail.html", context)


@permission_required("members.record_plenary_attendance")
def plenary_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(PlenarySession, pk=pk)
    members = (
        plenary.in_office_for(session, session.opens_on, session.closes_on)
        .select_related("sector")
        .order_by("sector__order", "name", "pk")
    )
    if request.method == "POST":
        posted = _attendance_statuses(request, _posted_members(request, members))
        statuses = {k: v for k, v in posted.items() if v}
        if _attendance_saved(request, services.plenary_record_attendance, session=session, statuses=statuses):
            return redirect(request.get_full_path())
    parts = cached(
        "plenary-attendance",
        (session.pk, request.GET.urlencode(), timezone.localdate().isoformat()),
        lambda: _plenary_parts(request, session, members),
        request=request,
        seconds=DAY,
    )
    return render(
        request,
        "members/performance/plenary_attendance.html",
        # Our own renders, without a CSRF token: the page draws each form's token itself.
        {"session": session, "parts": {name: mark_safe(html) for name, html in parts.items()}},  # nosec B308
    )


def _plenary_parts(request: HttpRequest, session: PlenarySession, members: QuerySet[Member]) -> dict[str, str]:
    """The plenary attendance page in parts, the same for everyone who may record it: the
    sessions, the days and groups with their counts, the forms' fields, one page of the roll."""
    roll = _roll_page(request, members)
    current = dict(
        session.attendance.filter(member_id__in=[m.pk for m in roll["page"]]).values_list("member_id", "status")
    )
    rows = {
        "rows": [(m, current.get(m.pk, "")) for m in roll["page"]],
        "statuses": AttendanceStatus.choices,
        "allow_clear": False,
    }
    templates = {
        "sessions": ("_plenary_sessions.html", {"sessions": PlenarySession.objects.all(), "session": session}),
        "days": ("_plenary_days.html", {"days": plenary.days_of(session)}),
        "groups": ("_plenary_groups.html", {"groups": plenary.groups_of(session)}),
        "day_fields": (
            "_plenary_day_fields.html",
            {"day_form": PlenaryDayForm(prefix="day", initial={"on": session.opens_on})},
        ),
        "group_fields": ("_plenary_group_fields.html", {"group_form": PlenaryGroupForm(prefix="group")}),
        "roll_filter": ("_roll_filter.html", roll),
        "rows": ("_attendance_rows.html", rows),
    }
    parts = {
        name: render_to_string(f"members/performance/{template}", context)
        for name, (template, context) in templates.items()
    }
    parts["pagination"] = render_to_string("includes/pagination.html", roll)
    return parts
