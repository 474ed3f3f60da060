from tests.access import OFFICES, Rule, everyone

RULES = [
    Rule("home", everyone()),
    Rule("notifications", everyone()),
    Rule("notifications", everyone(), query="unread=1"),
    Rule("notification-read", everyone(404), kwargs={"pk": 999999}, method="post"),
    Rule("notifications-read-all", everyone(302), method="post"),
]
RULES.append(Rule("notification-preferences", everyone()))

# Two-factor pages: every signed-in person manages their own; the demo fixture gives staff and
# the admin a verified phone, so the verify page sends everyone straight on.
RULES += [
    Rule("two-factor", everyone()),
    Rule("two-factor-setup", everyone()),
    Rule("two-factor-verify", everyone(302)),
    Rule("two-factor-recovery-codes", everyone(302)),
    Rule(
        "two-factor-recovery-codes",
        {"*": 302, **{login: 200 for login in ("admin", "staff", *OFFICES)}},
        method="post",
    ),
    Rule("two-factor-disable", everyone(405)),
    Rule("two-factor-disable", everyone(302), method="post"),
]

# The phone app: the manifest and the service worker are public (the browser fetches them as it likes).
RULES += [
    Rule("manifest", {"*": 200, "anonymous": 200}),
    Rule("service-worker", {"*": 200, "anonymous": 200}),
]


def kept_key_report():
    """A kept 重点提案办理情况 PDF of the current session, ready to download. Its data version is
    one no real request reads (write versions are "<oid>.<number>"), so it is never served in
    place of a real one on a database the page benchmark runs against."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from cppcc_portal.generated import params_key
    from cppcc_portal.models import GeneratedDocument
    from members.models import PlenarySession

    params = {"session": PlenarySession.current().pk}
    document, created = GeneratedDocument.objects.get_or_create(
        kind="proposals.key_report_pdf",
        params_key=params_key(params),
        data_version="access-rule",
        defaults={
            "params": params,
            "status": "ready",
            "filename": "重点提案办理情况.pdf",
            "content_type": "application/pdf",
            "finished_at": timezone.now(),
        },
    )
    if created or not document.file or not document.file.storage.exists(document.file.name):
        document.file.save("access-rule.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return {"pk": document.pk}


# Kept documents (cppcc_portal.generated): whoever may have the document polls and downloads it
# (here the key report: staff and leaders); others are refused, however they came by its number.
KEEPERS = ("admin", "staff", "staff_proposals", "leader")
RULES += [
    Rule("generated-document", {"*": 403, **dict.fromkeys(KEEPERS, 200)}, kwargs=kept_key_report),
    Rule("generated-document", {"*": 403, **dict.fromkeys(KEEPERS, 302)}, kwargs=kept_key_report, method="post"),
    Rule("generated-document-download", {"*": 403, **dict.fromkeys(KEEPERS, 200)}, kwargs=kept_key_report),
]
