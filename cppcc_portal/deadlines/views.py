from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from cppcc_portal.access import permission_required
from cppcc_portal.exports import xlsx_streaming_response

from ..paging import page_window, paginate, query_without_page
from .board import Board
from .forms import BoardFilterForm

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
    page = paginate(request, rows, PAGE_SIZE)
    return render(
        request,
        "deadlines/board.html",
        {
            "page": page,
            "filter_form": form,
            "summary": rows.summary,
            "within": params["within"],
            "unit_view": not sees_all,
            "organization": request.user.organization if not sees_all else None,
            "query_string": query_without_page(request),
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
