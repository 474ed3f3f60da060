from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from cppcc_portal.access import objectgetter, permission_required
from cppcc_portal.errors import ApplicationError
from cppcc_portal.forms import report_form_errors
from cppcc_portal.paging import render_list
from cppcc_portal.writeversion import DAY, cached
from cppcc_portal.years import chosen_year, year_choices

from . import selectors, services
from .enums import ActivityKind, MatterStatus
from .forms import ActivityForm, DonationForm, MatterForm, MatterMoveForm, ReassignForm
from .models import ActivityPhoto, LivelihoodMatter, Station, StationActivity
from .workflow import matter_moves


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else date.today().year


@permission_required("liaison_stations.browse_stations")
def station_list(request: HttpRequest) -> HttpResponse:
    stations = list(selectors.station_list(user=request.user))
    for station in stations:
        station.can_see = request.user.has_perm("liaison_stations.see_station", station)
    return render(
        request,
        "liaison_stations/station_list.html",
        {
            "stations": stations,
            "can_reassign": request.user.has_perm("liaison_stations.reassign_members"),
            "can_overview": request.user.has_perm("liaison_stations.see_overview"),
        },
    )


def _member_links(rows) -> str:
    """Each member's name linked to their page (then their 界别, when a row carries one), written in
    Python: a station lists a thousand members, and a template loop reversing each URL cost more
    than the rest of the page."""
    marker = "987654321"
    before, after = reverse("members:detail", args=[int(marker)]).split(marker)
    before, after = escape(before), escape(after)
    links = []
    for pk, name, *sector in rows:
        links.append(f'<a class="me-2" href="{before}{int(pk)}{after}">{escape(name)}</a>')
        if sector and sector[0]:
            links.append(f'<span class="text-secondary me-2">{escape(sector[0])}</span>')
    return mark_safe("".join(links))  # every name and 界别 is escaped; the ids are integers


