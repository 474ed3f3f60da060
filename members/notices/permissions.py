"""Who may publish and read 通知公告: the 办公室 publishes and follows the receipts; each
recipient reads what was sent to them."""

import rules

from cppcc_portal.roles import in_general_office


@rules.predicate
def is_recipient(user, notice) -> bool:
    return notice is not None and notice.receipts.filter(recipient_id=user.pk).exists()


@rules.predicate
def sees_attachment_notice(user, attachment) -> bool:
    return attachment is not None and (in_general_office(user) or is_recipient(user, attachment.notice))


rules.add_perm("members.browse_notices", rules.is_authenticated)
rules.add_perm("members.publish_notice", in_general_office)
rules.add_perm("members.see_notice", in_general_office | is_recipient)
rules.add_perm("members.see_notice_receipts", in_general_office)
rules.add_perm("members.download_notice_attachment", sees_attachment_notice)
