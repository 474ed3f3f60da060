"""Admin for 通知公告 (imported from ``MembersConfig.ready``): browse only; the pages publish."""

from django.contrib import admin

from cppcc_portal.adminkit import ReadOnlyAdmin, ReadOnlyInline

from .models import Notice, NoticeAttachment, NoticeReceipt


class AttachmentInline(ReadOnlyInline):
    model = NoticeAttachment
    fields = ["original_name", "size"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "audience", "published_by", "published_at"]
    list_filter = ["kind", "published_at"]
    search_fields = ["title", "body"]
    inlines = [AttachmentInline]


@admin.register(NoticeReceipt)
class NoticeReceiptAdmin(ReadOnlyAdmin):
    list_display = ["notice", "recipient", "read_at", "reminder_count"]
    list_filter = ["read_at"]
    search_fields = ["notice__title", "recipient__name", "recipient__username"]
    list_select_related = ["notice", "recipient"]
