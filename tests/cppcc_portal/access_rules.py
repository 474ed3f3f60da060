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
