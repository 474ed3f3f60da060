from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cppcc_portal.access import permission_required
from cppcc_portal.exports import xlsx_response

from ..paging import paginate
from .board import board_rows, summary
from .forms import BoardFilterForm

PAGE_SIZE = 50
EXPORT_HEADERS = ["事项", "承办单位", "时限", "到期日", "时限规则", "状态", "剩余/逾期工作日", "已升级级别"]
EXPORT_WIDTHS = [48, 20, 16, 12, 18, 16, 14, 12]


def _rows(request: HttpRequest):
    sees_all = request.user.has_perm("cppcc_portal.see_all_deadlines")
    form = BoardFilterForm(request.GET or None, show_unit=sees_all)
    params = form.params()
    rows = board_rows(user=request.user, today=timezone.localdate(), **params)
    return form, params, rows, sees_all


@permission_required("cppcc_portal.see_deadline_board")
def board(request: HttpRequest) -> HttpResponse:
    form, params, rows, sees_all = _rows(request)
    page = paginate(request, rows, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "deadlines/board.html",
        {
            "page": page,
            "filter_form": form,
            "summary": summary(rows),
            "within": params["within"],
            "unit_view": not sees_all,
            "organization": request.user.organization if not sees_all else None,
            "query_string": query.urlencode(),
        },
    )


@permission_required("cppcc_portal.export_deadlines")
def export(request: HttpRequest) -> HttpResponse:
    _form, _params, rows, _sees_all = _rows(request)
    return xlsx_response(
        f"逾期与预警-{timezone.localdate():%Y%m%d}.xlsx",
        "逾期与预警",
        EXPORT_HEADERS,
        (
            [
                row.title,
                str(row.unit or ""),
                row.clock,
                row.due,
                row.rule,
                row.status,
                row.signed_days,
                row.level,
            ]
            for row in rows
        ),
        EXPORT_WIDTHS,
    )
