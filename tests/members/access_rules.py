from members.models import Member
from tests.access import Rule, only

SEE_ALL = ("admin", "staff", "leader", "member1", "member2")


def member_of(username: str):
    return lambda: {"pk": Member.objects.get(user__username=username).pk}


RULES = [
    Rule("members:list", only(*SEE_ALL)),
    Rule("members:list", only(*SEE_ALL), query="q=李&sector=1&station=1"),
    Rule("members:export", only("admin", "staff")),
    Rule("members:import", only("admin", "staff")),
    Rule("members:me", only("leader", "member1", "member2")),
    Rule("members:detail", only(*SEE_ALL), kwargs=member_of("member2")),
]
