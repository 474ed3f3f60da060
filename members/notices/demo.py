"""Demo 通知公告 (seed_order 95, once members, committees and stations exist): the 办公室 has sent a
notice with an attachment to every member and a document to the 常委 and 经济委员会; some have read them."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from cppcc_portal.demo_clock import at
from cppcc_portal.hooks import register

from ..models import Committee, User
from . import services
from .models import Notice, NoticeReceipt

NOTICE_TITLE = "关于报送2026年度委员履职情况的通知"
DOCUMENT_TITLE = "区政协2026年度协商工作计划"


def _docx(title: str, text: str) -> ContentFile:
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return ContentFile(buffer.getvalue(), name=f"{title}.docx")


def seed_notices(stdout) -> None:
    if Notice.objects.exists():
        return
    office = User.objects.get(username="staff_meetings")
    today = timezone.localdate()
    with at(today - timedelta(days=12), 9):
        notice = services.notice_publish(
            actor=office,
            title=NOTICE_TITLE,
            body="各位委员：\n请于本月底前登录平台，核对本人年度履职档案，并提交年度述职报告。\n区政协办公室",
            groups=["term"],
            attachments=[_docx("年度述职报告模板", "一、学习情况\n二、参加会议和活动情况\n三、提案和社情民意")],
        )
    economy = Committee.objects.get(name="经济委员会")
    with at(today - timedelta(days=5), 15):
        document = services.notice_publish(
            actor=office,
            kind="document",
            title=DOCUMENT_TITLE,
            body="经主席会议审议通过，现将年度协商工作计划印发给你们，请结合实际认真抓好落实。",
            groups=["standing", f"committee:{economy.pk}"],
        )
    # About two in three have opened the notice; member2 has not (their inbox shows it unread).
    receipts = list(NoticeReceipt.objects.filter(notice=notice).select_related("recipient").order_by("recipient_id"))
    for index, receipt in enumerate(receipts):
        if receipt.recipient.username == "member2" or index % 3 == 2:
            continue
        with at(today - timedelta(days=11 - index % 10), 10 + index % 8):
            services.notice_mark_read(notice=notice, actor=receipt.recipient)
    for receipt in NoticeReceipt.objects.filter(notice=document).select_related("recipient")[:3]:
        with at(today - timedelta(days=4), 9):
            services.notice_mark_read(notice=document, actor=receipt.recipient)
    stdout.write(f"通知公告 {Notice.objects.count()} 条，回执 {NoticeReceipt.objects.count()} 份。")


seed_notices.seed_order = 95
register("demo_seeders", seed_notices)