@permission_required("liaison_stations.see_station", fn=objectgetter(Station, "pk"))
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The page lists a station's thousand members and its activities with their participants: it is
    rendered once per write version, station, year shown and whether the user manages the station
    (the only thing on it that depends on who looks; the decorator has let them in)."""
    year = request.GET.get("year", "")
    can_manage = request.user.has_perm("liaison_stations.manage_station", Station.objects.only("head_id").get(pk=pk))

    def build() -> tuple[str, str]:
        station = selectors.station_detail(pk)
        activities = selectors.station_activities(station, year=int(year) if year.isdigit() else None)
        members = selectors.station_member_names(station)
        studio = selectors.studio_member_names(station) if station.station_type.is_studio else []
        body = render_to_string(
            "liaison_stations/partials/station_detail_body.html",
            {
                "station": station,
                "members": members,
                "member_links": _member_links(members),
                "studio_members": studio,
                "studio_links": _member_links(studio),
                "activities": activities[:100],
                "matters": selectors.station_matters(station)[:100],
                "donations": selectors.station_donations(station)[:50],
                "counts": selectors.station_counts(station),
                "matter_states": MatterStatus,
                "can_manage": can_manage,
            },
        )
        return station.name, body

    parts = (pk, year, can_manage, date.today().isoformat())
    title, body = cached("station-detail", parts, build, request=request, seconds=DAY)
    return render(
        request,
        "liaison_stations/station_detail.html",
        {"title": title, "body_html": mark_safe(body)},  # nosec B308 (our own render)
    )


@permission_required("liaison_stations.reassign_members")
def members_reassign(request: HttpRequest) -> HttpResponse:
    form = ReassignForm(request.POST or None, initial={"members": request.GET.getlist("member")})
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.members_reassign(
                members=form.cleaned_data["members"], station=form.cleaned_data["station"], actor=request.user
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已将 {moved} 名委员调整到“{form.cleaned_data['station']}”。")
            return redirect("stations:detail", form.cleaned_data["station"].pk)
    return render(request, "liaison_stations/reassign.html", {"form": form})


def _save_activity(request: HttpRequest, form: ActivityForm, service, *, unsaved: str, invalid: str, **kwargs):
    """A valid activity form through ``service`` (create or update): the saved activity, or ``None``
    with the reason shown (``invalid`` for the form; ``unsaved``: the service's refusal)."""
    if not form.is_valid():
        messages.error(request, invalid)
        return None
    data = form.cleaned_data
    try:
        return service(
            actor=request.user, data=data, participants=data["participants"], photos=data["photos"], **kwargs
        )
    except ApplicationError as error:
        messages.error(request, f"{unsaved}：{error.message}")
        return None


@permission_required("liaison_stations.manage_station", fn=objectgetter(Station, "pk"))
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_object_or_404(Station, pk=pk)
    form = ActivityForm(request.POST or None, request.FILES or None, station=station)
    if request.method == "POST":
        activity = _save_activity(
            request,
            form,
            services.activity_create,
            unsaved="活动未保存",
            invalid="活动未保存，请修改标出的内容后重新提交（照片需重新选择）。",
            station=station,
        )
        if activity:
            participants = len(form.cleaned_data["participants"])
            messages.success(request, f"活动“{activity.title}”已记录，{participants} 名委员计入履职。")
            return redirect(activity)
    return render(request, "liaison_stations/activity_form.html", {"form": form, "station": station, "activity": None})


@permission_required("liaison_stations.see_activity", fn=objectgetter(StationActivity, "pk"))
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_detail(pk)
    can_manage = request.user.has_perm("liaison_stations.manage_activity", activity)
    return render(
        request,
        "liaison_stations/activity_detail.html",
        {
            "activity": activity,
            "can_manage": can_manage,
            "opinions": _opinions_user_may_open(request.user, activity),
            "new_opinion_url": _new_opinion_url(request.user, activity),
        },
    )


def _opinions_user_may_open(user, activity: StationActivity) -> list:
    """社情民意 filed from this activity: only those this user may open are listed, titles included."""
    opinions = activity.opinions.all() if hasattr(activity, "opinions") else []
    return [opinion for opinion in opinions if user.has_perm("proposals.see_opinion", opinion)]


def _new_opinion_url(user, activity: StationActivity) -> str:
    """Where to file a 社情民意 from this activity, when the proposals app offers it."""
    if not user.has_perm("proposals.file_opinion"):
        return ""
    try:
        return f"{reverse('opinions:new')}?activity={activity.pk}"
    except NoReverseMatch:
        return ""


@permission_required("liaison_stations.manage_activity", fn=objectgetter(StationActivity, "pk"))
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(StationActivity.objects.select_related("station"), pk=pk)
    form = ActivityForm(request.POST or None, request.FILES or None, instance=activity, station=activity.station)
    if request.method == "POST":
        saved = _save_activity(
            request,
            form,
            services.activity_update,
            unsaved="修改未保存",
            invalid="修改未保存，请修改标出的内容后重新提交。",
            activity=activity,
        )
        if saved:
            messages.success(request, "活动已更新。")
            return redirect(activity)
    activity.refresh_from_db()
    return render(
        request,
        "liaison_stations/activity_form.html",
        {"form": form, "station": activity.station, "activity": activity},
    )


@permission_required("liaison_stations.see_photo", fn=objectgetter(ActivityPhoto, "pk"))
def photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = get_object_or_404(ActivityPhoto, pk=pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404("照片文件不存在")
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@permission_required(
    "liaison_stations.manage_activity", fn=lambda request, pk: get_object_or_404(ActivityPhoto, pk=pk).activity
)
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(ActivityPhoto.objects.select_related("activity"), pk=pk)
    services.photo_delete(photo=photo, actor=request.user)
    messages.success(request, "照片已删除。")
    return redirect(photo.activity)


@permission_required("liaison_stations.manage_station", fn=objectgetter(Station, "pk"))
def matter_new(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_object_or_404(Station, pk=pk)
    initial = {"activity": request.GET.get("activity")} if request.GET.get("activity", "").isdigit() else {}
    form = MatterForm(request.POST or None, station=station, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.matter_open(station=station, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "民生实事已登记受理。")
            return redirect(matter)
    return render(request, "liaison_stations/matter_form.html", {"form": form, "station": station})


@permission_required("liaison_stations.browse_matters")
def matter_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.matter_list(user=request.user, params=request.GET)
    return render_list(
        request,
        "liaison_stations/matter_list.html",
        queryset,
        50,
        statuses=MatterStatus.choices,
        stations=Station.objects.filter(is_active=True).values_list("id", "name"),
    )


@permission_required("liaison_stations.see_matter", fn=objectgetter(LivelihoodMatter, "pk"))
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_detail(pk)
    can_move = request.user.has_perm("liaison_stations.move_matter", matter)
    if request.method == "POST":
        if not can_move:
            raise PermissionDenied
        form = MatterMoveForm(request.POST)
        if form.is_valid():
            try:
                services.matter_transition(matter=matter, actor=request.user, **form.cleaned_data)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "办理状态已更新。")
                return redirect(matter)
        else:
            report_form_errors(request, form)  # the page lays its inputs out by hand
    return render(
        request,
        "liaison_stations/matter_detail.html",
        {
            "matter": matter,
            "can_move": can_move,
            "moves": matter_moves(matter.status) if can_move else (),
            "can_see_station": request.user.has_perm("liaison_stations.see_station", matter.station),
        },
    )


@permission_required("liaison_stations.manage_station", fn=objectgetter(Station, "pk"))
def donation_new(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_object_or_404(Station, pk=pk)
    form = DonationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.donation_record(station=station, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "捐赠已登记。")
            return redirect(f"{station.get_absolute_url()}#donations")
    return render(request, "liaison_stations/donation_form.html", {"form": form, "station": station})


@permission_required("liaison_stations.see_overview")
def overview(request: HttpRequest) -> HttpResponse:
    """The table reads every station's members (ten thousand names at a city's size): it is rendered
    once per write version, user (whose stations, which one is theirs) and year."""
    year = _year(request)

    def table_html() -> str:
        rows = selectors.station_overview(user=request.user, year=year, opinion_counts=selectors.opinion_counts(year))
        return render_to_string(
            "liaison_stations/partials/overview_table.html",
            {"rows": rows, "totals": selectors.overview_totals(rows), "kinds": list(ActivityKind)},
        )

    parts = (request.user.pk, year, date.today().isoformat())
    table = cached("station-overview", parts, table_html, request=request, seconds=DAY)
    return render(
        request,
        "liaison_stations/overview.html",
        {
            "year": year,
            "years": range(date.today().year, date.today().year - 5, -1),
            "table_html": mark_safe(table),  # nosec B308 (our own render)
        },
    )


MAP_FIRST_YEAR = 2021


@permission_required("liaison_stations.browse_stations")
def station_map(request: HttpRequest) -> HttpResponse:
    """履职地图: the district's stations by town as an SVG drawn here (no outside map tiles)."""
    years = year_choices(MAP_FIRST_YEAR)
    year = chosen_year(request, years)
    return render(
        request,
        "liaison_stations/station_map.html",
        {"year": year, "years": years, **selectors.station_map(year=year)},
    )
