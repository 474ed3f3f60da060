from liaison_stations.models import ActivityPhoto, LivelihoodMatter, Station, StationActivity
from tests.access import Rule, only

SEE_ALL = ("admin", "staff", "leader", "member1", "member2")
EVERYTHING = ("admin", "staff", "leader")
HOME = "杨村街道委员联络站"  # member1 is its 站长; member2 belongs to it
OTHER = "下朱庄街道委员联络站"  # nobody among the demo logins heads or belongs to it


def station(name: str):
    return lambda: {"pk": Station.objects.get(name=name).pk}


def activity_of(name: str):
    return lambda: {"pk": StationActivity.objects.filter(station__name=name).order_by("id").first().pk}


def photo_of(name: str):
    return lambda: {"pk": ActivityPhoto.objects.filter(activity__station__name=name).order_by("id").first().pk}


def matter_of(name: str):
    return lambda: {"pk": LivelihoodMatter.objects.filter(station__name=name).order_by("id").first().pk}


RULES = [
    Rule("stations:list", only(*SEE_ALL)),
    Rule("stations:overview", only(*EVERYTHING)),
    Rule("stations:overview", only(*EVERYTHING), query="year=2025"),
    Rule("stations:map", only(*SEE_ALL)),
    Rule("stations:map", only(*SEE_ALL), query="year=2025"),
    Rule("stations:reassign", only("admin", "staff")),
    Rule("stations:detail", only(*SEE_ALL), kwargs=station(HOME)),
    # A station head trying another station: neither sees nor records there.
    Rule("stations:detail", only(*EVERYTHING), kwargs=station(OTHER)),
    Rule("stations:activity-new", only("admin", "staff", "member1"), kwargs=station(HOME)),
    Rule("stations:activity-new", only("admin", "staff"), kwargs=station(OTHER)),
    Rule("stations:matter-new", only("admin", "staff", "member1"), kwargs=station(HOME)),
    Rule("stations:matter-new", only("admin", "staff"), kwargs=station(OTHER)),
    Rule("stations:donation-new", only("admin", "staff", "member1"), kwargs=station(HOME)),
    Rule("stations:donation-new", only("admin", "staff"), kwargs=station(OTHER)),
    Rule("stations:activity", only(*SEE_ALL), kwargs=activity_of(HOME)),
    Rule("stations:activity", only(*EVERYTHING), kwargs=activity_of(OTHER)),
    Rule("stations:activity-edit", only("admin", "staff", "member1"), kwargs=activity_of(HOME)),
    Rule("stations:activity-edit", only("admin", "staff"), kwargs=activity_of(OTHER)),
    Rule("stations:photo", only(*SEE_ALL), kwargs=photo_of(HOME)),
    Rule("stations:photo", only(*EVERYTHING), kwargs=photo_of(OTHER)),
    Rule("stations:photo-delete", only("admin", "staff", "member1", ok=302), kwargs=photo_of(HOME), method="post"),
    Rule("stations:photo-delete", only("admin", "staff", ok=302), kwargs=photo_of(OTHER), method="post"),
    Rule("stations:matter", only(*SEE_ALL), kwargs=matter_of(HOME)),
    # The responsible department's unit users may follow an item (区卫健委 for this one).
    Rule("stations:matter", only(*EVERYTHING, "unit_health"), kwargs=matter_of(OTHER)),
    Rule("stations:matters", only(*SEE_ALL, "unit_edu", "unit_health")),
    Rule("stations:matters", only(*SEE_ALL, "unit_edu", "unit_health"), query="status=solved&station=1"),
]
