from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from cppcc_portal.access import permission_required
from cppcc_portal.exports import xlsx_streaming_response

from ..paging import page_window, paginate, query_without_page
from ..writeversion import cached
from .board import Board
from .forms import BoardFilterForm
from .registry import all_sources

PAGE_SIZE = 50
EXPORT_HEADERS = ["事项", "承办单位", "时限", "到期日", "时限规则", "状态", "剩余/逾期工作日", "已升级级别"]
EXPORT_WIDTHS = [48, 20, 16, 12, 18, 16, 14, 12]


def _board(request: HttpRequest, *, links: bool = True):
    sees_all = request.user.has_perm("cppcc_portal.see_all_deadlines")
    form = BoardFilterForm(request.GET or None, show_unit=sees_all)
    params = form.params()
    window = page_window(request, PAGE_SIZE) if links else None
    board = Board(user=request.user, today=timezone.localdate(), window=window, links=links, **params)
    return form, params, board, sees_all


@permission_required("cppcc_portal.see_deadline_board")
def board(request: HttpRequest) -> HttpResponse:
    form, params, rows, sees_all = _board(request)
    query_string = query_without_page(request)

    def table_html() -> str:
        page = paginate(request, rows, PAGE_SIZE)
        return render_to_string("deadlines/board_table.html", {"page": page, "query_string": query_string})

    # The table and its pager are the same for everyone who sees the same units under the same
    # filters: rendered once per write version (``writeversion``), shared by staff.
    parts = (
        tuple(sorted(source.key for source in rows.sources)),
        rows.organization_id,
        rows.level,
        rows.today.isoformat(),
        rows.horizon.isoformat(),
        request.GET.get("page"),
        query_string,
    )
    # The filter bar lists every handling unit (a widget template per option): rendered once per
    # query string and write version too.
    filter_html = cached(
        "deadlines-filter",
        (sees_all, tuple(sorted(source.key for source in all_sources())), query_string),
        lambda: render_to_string("deadlines/board_filter.html", {"filter_form": form}),
        request=request,
    )
    return render(
        request,
        "deadlines/board.html",
        {
            "table_html": mark_safe(cached("deadlines-table", parts, table_html, request=request)),  # nosec B308 (our own render)
            "filter_html": mark_safe(filter_html),  # nosec B308 (our own render)
            "summary": rows.summary,
            "within": params["within"],
            "unit_view": not sees_all,
            "organization": request.user.organization if not sees_all else None,
            "query_string": query_string,
        },
    )


@permission_required("cppcc_portal.export_deadlines")
def export(request: HttpRequest) -> StreamingHttpResponse:
    _form, _params, rows, _sees_all = _board(request, links=False)
    return xlsx_streaming_response(
        f"逾期与预警-{timezone.localdate():%Y%m%d}.xlsx",
        "逾期与预警",
        EXPORT_HEADERS,
        rows.export_rows(),
        EXPORT_WIDTHS,
    )
