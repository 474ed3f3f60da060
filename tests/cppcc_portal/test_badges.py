"""State badges: styles live on the state enums and every badge of a state uses them."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string

from consultations.enums import OnlinePhase
from cppcc_portal.badges import NEUTRAL, BadgeChoices, _subclasses, badge_class, enum_of
from proposals.enums import ProposalState
from proposals.models import Proposal

GREY_STATES = {ProposalState.NOT_REGISTERED, ProposalState.WITHDRAWN, ProposalState.MERGED}
# Badge enums computed from other fields, never stored (a 网络议政 topic's phase comes from its window).
DERIVED = {OnlinePhase}


@pytest.mark.parametrize("state", list(ProposalState))
def test_state_partial_greys_only_dead_proposals(state):
    html = render_to_string("proposals/partials/state.html", {"p": Proposal(state=state)})
    badge = re.search(r'<span class="badge state-\w+ ([^"]+)">', html).group(1)
    assert (badge == "text-bg-secondary") == (state in GREY_STATES), (state, badge)
    assert state.label in html


def test_registered_proposal_badge_is_not_the_dead_grey():
    # 'registered' is a substring of 'not_registered': the old template greyed it.
    assert badge_class(Proposal(state=ProposalState.REGISTERED), "state") == "text-bg-primary"


def test_every_badge_enum_styles_only_its_own_members():
    enums = _subclasses(BadgeChoices)
    assert len(enums) >= 10
    for enum in enums:
        styles = enum.badge_styles()
        assert styles, enum
        assert set(styles) <= set(enum), enum
        for member in enum:
            assert member.badge == styles.get(member, NEUTRAL)


def test_every_badge_enum_is_used_by_a_model_field_the_filter_can_find():
    fields = [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "choices", None) and not field.is_relation
    ]
    found = {enum_of(model, name) for model, name in fields} - {None}
    assert found == set(_subclasses(BadgeChoices)) - DERIVED


def test_unknown_stored_value_gets_the_neutral_badge():
    assert badge_class(Proposal(state="vanished"), "state") == NEUTRAL


def test_templates_take_state_badges_from_the_enum():
    """No template picks a badge colour by comparing a state or status by hand."""
    by_hand = re.compile(r'class="badge \{% if [\w.]+\.(state|status|adoption) ')
    offenders = [
        str(path)
        for folder in settings.TEMPLATES[0]["DIRS"]
        for path in Path(folder).rglob("*.html")
        if by_hand.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
