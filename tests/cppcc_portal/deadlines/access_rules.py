from tests.access import Rule, only

BOARD = ("admin", "staff", "leader", "unit_edu", "unit_health")

RULES = [
    Rule("deadlines:board", only(*BOARD)),
    Rule("deadlines:board", only(*BOARD), query="within=10&clock=proposal.handling&level=1&unit=1"),
    Rule("deadlines:board", only(*BOARD), query="within=abc&level=x"),
    Rule("deadlines:export", only(*BOARD)),
    Rule("deadlines:export", only(*BOARD), query="clock=proposal.accept"),
]
