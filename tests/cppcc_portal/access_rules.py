from tests.access import Rule, everyone

RULES = [
    Rule("home", everyone()),
    Rule("notifications", everyone()),
    Rule("notifications", everyone(), query="unread=1"),
    Rule("notification-read", everyone(404), kwargs={"pk": 999999}, method="post"),
    Rule("notifications-read-all", everyone(302), method="post"),
]
RULES.append(Rule("notification-preferences", everyone()))
