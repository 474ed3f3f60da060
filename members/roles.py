"""The staff group's admin permissions (the role names and predicates: ``cppcc_portal.roles``)."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from cppcc_portal.roles import Role

# The staff group manages the portal's tables in the admin, except: logins (a system
# administrator's job), the Celery schedules (likewise), and the records of what happened,
# which only the services write (timelines, ratings, logs, the performance ledger, history).
STAFF_APPS = ["members", "cppcc_portal", "liaison_stations", "proposals", "consultations"]
RECORD_MODELS = [
    "proposalevent",
    "evaluation",
    "opinionevent",
    "livelihoodmatterlog",
    "performancerecord",
    "noticeledger",
]
WRITE_CODENAME = r"^(add|change|delete)_"


def forbidden_staff_permissions():
    return Permission.objects.filter(
        Q(content_type__app_label="django_celery_beat")
        | Q(content_type__model__in=["user", "historicaluser"])
        | Q(content_type__model__startswith="historical", codename__regex=WRITE_CODENAME)
        | Q(content_type__model__in=RECORD_MODELS, codename__regex=WRITE_CODENAME)
    )


def staff_permissions():
    allowed = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    return allowed.exclude(pk__in=forbidden_staff_permissions().values("pk"))


def withdraw_forbidden_staff_permissions(**kwargs) -> None:
    """After every migrate: whatever an earlier version or a hurried admin granted, the staff
    group never keeps the forbidden permissions."""
    group = Group.objects.filter(name=Role.STAFF).first()
    if group is not None:
        group.permissions.remove(*forbidden_staff_permissions())
