"""Who may see and do what at the stations: small named predicates (``rules``).

Staff and leaders see every station. A member sees the station list, their home
station, the 界别协商工作室 they belong to and the stations they head; a station head manages only the station(s)
they head. Unit users have no business here.
"""

from __future__ import annotations

import rules

from cppcc_portal.roles import in_liaison_office, is_member, is_unit_user, sees_everything


def _member(user):
    return getattr(user, "member", None) if user and user.is_authenticated else None


def _station_of(obj):
    """The station an object belongs to (a station, an activity, a photo, a 民生实事)."""
    if obj is None:
        return None
    if hasattr(obj, "activity") and hasattr(obj, "image"):  # ActivityPhoto
        obj = obj.activity
    return getattr(obj, "station", obj)


@rules.predicate
def heads_station(user, obj) -> bool:
    member = _member(user)
    station = _station_of(obj)
    return member is not None and station is not None and station.head_id == member.pk


@rules.predicate
def is_home_station(user, obj) -> bool:
    member = _member(user)
    station = _station_of(obj)
    if member is None or station is None:
        return False
    if not hasattr(user, "_home_station_id"):
        membership = member.station_membership if hasattr(member, "station_membership") else None
        user._home_station_id = membership.station_id if membership else None
    return user._home_station_id == station.pk


@rules.predicate
def is_studio_member(user, obj) -> bool:
    """A member of a 界别协商工作室 (beside their home station) sees the studio."""
    member = _member(user)
    station = _station_of(obj)
    if member is None or station is None:
        return False
    if not hasattr(user, "_studio_ids"):  # once per request: the station list asks for every station
        user._studio_ids = set(member.studio_memberships.values_list("station_id", flat=True))
    return station.pk in user._studio_ids


@rules.predicate
def takes_part(user, activity) -> bool:
    member = _member(user)
    if hasattr(activity, "image"):  # a photo: judged by its activity
        activity = activity.activity
    if member is None or activity is None or not hasattr(activity, "participants"):
        return False
    return activity.participants.filter(pk=member.pk).exists()


@rules.predicate
def is_matter_department(user, matter) -> bool:
    """A unit user of the department responsible for a 民生实事."""
    return (
        matter is not None
        and getattr(matter, "department_id", None) is not None
        and user.organization_id == matter.department_id
    )


# 委员联络室 runs the stations; the office as a whole and leaders read them all.
sees_all_stations = sees_everything | in_liaison_office
manages_station = in_liaison_office | heads_station
sees_station = sees_all_stations | heads_station | is_home_station | is_studio_member

rules.add_perm("liaison_stations.browse_stations", sees_all_stations | is_member)
rules.add_perm("liaison_stations.see_station", sees_station)
rules.add_perm("liaison_stations.manage_station", manages_station)
rules.add_perm("liaison_stations.reassign_members", in_liaison_office)
rules.add_perm("liaison_stations.see_overview", sees_all_stations)
rules.add_perm("liaison_stations.see_activity", sees_station | takes_part)
rules.add_perm("liaison_stations.manage_activity", manages_station)
rules.add_perm("liaison_stations.see_photo", sees_station | takes_part)
rules.add_perm("liaison_stations.browse_matters", sees_all_stations | is_member | is_unit_user)
rules.add_perm("liaison_stations.see_matter", sees_station | (is_unit_user & is_matter_department))
rules.add_perm("liaison_stations.move_matter", manages_station)
