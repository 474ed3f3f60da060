from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from cppcc_portal.access import objectgetter, permission_required
from cppcc_portal.errors import ApplicationError
from cppcc_portal.exports import xlsx_streaming_response
from cppcc_portal.hooks import collect_panels
from cppcc_portal.paging import paginate, query_without_page
from cppcc_portal.writeversion import DAY, cached
from cppcc_portal.years import chosen_year, year_choices

from . import picker, selectors, services, spreadsheets
from .forms import MemberContactForm, MemberFilterForm, MemberImportForm, NotificationPreferencesForm
from .models import ActivityGroup, Committee, Member

PAGE_SIZE = 50


@permission_required("members.browse_directory")
def member_list(request: HttpRequest) -> HttpResponse:
    """The filter bar and the table are each rendered once per write version (``writeversion``):
    the filter bar, the same for everyone, per query string; the table per user (whose access
    decides the rows and the contact columns) and query string, page included."""
    user = request.user
    query_string = query_without_page(request)

    def table_html() -> str:
        page = paginate(request, selectors.member_directory(params=request.GET, user=user), PAGE_SIZE)
        return render_to_string(
            "members/partials/list_table.html",
            {"page": page, "query_string": query_string, "show_contacts": show_contacts},
        )

    show_contacts = user.has_perm("members.manage_registry")
    filter_html = cached(
        "members-filter",
        (bool(request.GET), query_string, timezone.localdate().isoformat()),
        lambda: render_to_string(
            "members/partials/list_filter.html", {"filter_form": MemberFilterForm(request.GET or None)}
        ),
        request=request,
        seconds=DAY,
    )
    table = cached(
        "members-table",
        (user.pk, timezone.localdate().isoformat(), request.GET.urlencode()),
        table_html,
        request=request,
        seconds=DAY,
    )
    return render(
        request,
        "members/member_list.html",
        {
            "filter_html": mark_safe(filter_html),  # nosec B308 (our own render)
            "table_html": mark_safe(table),  # nosec B308 (our own render)
            "query_string": query_string,
            "show_contacts": show_contacts,
        },
    )


@permission_required("members.pick_members")
def member_pick(request: HttpRequest) -> HttpResponse:
    """A member picker's search (htmx): the first matches by name, as boxes to tick."""
    field = request.GET.get("field", "")
    if not field.replace("_", "").replace("-", "").isalnum():
        field = ""
    text = request.GET.get("member_q", "")
    return render(
        request,
        "members/widgets/member_matches.html",
        {
            "matches": picker.search(request.GET.get("scope", "active"), text) if field else [],
            "text": text.strip(),
            "field": field,
            "input_type": "checkbox" if request.GET.get("multiple") == "1" else "radio",
            "limit": picker.MATCHES,
        },
    )


@permission_required("members.manage_registry")
def member_export(request: HttpRequest) -> HttpResponse:
    members = selectors.member_directory(params=request.GET, user=request.user)
    return xlsx_streaming_response(
        "委员名册.xlsx",
        "委员名册",
        spreadsheets.COLUMNS,
        spreadsheets.member_rows(members),
        spreadsheets.COLUMN_WIDTHS,
    )


@permission_required("members.manage_registry")
def member_import(request: HttpRequest) -> HttpResponse:
    form = MemberImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = spreadsheets.import_members_xlsx(form.cleaned_data["file"])
        if result.ok:
            messages.success(request, f"导入完成：新增 {result.created} 人，更新 {result.updated} 人。")
            return redirect("members:list")
        messages.error(request, f"文件中有 {len(result.errors)} 处错误，未导入任何数据。请修改后重新上传。")
    return render(request, "members/member_import.html", {"form": form, "result": result})


@permission_required("members.see_member", fn=objectgetter(Member, "pk"))
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.with_profile().prefetch_related("group_memberships__group"), pk=pk)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "show_contacts": request.user.has_perm("members.see_contact_details", member),
            "panels": collect_panels("member_profile_panels", request, member),
        },
    )


@login_required
def member_me(request: HttpRequest) -> HttpResponse:
    member = getattr(request.user, "member", None)
    if member is None or not request.user.has_perm("members.edit_own_contact"):
        raise PermissionDenied("只有委员本人可以修改自己的联系方式。")
    form = MemberContactForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update_contact(member=member, actor=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "联系方式已保存。")
            return redirect("members:me")
    return render(
        request,
        "members/member_me.html",
        {"member": member, "form": form, "panels": collect_panels("member_profile_panels", request, member)},
    )


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Everyone chooses how non-urgent notices reach them; deadline notices always go out."""
    form = NotificationPreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_notification_preferences(actor=request.user, **form.cleaned_data)
        messages.success(request, "通知设置已保存。")
        return redirect("notification-preferences")
    return render(request, "members/notification_preferences.html", {"form": form})


WORKSPACE_FIRST_YEAR = 2021


@permission_required("members.see_workspace")
def workspace_list(request: HttpRequest) -> HttpResponse:
    """专委会与界别活动组: each with its member count, a link to its page."""
    return render(
        request,
        "members/workspace_list.html",
        {"committees": selectors.committees_overview(), "groups": selectors.activity_groups_overview()},
    )


def _workspace_page(request: HttpRequest, kind: str, pk: int, build: Callable[[], tuple]) -> HttpResponse:
    """A 专委会's or 活动组's page below the navigation bar, rendered once per user (the panels show
    what the user may see), workspace, year asked for and date (the years offered end with this
    one), per write version (``writeversion``); a 404 is raised again on every request, never cached."""
    years = year_choices(WORKSPACE_FIRST_YEAR)
    year = chosen_year(request, years)
    title, body = cached(
        "workspace-page",
        (request.user.pk, kind, pk, year, timezone.localdate().isoformat()),
        lambda: _workspace_body(request, years, year, *build()),
        request=request,
        seconds=DAY,
    )
    return render(
        request,
        "members/workspace.html",
        {"title": title, "body_html": mark_safe(body)},  # nosec B308 (our own render)
    )


def _workspace_body(request: HttpRequest, years: list[int], year: int, workspace_kwargs: dict, roster, extra: dict):
    workspace = selectors.Workspace(year=year, **workspace_kwargs)
    # Rendered without the context processors: the body reads only what is passed here.
    body = render_to_string(
        "members/partials/workspace_body.html",
        {
            "workspace": workspace,
            "years": years,
            "year": year,
            "roster": roster,
            "can_browse": request.user.has_perm("members.browse_directory"),
            "plan": selectors.year_plan(year=year, **{k: v for k, v in workspace_kwargs.items() if v}),
            "panels": collect_panels("workspace_panels", request, workspace),
            **extra,
        },
    )
    return workspace.name, body


@permission_required("members.see_workspace", fn=objectgetter(Committee, "pk"))
def committee_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    def build() -> tuple:
        committee = get_object_or_404(Committee, pk=pk)
        groups = list(committee.activity_groups.filter(is_active=True))
        return (
            {"committee": committee, "group": None},
            selectors.committee_roster(committee),
            {"activity_groups": groups},
        )

    return _workspace_page(request, "committee", pk, build)


@permission_required("members.see_workspace", fn=objectgetter(ActivityGroup, "pk"))
def activity_group_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    def build() -> tuple:
        group = get_object_or_404(ActivityGroup.objects.select_related("committee"), pk=pk, is_active=True)
        return (
            {"committee": None, "group": group},
            selectors.activity_group_roster(group),
            {"sectors": list(group.sectors.all())},
        )

    return _workspace_page(request, "group", pk, build)
