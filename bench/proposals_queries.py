"""Proposals: queries and time of /proposals/ and /proposals/<id>/ at 10 and at 10,000 proposals.

.venv/bin/python bench/proposals_queries.py
(temporary SQLite file by default; BENCH_DATABASE_URL for PostgreSQL — see bench/_setup.py)
"""

from _setup import measure, report, setup

setup()

from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.models import Organization, PlenarySession, User  # noqa: E402
from proposals.models import Assignment, Proposal, ProposalCategory, ProposalEvent  # noqa: E402


def add_proposals(target: int) -> None:
    """Top the database up to ``target`` proposals in handling, each with a unit and two timeline rows."""
    missing = target - Proposal.objects.count()
    if missing <= 0:
        return
    session = PlenarySession.current()
    categories = list(ProposalCategory.objects.all())
    member1 = User.objects.get(username="member1")
    staff = User.objects.get(username="staff")
    units = list(Organization.objects.filter(name__in=["区教育局", "区卫生健康委员会"]))
    today = timezone.localdate()
    top = Proposal.objects.filter(session=session).aggregate(top=Max("sequence"))["top"] or 0
    for start in range(0, missing, 2000):
        batch = Proposal.objects.bulk_create(
            Proposal(
                session=session,
                title=f"关于第{top + i + 1}项民生事项的建议",
                category=categories[i % len(categories)],
                background="情况分析",
                suggestions="具体建议",
                author=member1.member,
                filed_by=member1,
                state="handling",
                sequence=top + i + 1,
                number=f"{session.short_name}第{top + i + 1:05d}号",
                submitted_at=timezone.now(),
            )
            for i in range(start, min(start + 2000, missing))
        )
        Assignment.objects.bulk_create(
            Assignment(
                proposal=p,
                unit=units[p.pk % 2],
                kind="lead",
                assigned_on=today,
                assigned_by=staff,
                accept_due=today,
                handling_due=today,
            )
            for p in batch
        )
        ProposalEvent.objects.bulk_create(
            ProposalEvent(proposal=p, action=action, label=action, actor=staff)
            for p in batch
            for action in ("register", "assign")
        )


def pages(label: str, results: list) -> None:
    for username, title in (
        ("staff", "关于优化社区卫生服务中心布局的建议"),
        ("member1", "关于优化社区卫生服务中心布局的建议"),
        ("unit_edu", "关于推进义务教育优质均衡发展缓解择校热的建议"),
    ):
        detail = Proposal.objects.get(title=title)
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get(f"/proposals/{detail.pk}/")  # warm caches (deadline policies, content types)
        for name, url in (("list", "/proposals/"), ("detail", f"/proposals/{detail.pk}/")):
            with measure(f"{label} {username:<8} {name}", results):
                assert client.get(url).status_code == 200


results: list = []
small = Proposal.objects.count()
add_proposals(10) if small < 10 else None
pages(f"{Proposal.objects.count():>6} proposals", results)
add_proposals(10_000)
pages(f"{Proposal.objects.count():>6} proposals", results)
report(results)
