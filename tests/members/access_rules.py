from members.models import ActivityGroup, Committee, Member
from tests.access import OFFICES, Rule, only

SEE_ALL = ("admin", "staff", "leader", "member1", "member2")


def member_of(username: str):
    return lambda: {"pk": Member.objects.get(user__username=username).pk}


# The 委员联络室 keeps the register; a 专委会办公室 (staff_committee) sees its own committee's members.
RULES = [
    Rule("members:list", only(*SEE_ALL, "staff_committee")),
    Rule("members:list", only(*SEE_ALL, "staff_committee"), query="q=李&sector=1&station=1"),
    Rule("members:export", only("admin", "staff")),
    Rule("members:import", only("admin", "staff")),
    Rule("members:me", only("leader", "member1", "member2")),
    Rule("members:pick", only(*SEE_ALL, *OFFICES, "party_minjin"), query="field=members&member_q=李&multiple=1"),
    Rule("members:detail", only(*SEE_ALL), kwargs=member_of("member2")),
    # 专委会 and 界别活动组 workspaces.
    # A 专委会办公室 reads the workspaces, as members do (joint work shows on each committee's page).
    Rule("members:committees", only(*SEE_ALL, "staff_committee")),
    Rule(
        "members:committee",
        only(*SEE_ALL, "staff_committee"),
        kwargs=lambda: {"pk": Committee.objects.get(name="经济委员会").pk},
    ),
    Rule(
        "members:committee",
        only(*SEE_ALL, "staff_committee"),
        kwargs=lambda: {"pk": Committee.objects.get(name="人口资源环境委员会").pk},
        query="year=2025",
    ),
    Rule(
        "members:activity-group",
        only(*SEE_ALL, "staff_committee"),
        kwargs=lambda: {"pk": ActivityGroup.objects.get(name="经济界活动组").pk},
    ),
    Rule("members:memberships", only("admin", "staff"), kwargs=member_of("member2")),
    Rule("members:term-import", only("admin", "staff")),
]


# --- Member performance (履职档案, 述职, study, selection, contacts) and /stats/ ------------------

STAFF = ("admin", "staff")
SEE_EVERYTHING = ("admin", "staff", "leader")
MEMBERS = ("leader", "member1", "member2")
STUDY = ("admin", "staff", "leader", "member1", "member2")


def _this_year():
    from django.utils import timezone

    return {"year": timezone.localdate().year}


def _first(model_path: str, **filters):
    def lookup():
        from django.apps import apps

        model = apps.get_model(model_path)
        return {"pk": model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()}

    return lookup


RULES += [
    Rule("members:record", only(*SEE_EVERYTHING, "member2"), kwargs=member_of("member2")),
    Rule("members:record", only(*SEE_EVERYTHING, "member2"), kwargs=member_of("member2"), query="term=1"),
    Rule("members:record-pdf", only(*SEE_EVERYTHING, "member2"), kwargs=member_of("member2")),
    Rule("members:my-record", only(*MEMBERS, ok=302)),
    Rule("members:my-report", only(*MEMBERS), kwargs=_this_year),
    Rule("members:reports", only(*STAFF)),
    Rule("members:reports", only(*STAFF), query="year=2025&status=accepted"),
    Rule(
        "members:report-review",
        only(*SEE_EVERYTHING, "member1"),
        kwargs=_first("members.AnnualReport", member__user__username="member1"),
    ),
    Rule("members:scoring", only(*SEE_EVERYTHING)),
    Rule("members:scoring-recompute", only(*STAFF, ok=302), method="post"),
    Rule("members:five-ones", only(*SEE_EVERYTHING)),
    Rule("members:five-ones", only(*SEE_EVERYTHING), query="year=2025"),
    Rule("members:five-ones-export", only(*SEE_EVERYTHING)),
    Rule("members:study", only(*STUDY)),
    Rule("members:group-new", only(*STAFF)),
    Rule("members:study-material", only(*STUDY), kwargs=_first("members.StudyMaterial")),
    Rule("members:reflections", only(*STUDY)),
    Rule("members:reflections", only(*STUDY), query="excellent=1"),
    Rule("members:reflection-new", only(*MEMBERS)),
    Rule(
        "members:reflection-detail",
        only(*SEE_EVERYTHING, "member2"),
        kwargs=_first("members.StudyReflection", member__user__username="member2"),
    ),
    Rule(
        "members:reflection-excellent",
        only(*STAFF, ok=302),
        kwargs=_first("members.StudyReflection", member__user__username="member2"),
        method="post",
    ),
    Rule("members:trainings", only(*STUDY)),
    Rule("members:training-detail", only(*STUDY), kwargs=_first("members.Training")),
    Rule("members:plenary-attendance", only(*STAFF, "staff_meetings"), kwargs=_first("members.PlenarySession")),
    Rule("members:plenary-day", only(*STAFF), kwargs=_first("members.PlenaryDay")),
    Rule("members:plenary-day-new", only(*STAFF, ok=302), kwargs=_first("members.PlenarySession"), method="post"),
    Rule("members:plenary-group-new", only(*STAFF, ok=302), kwargs=_first("members.PlenarySession"), method="post"),
    Rule("members:selection", only(*SEE_EVERYTHING)),
    Rule("members:selection-detail", only(*SEE_EVERYTHING), kwargs=_first("members.SelectionRound", year=2025)),
    Rule(
        "members:selection-advance",
        only(*STAFF, ok=302),
        kwargs=_first("members.SelectionRound", year=2025),
        method="post",
    ),
    Rule(
        "members:candidate-review",
        only(*STAFF, ok=302),
        kwargs=_first("members.SelectionCandidate", round__year=2025),
        method="post",
    ),
    Rule("members:contacts", only(*SEE_EVERYTHING)),
    Rule("members:duty-remove", only(*STAFF, ok=404), kwargs={"kind": "sector", "pk": 999999}, method="post"),
    Rule("members:visits", only(*SEE_EVERYTHING)),
    Rule("members:not-visited", only(*SEE_EVERYTHING)),
    Rule("members:not-visited-export", only(*SEE_EVERYTHING), query="year=2025"),
    # The platform's statistics page; its sections come from every app's stats.py.
    Rule("stats", only(*SEE_EVERYTHING, ok=302)),  # opens the first section
    Rule("stats-section", only(*SEE_EVERYTHING), kwargs={"section": "proposals"}),
    Rule("stats-section", only(*SEE_EVERYTHING), kwargs={"section": "consultations"}),
    Rule("stats-section", only(*SEE_EVERYTHING), kwargs={"section": "stations"}),
    Rule("stats-section", only(*SEE_EVERYTHING), kwargs={"section": "members"}),
    Rule("stats-section", only(*SEE_EVERYTHING), kwargs={"section": "members"}, query="year=2025&min_acts=2"),
    Rule("stats-export", only(*SEE_EVERYTHING), kwargs={"section": "members", "table": "bands"}),
    Rule("stats-export", only(*SEE_EVERYTHING), kwargs={"section": "proposals", "table": "units"}),
    Rule("stats-pdf", only(*SEE_EVERYTHING), kwargs={"section": "proposals"}),
    # The 提案工作情况报告 as Word: staff and leaders (and the admin) only.
    Rule("stats-docx", only(*SEE_EVERYTHING), kwargs={"section": "proposals"}),
    Rule("stats-docx", only(*SEE_EVERYTHING), kwargs={"section": "proposals"}, query="year=2025"),
]
