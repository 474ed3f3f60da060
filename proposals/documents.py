"""Word files the office edits and prints: the 提案汇编 and the 答复汇编 of a session (python-docx),
the 提案目录 (.xlsx) and each unit's 交办单 (PDF)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from cppcc_portal.documents import DOCX_TYPE, new_document, paragraphs, to_bytes
from cppcc_portal.documents import title as _title

from .enums import AssignmentKind, AssignmentState, Period, ProposerKind, SignerStatus
from .models import Assignment, Signer

__all__ = ["DOCX_TYPE", "new_document", "paragraphs", "to_bytes"]


def proposers_text(proposal) -> str:
    co = [s.member.name for s in proposal.signers.all() if s.status == SignerStatus.CONFIRMED]
    return proposal.proposer_label + (f"（联名：{'、'.join(co)}）" if co else "")


def units_text(proposal) -> str:
    return "、".join(f"{a.unit.name}（{a.get_kind_display()}）" for a in proposal.assignments.all())


def new_page_heading(document, text: str) -> None:
    """A level-1 heading that starts a new page. Set on the heading itself: asking python-docx
    for the last paragraph (``document.paragraphs[-1]``) lists every paragraph so far, which made
    a district session's 提案汇编 (5,000 proposals) quadratic: over 45 minutes instead of seconds."""
    document.add_heading(text, level=1).paragraph_format.page_break_before = True


def compilation_docx(session, proposals: Iterable) -> bytes:
    """提案汇编: the text of every registered proposal of the session, one per page, with a 目录."""
    proposals = list(proposals)
    document = new_document()
    _title(document, f"{session.name}提案汇编", f"区政协提案委员会　{timezone.localdate():%Y年%m月}")
    document.add_heading("目　录", level=1)
    for p in proposals:
        document.add_paragraph(f"{p.number}　{p.title}　{p.proposer_label}")
    for p in proposals:
        new_page_heading(document, f"{p.number}　{p.title}")
        document.add_paragraph(f"提案人：{proposers_text(p)}")
        document.add_paragraph(f"类别：{p.category.name}　　提案类型：{p.get_period_display()}")
        if p.assignments.all():
            document.add_paragraph(f"承办单位：{units_text(p)}")
        document.add_heading("情况分析", level=2)
        paragraphs(document, p.background)
        document.add_heading("具体建议", level=2)
        paragraphs(document, p.suggestions)
    if not proposals:
        document.add_paragraph("本会次尚无立案提案。")
    return to_bytes(document)


def replies_docx(session, proposals: Iterable) -> bytes:
    """答复汇编: every unit's reply to the session's proposals, by proposal number."""
    document = new_document()
    _title(document, f"{session.name}提案答复汇编", f"区政协提案委员会　{timezone.localdate():%Y年%m月}")
    count = 0
    for p in proposals:
        replies = [a for a in p.assignments.all() if a.reply_text and a.state != AssignmentState.REASSIGNED]
        if not replies:
            continue
        count += 1
        new_page_heading(document, f"{p.number}　{p.title}")
        document.add_paragraph(f"提案人：{proposers_text(p)}")
        for a in replies:
            published = "" if a.publishable else "（不公开）"
            document.add_heading(
                f"{a.unit.name}（{a.get_kind_display()}）答复　{a.get_reply_class_display()}{published}", level=2
            )
            if a.replied_at:
                document.add_paragraph(f"答复日期：{timezone.localtime(a.replied_at):%Y年%m月%d日}")
            paragraphs(document, a.reply_text)
    if not count:
        document.add_paragraph("本会次尚无承办单位答复。")
    return to_bytes(document)


# --- 提案目录 (.xlsx) ------------------------------------------------------------------------------

CATALOGUE_COLUMNS = ["编号", "案由", "提案人", "提案人类型", "提案类型", "类别", "承办单位", "重点提案"]
CATALOGUE_WIDTHS = [26, 50, 30, 12, 10, 14, 40, 10]


CATALOGUE_FIELDS = (
    "pk",
    "number",
    "title",
    "collective_name",
    "author__name",
    "kind",
    "period",
    "category__name",
    "is_key",
)


def catalogue_rows(proposals: QuerySet) -> Iterator[list]:
    """The 目录's rows from plain values, never model objects (no long texts are read): three
    queries whatever the size, the co-signers and units of all the proposals (one session's, a
    few ten thousand short strings at most) each fetched with the proposals as a subquery."""
    ids = proposals.order_by().values("pk")
    co, units = defaultdict(list), defaultdict(list)
    signers = (
        Signer.objects.filter(proposal__in=ids, status=SignerStatus.CONFIRMED)
        .order_by("proposal_id", "order", "id")
        .values_list("proposal_id", "member__name")
    )
    for proposal_id, name in signers:
        co[proposal_id].append(name)
    unit_kinds = dict(AssignmentKind.choices)
    assignments = (
        Assignment.objects.filter(proposal__in=ids)
        .exclude(state=AssignmentState.REASSIGNED)
        .order_by("proposal_id", "kind", "id")
        .values_list("proposal_id", "unit__name", "kind")
    )
    for proposal_id, unit, kind in assignments:
        units[proposal_id].append(f"{unit}（{unit_kinds.get(kind, kind)}）")
    kinds, periods = dict(ProposerKind.choices), dict(Period.choices)
    values = proposals.prefetch_related(None).values_list(*CATALOGUE_FIELDS).iterator(chunk_size=2000)
    for pk, number, title, collective, author, kind, period, category, key in values:
        names = co.get(pk)
        yield [
            number,
            title,
            (collective or author) + (f"（联名：{'、'.join(names)}）" if names else ""),
            kinds.get(kind, kind),
            periods.get(period, period),
            category,
            "、".join(units.get(pk, ())),
            "是" if key else "",
        ]


