"""The 履职档案 PDF (one member, one term), built in the background and kept
(``cppcc_portal.generated``): a long-serving member's file runs to many pages."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cppcc_portal.errors import ApplicationError
from cppcc_portal.generated import DocumentKind, register_document

from ..models import Member, Term
from . import selectors


def _member(params: dict) -> Member | None:
    return Member.objects.select_related("sector", "party", "position").filter(pk=params.get("member")).first()


def _build(params: dict, user) -> tuple[bytes, str]:
    # Lazy: WeasyPrint (Pango and fonts) loads only when a PDF is made.
    from weasyprint import HTML

    member, term = _member(params), Term.objects.filter(pk=params["term"]).first()
    if member is None or term is None:
        raise ApplicationError("该委员或届次已不存在，无法生成履职档案。")
    awards = selectors.honours(member)
    html = render_to_string(
        "members/performance/record_pdf.html",
        {
            "member": member,
            "term": term,
            "years": selectors.member_record(member, term, awards=awards),
            "honours": awards,
            "printed_on": timezone.localdate(),
        },
    )
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf, f"履职档案-{member.name}-{term.name}.pdf"


def _sees_record(user, params: dict) -> bool:
    member = _member(params)
    return member is not None and user.has_perm("members.see_record", member)


RECORD_PDF = register_document(
    DocumentKind("members.record_pdf", "履职档案（PDF）", "application/pdf", _build, _sees_record)
)
