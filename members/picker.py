"""A member picker that stays small at any size: no ``<select>`` of every member.

The form shows the chosen members as ticked boxes and a search box; typing asks
``members:pick`` (htmx) for the first matches by name, shown as boxes to tick
(``static/js/portal.js`` moves a ticked match beside the chosen ones). The field
still checks every submitted pk against its own queryset, so a scope is only what
the search offers, never what the form accepts.

    members = MemberField(label="委员", queryset=Member.objects.active(), multiple=True)
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Member

MATCHES = 20

# What the search offers, by name (the field's queryset decides what is accepted).
SCOPES: dict[str, Callable[[], QuerySet]] = {
    "active": lambda: Member.objects.active(),
    "with_login": lambda: Member.objects.active().filter(user__isnull=False),
    "cpc": lambda: Member.objects.active().filter(party__kind="cpc"),
    "non_cpc": lambda: Member.objects.active().exclude(party__kind="cpc"),
}


def member_label(member: Member) -> str:
    """姓名（界别）: enough to tell two members of the same name apart."""
    return f"{member.name}（{member.sector.name}）" if member.sector_id else member.name


def labelled(queryset: QuerySet) -> list[tuple[int, str]]:
    return [(member.pk, member_label(member)) for member in queryset.select_related("sector")]


def search(scope: str, text: str) -> list[tuple[int, str]]:
    """The first ``MATCHES`` members of ``scope`` whose name contains ``text``, by name."""
    text = text.strip()[:40]
    if not text or scope not in SCOPES:
        return []
    return labelled(SCOPES[scope]().filter(name__contains=text).order_by("name", "pk")[:MATCHES])


class MemberPicker(forms.Widget):
    """The chosen members (one query for their labels) and a search box; never every member."""

    template = "members/widgets/member_picker.html"

    def __init__(self, *, multiple: bool, scope: str = "active", attrs=None) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.allow_multiple_selected = multiple
        self.scope = scope

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False if self.multiple else name not in data  # an empty multiple choice sends nothing

    def format_value(self, value) -> list[str]:
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]

    def render(self, name, value, attrs=None, renderer=None) -> str:
        ids = [int(v) for v in self.format_value(value) if v.isdigit()]
        chosen = labelled(Member.objects.filter(pk__in=ids).order_by("name", "pk")) if ids else []
        attrs = self.build_attrs(self.attrs, attrs)
        return render_to_string(
            self.template,
            {
                "name": name,
                "id": attrs.get("id") or f"id_{name}",
                "chosen": chosen,
                "input_type": "checkbox" if self.multiple else "radio",
                "search_url": reverse("members:pick"),
                "scope": self.scope,
                "multiple": int(self.multiple),
            },
        )


class MemberField(forms.ModelChoiceField):
    """One member, picked by searching."""

    def __init__(self, *, queryset, scope: str = "active", **kwargs) -> None:
        kwargs.setdefault("widget", MemberPicker(multiple=False, scope=scope))
        super().__init__(queryset=queryset, **kwargs)


class MembersField(forms.ModelMultipleChoiceField):
    """Several members, picked by searching."""

    def __init__(self, *, queryset, scope: str = "active", **kwargs) -> None:
        kwargs.setdefault("widget", MemberPicker(multiple=True, scope=scope))
        super().__init__(queryset=queryset, **kwargs)
