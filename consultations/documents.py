"""The 网络议政 意见汇总 as Word (python-docx) and as the PDF's page (drawn by WeasyPrint through
``cppcc_portal.exports.pdf_bytes``)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from cppcc_portal.documents import new_document, paragraphs, title, to_bytes

from .models import OnlinePost, OnlineTopic


def post_label(post: OnlinePost) -> str:
    label = post.author
    if post.parent_id:
        label += f"（回复{post.parent.author}）"
    return label + f"　{timezone.localtime(post.created_at):%Y-%m-%d %H:%M}"


def summary_docx(topic: OnlineTopic, posts: list[OnlinePost]) -> bytes:
    document = new_document()
    title(document, f"{topic.title}", f"网络议政意见汇总　{timezone.localdate():%Y年%m月%d日}")
    document.add_heading("一、基本情况", level=1)
    paragraphs(document, topic.outcome.summary if topic.outcome else "")
    document.add_heading("二、背景材料", level=1)
    paragraphs(document, topic.background)
    adopted = [p for p in posts if p.adopted_at]
    others = [p for p in posts if not p.adopted_at]
    document.add_heading("三、采纳的意见", level=1)
    if not adopted:
        document.add_paragraph("尚未标记采纳的意见。")
    for number, post in enumerate(adopted, start=1):
        document.add_heading(f"{number}. {post_label(post)}", level=2)
        paragraphs(document, post.text)
    document.add_heading("四、其他意见", level=1)
    if not others:
        document.add_paragraph("无。")
    for number, post in enumerate(others, start=1):
        document.add_heading(f"{number}. {post_label(post)}", level=2)
        paragraphs(document, post.text)
    return to_bytes(document)


def summary_html(topic: OnlineTopic, posts: list[OnlinePost]) -> str:
    return render_to_string(
        "consultations/online_summary_pdf.html",
        {
            "topic": topic,
            "adopted": [(post_label(p), p) for p in posts if p.adopted_at],
            "others": [(post_label(p), p) for p in posts if not p.adopted_at],
            "today": timezone.localdate(),
        },
    )
