"""Member registry: queries and time of /members/ at 50 and at 5,000 members.

.venv/bin/python bench/members_list.py
"""

from _setup import measure, report, setup

setup()

from django.test import Client  # noqa: E402

from members.models import Committee, CommitteeMembership, Member, Position, Sector, User  # noqa: E402


def add_members(start: int, count: int) -> None:
    sectors = list(Sector.objects.all())
    position = Position.objects.get(name="委员")
    committees = list(Committee.objects.all())
    members = Member.objects.bulk_create(
        Member(
            name=f"委员{i:05d}",
            gender="女" if i % 2 else "男",
            sector=sectors[i % len(sectors)],
            position=position,
            mobile=f"158{i:08d}",
        )
        for i in range(start, start + count)
    )
    CommitteeMembership.objects.bulk_create(
        CommitteeMembership(member=m, committee=committees[i % len(committees)]) for i, m in enumerate(members)
    )


client = Client()
client.force_login(User.objects.get(username="staff"))
results: list = []
for total in (50, 5000):
    current = Member.objects.filter(name__startswith="委员0").count()
    add_members(current, total - current)
    client.get("/members/")  # warm up
    for label, params in (("list", {}), ("search", {"q": "委员0"}), ("filter+page 3", {"sector": "13", "page": "3"})):
        with measure(f"/members/ {label:<14} at {Member.objects.count():>5} members", results):
            response = client.get("/members/", params)
        assert response.status_code == 200
report(results)
