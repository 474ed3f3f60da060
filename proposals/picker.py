"""A proposal picker for 并案: the chosen target and a search box, never a ``<select>`` of the session.

Built like the member picker (``members/picker.py``, same ``data-picker`` markup, so
``static/js/portal.js`` moves a ticked match beside the chosen one): typing asks
``proposals:merge-targets`` (htmx) for the first proposals whose 提案编号 or 案由 contain
every word typed. The form field still checks the submitted pk against its own queryset
(``selectors.merge_targets``), so the search only offers; it never decides what is accepted.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string

from .models import Proposal

MATCHES = 20
MAX_WORDS = 5


def labelled(queryset: QuerySet[Proposal]) -> list[tuple[int, str]]:
    """(pk, "提案编号　案由") for each proposal: what staff know a proposal by."""
    rows = queryset.values_list("pk", "number", "title")
    return [(pk, f"{number}　{title}" if number else title) for pk, number, title in rows]


def search(queryset: QuerySet[Proposal], text: str) -> list[tuple[int, str]]:
    """The first ``MATCHES`` proposals of ``queryset`` whose number or title contains each word of ``text``."""
    words = text.split()[:MAX_WORDS]
    if not words:
        return []
    for word in words:
        queryset = queryset.filter(Q(number__icontains=word[:60]) | Q(title__icontains=word[:60]))
    return labelled(queryset.order_by("sequence", "pk")[:MATCHES])


class ProposalPicker(forms.Widget):
    """One proposal: the chosen one (one query for its label) and a search box asking ``search_url``."""

    template = "proposals/widgets/proposal_picker.html"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs)
        # Set by the form: the search knows which proposal is being merged, and a refused pick
        # (another session's, no longer registered) is not shown ticked again.
        self.search_url = ""
        self.queryset = Proposal.objects.none()

    def format_value(self, value) -> str:
        value = getattr(value, "pk", value)
        return "" if value is None else str(value)

    def render(self, name, value, attrs=None, renderer=None) -> str:
        chosen_pk = self.format_value(value)
        chosen = []
        if chosen_pk.isdigit():
            chosen = labelled(self.queryset.filter(pk=int(chosen_pk)))
        attrs = self.build_attrs(self.attrs, attrs)
        return render_to_string(
            self.template,
            {"name": name, "id": attrs.get("id") or f"id_{name}", "chosen": chosen, "search_url": self.search_url},
        )