# --- 交办单 (PDF) ----------------------------------------------------------------------------------


def handover_pdf_bytes(*, unit, session, assignments) -> bytes:
    # Lazy: WeasyPrint (1.9 s, Pango and fonts) loads only when a document is made, not at every start-up.
    from weasyprint import HTML

    html = render_to_string(
        "proposals/handover_pdf.html",
        {
            "unit": unit,
            "session": session,
            "assignments": list(assignments),
            "printed_at": timezone.localtime(),
            "PORTAL_NAME": settings.PORTAL_NAME,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# --- 答复函 (PDF and .docx) -----------------------------------------------------------------------


def letter_lines(assignment) -> list[str]:
    return [line.strip() for line in (assignment.reply_text or "").splitlines() if line.strip()]


def letter_pdf_bytes(assignment) -> bytes:
    # Lazy: WeasyPrint (1.9 s, Pango and fonts) loads only when a document is made, not at every start-up.
    from weasyprint import HTML

    html = render_to_string("proposals/letter_pdf.html", {"a": assignment, "lines": letter_lines(assignment)})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def letter_docx(assignment) -> bytes:
    """The 答复函 as Word, from the unit's entries, for the unit to print on its letterhead."""
    # Lazy: python-docx (0.3 s) loads only when a document is made, not at every start-up.
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    a, p = assignment, assignment.proposal
    document = new_document()
    heading = document.add_paragraph(a.unit.name, style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = document.add_paragraph(a.letter_number)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph(f"关于政协{p.session.name}第{p.number}号提案的答复")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"{p.proposer_label}{'' if p.collective_name else '委员'}：")
    paragraphs(document, f"您提出的《{p.title}》（{p.number}）收悉，现答复如下：")
    paragraphs(document, a.reply_text)
    paragraphs(document, f"答复类别：{a.get_reply_class_display()}。" + ("" if a.publishable else "本答复不公开。"))
    for line in (a.unit.name, f"{timezone.localtime(a.replied_at):%Y年%m月%d日}" if a.replied_at else ""):
        signature = document.add_paragraph(line)
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signer = a.signed_by.display_name if a.signed_by_id else ""
    document.add_paragraph(f"签发人：{signer}　　联系人：{a.letter_contact}　　联系电话：{a.letter_phone}")
    document.add_paragraph(f"抄送：{a.letter_cc}")
    return to_bytes(document)


# --- 重点提案办理情况 (PDF and .docx) -------------------------------------------------------------


def leaders_text(proposal) -> str:
    """督办 and 领办 leaders of a key proposal, as one line."""
    parts = [f"督办领导：{proposal.key_leader.display_name if proposal.key_leader_id else '（未安排）'}"]
    leading = "、".join(str(x) for x in proposal.leading_officials.all())
    if leading:
        parts.append(f"领办领导：{leading}")
    return "　".join(parts)


def reply_state_text(assignment) -> str:
    """A unit's part of a key proposal: its state, and its reply's class and date once signed."""
    text = f"{assignment.unit.name}（{assignment.get_kind_display()}）：{assignment.get_state_display()}"
    if assignment.replied_at:
        text += f"，{timezone.localtime(assignment.replied_at):%Y年%m月%d日}答复"
        if assignment.reply_class:
            text += f"，{assignment.get_reply_class_display()}"
    return text


def key_report_pdf_bytes(session, proposals: Iterable) -> bytes:
    # Lazy: WeasyPrint (1.9 s, Pango and fonts) loads only when a document is made, not at every start-up.
    from weasyprint import HTML

    rows = [(p, leaders_text(p), [reply_state_text(a) for a in p.assignments.all()]) for p in proposals]
    html = render_to_string(
        "proposals/key_report_pdf.html",
        {"session": session, "rows": rows, "printed_at": timezone.localtime(), "PORTAL_NAME": settings.PORTAL_NAME},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def key_report_docx(session, proposals: Iterable) -> bytes:
    """重点提案办理情况: each key proposal with its leaders, units, 督办 records and reply state."""
    proposals = list(proposals)
    document = new_document()
    _title(document, f"{session.name}重点提案办理情况", f"区政协提案委员会　{timezone.localdate():%Y年%m月}")
    paragraphs(document, f"{session.name}经主席会议确定重点提案{len(proposals)}件，办理和督办情况如下。")
    for p in proposals:
        document.add_heading(f"{p.number}　{p.title}", level=1)
        document.add_paragraph(f"提案人：{p.proposer_label}")
        document.add_paragraph(leaders_text(p))
        document.add_heading("承办单位及答复情况", level=2)
        for a in p.assignments.all():
            document.add_paragraph(reply_state_text(a))
        if not p.assignments.all():
            document.add_paragraph("尚未交办。")
        document.add_heading("督办情况", level=2)
        for s in p.supervisions.all():
            attendees = f"（参加人员：{s.attendees}）" if s.attendees else ""
            paragraphs(document, f"{s.on:%Y年%m月%d日}　{s.get_kind_display()}：{s.notes}{attendees}")
        if not p.supervisions.all():
            document.add_paragraph("尚无督办记录。")
    if not proposals:
        document.add_paragraph("本会次尚无重点提案。")
    return to_bytes(document)
