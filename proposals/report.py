"""The annual 提案工作情况报告: its narrative, pre-filled from the figures of /stats/proposals/,
and its Word version (python-docx) for staff to edit. The PDF (``stats_proposals_report.html``)
prints the same narrative, so the two never tell different stories.

Everything here reads the computed ``Section`` (its ``extra`` and tables): no query of its own.
"""

from __future__ import annotations

from django.utils import timezone

from .documents import new_document, paragraphs, to_bytes
from .enums import ReplyClass, Satisfaction

# Which tables follow which part of the narrative, in both the PDF and the Word file.
TABLES_AFTER = {
    "一、提案提交和立案情况": ("kinds", "categories", "sectors"),
    "二、提案办理情况": ("units", "classes"),
    "三、办理评价情况": ("official", "satisfaction"),
    "四、重点提案督办情况": ("key",),
}
NEXT_STEPS = "五、下一步工作"
PLACEHOLDER = "（请提案委在此填写下一步工作打算。）"


def _listing(pairs: list[tuple[str, int]]) -> str:
    return "，".join(f"{label}{count}件" for label, count in pairs if count)


def narrative(year: int, section) -> list[tuple[str, list[str]]]:
    """The report's parts as (heading, paragraphs), every number taken from the section."""
    x = section.extra
    f, ratings, rates, classes = x["figures"], x["ratings"], x["rates"], x["classes"]
    result, attitude = ratings["satisfaction"], ratings["attitude"]
    by_kind = [(row["label"], row["submitted"]) for row in x["proposers"] if row["level"] == 0]
    categories = section.table("categories")
    top = [(row[0], row[1]) for row in (categories.rows if categories else [])[:5]]

    filed = (
        f"{year}年，共收到委员和各参加单位提交的提案{f['submitted']}件。经审查，立案{f['registered']}件，"
        f"并案{f['merged']}件，不予立案{f['not_registered']}件"
        f"（其中经提案人同意转为社情民意信息或委员来信{f['converted']}件）"
        + (f"，尚在审查中{f['pending']}件" if f["pending"] else "")
        + "。"
    )
    parts: list[tuple[str, list[str]]] = [
        (
            "一、提案提交和立案情况",
            [
                filed,
                f"从提案人看，{_listing(by_kind) or '暂无提案'}。",
                f"从内容看，{_listing(top) or '暂无提案'}。",
            ],
        )
    ]
    units = [row for row in x["units"] if row["replying"]]
    class_text = "，".join(
        f"{ReplyClass(cls).label}{classes[cls]}件" for cls in ReplyClass if classes["replied"] and classes[cls]
    )
    handling = [
        f"立案提案交由{len(units)}个承办单位办理。已答复（含办结）{f['replied']}件，办结{f['closed']}件。"
        f"承办单位按期限内答复{x['on_time']}件次，按时答复率为{x['on_time_rate']}。",
        f"承办单位坚持先沟通后答复，与提案人见面沟通的提案{ratings['met']}件，占已答复提案的{rates['met']}（见面率）。",
    ]
    if class_text:
        handling.append(f"从答复类别看，{class_text}。")
    parts.append(("二、提案办理情况", handling))
    parts.append(
        (
            "三、办理评价情况",
            [
                f"按件统计第一提案人填写的征询意见表：对办理结果表示满意的{result[Satisfaction.SATISFIED]}件，"
                f"满意率{rates['satisfied']}；基本满意的{result[Satisfaction.BASICALLY_SATISFIED]}件，"
                f"基本满意率{rates['basically']}；不满意的{result[Satisfaction.DISSATISFIED]}件；"
                f"逾期未评价的{result['未评价']}件，不计为满意。",
                f"对办理态度表示满意的{attitude[Satisfaction.SATISFIED]}件，满意率{rates['attitude_satisfied']}；"
                f"满意和基本满意合计占{rates['attitude_both']}。",
            ],
        )
    )
    key = section.table("key")
    supervised = sum(1 for row in (key.rows if key else []) if row[4])
    parts.append(
        (
            "四、重点提案督办情况",
            [f"主席会议确定重点提案{f['key']}件，其中已开展督办活动的{supervised}件。"],
        )
    )
    parts.append((NEXT_STEPS, [PLACEHOLDER]))
    return parts


def report_parts(year: int, section) -> list[tuple[str, list[str], list]]:
    """(heading, paragraphs, tables) for each part: what both the PDF and the Word file print."""
    return [
        (title, texts, [t for key in TABLES_AFTER.get(title, ()) if (t := section.table(key)) is not None])
        for title, texts in narrative(year, section)
    ]


def work_report_docx(*, year: int, section) -> bytes:
    """提案工作情况报告 (.docx): the narrative, each part followed by its tables."""
    # Lazy: python-docx (0.3 s) loads only when a document is made, not at every start-up.
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = new_document()
    heading = document.add_paragraph(f"关于{year}年提案工作情况的报告", style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = document.add_paragraph(
        f"（统计口径：{year}年全体会议会次的大会提案和平时提案 · 截至{timezone.localdate():%Y年%m月%d日}）"
    )
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for title, texts, tables in section.extra.get("report") or report_parts(year, section):
        document.add_heading(title, level=1)
        paragraphs(document, "\n".join(texts))
        for table in tables:
            document.add_heading(table.title, level=2)
            grid = document.add_table(rows=1, cols=len(table.headers))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
                cell.text = str(text)
            for row in table.shown or [["暂无"] + [""] * (len(table.headers) - 1)]:
                cells = grid.add_row().cells
                for cell, value in zip(cells, row, strict=False):
                    cell.text = "" if value is None else str(value)
            for row in grid.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            run.font.size = Pt(10.5)
            notes = [table.note] if table.note else []
            if table.truncated:  # as in the PDF: the page's rows, the rest in the .xlsx
                notes.append(
                    f"共{len(table.rows)}行，此处列出前{table.page_limit}行，完整内容见统计页面导出的Excel表。"
                )
            for note in notes:
                document.add_paragraph(note).runs[0].font.size = Pt(10.5)
    return to_bytes(document)
