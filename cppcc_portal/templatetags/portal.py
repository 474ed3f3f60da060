"""The platform's template helpers: ``{% load portal %}``."""

from django import template

from cppcc_portal.badges import badge_class

register = template.Library()


@register.filter
def badge(obj, field_name: str = "state") -> str:
    """Bootstrap classes of the badge for ``obj.<field_name>``: ``{{ p|badge:"state" }}``."""
    return badge_class(obj, field_name)
