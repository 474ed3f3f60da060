"""Who may publish and read 通知公告: the 办公室 publishes and follows the receipts; each
recipient reads what was sent to them."""

import rules

from cppcc_portal.roles import in_general_office

from ..permissions import in_a_committee_office


@rules.predicate
def is_recipient(user, notice) -> bool:
    return notice is not None and notice.receipts.filter(recipient_id=user.pk).exists()


@rules.predicate
def is_publisher(user, notice) -> bool:
    return notice is not None and notice.published_by_id == user.pk


# The 办公室 publishes and follows every notice; a 专委会办公室 notifies (its members, say) and follows its own.
follows_notice = in_general_office | is_publisher


@rules.predicate
def sees_attachment_notice(user, attachment) -> bool:
    return attachment is not None and user.has_perm("members.see_notice", attachment.notice)


rules.add_perm("members.browse_notices", rules.is_authenticated)
rules.add_perm("members.publish_notice", in_general_office | in_a_committee_office)
rules.add_perm("members.see_notice", follows_notice | is_recipient)
rules.add_perm("members.see_notice_receipts", follows_notice)
rules.add_perm("members.download_notice_attachment", sees_attachment_notice)
