from __future__ import annotations

from django import forms

from cppcc_portal import uploads
from cppcc_portal.forms import MultipleFileField, check_upload

from ..recipients import recipient_group_choices
from .models import NoticeKind

ALLOWED = (uploads.PDF, uploads.DOC, uploads.DOCX, uploads.XLS, uploads.XLSX, *uploads.IMAGES.values())
ALLOWED_TEXT = "PDF、Word、Excel 或图片"
MAX_MB = 20


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=NoticeKind.choices, initial=NoticeKind.NOTICE)
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 8}))
    groups = forms.MultipleChoiceField(
        label="发送对象",
        help_text="可多选（按住 Ctrl 键）；同一人属于多个对象时只收到一次。",
        widget=forms.SelectMultiple(attrs={"size": 14}),
    )
    attachments = MultipleFileField(label="附件", help_text=f"{ALLOWED_TEXT}，每个不超过 {MAX_MB}MB，可多选。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = recipient_group_choices()

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        for upload in files:
            check_upload(upload, allowed=ALLOWED, allowed_text=ALLOWED_TEXT, max_mb=MAX_MB)
        return files
