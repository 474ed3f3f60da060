"""QuickSelect writes exactly the <select> Django's template-rendered Select would."""

import pytest
from django import forms
from django.test.html import parse_html

from cppcc_portal.forms import QuickSelect, QuickSelectMultiple, quick_selects


class Filters(forms.Form):
    state = forms.ChoiceField(choices=[("", "全部"), ("a", "甲 & <乙>"), ("b", "丙")], required=False)
    grouped = forms.ChoiceField(choices=[("", "全部"), ("组一", [("x", "一"), ("y", "二")])], required=False)
    many = forms.MultipleChoiceField(choices=[("p", "P")], required=False)


@pytest.mark.parametrize("data", [{}, {"state": "a", "grouped": "y"}, {"state": "nope"}])
def test_quick_select_matches_djangos_select(data):
    quick = Filters(data)
    quick_selects(quick)
    plain = Filters(data)
    assert isinstance(quick.fields["state"].widget, QuickSelect)
    assert not isinstance(quick.fields["many"].widget, QuickSelect)  # only plain single selects
    for name in ("state", "grouped"):
        assert parse_html(str(quick[name])) == parse_html(str(plain[name]))  # attribute order aside
    assert "甲 &amp; &lt;乙&gt;" in str(quick["state"])


@pytest.mark.parametrize("value", [[], ["b"], ["a", "b"]])
def test_quick_select_multiple_matches_djangos_select_multiple(value):
    choices = [("a", "甲 & <乙>"), ("b", "丙")]
    attrs = {"size": 4, "class": "form-select"}
    quick = QuickSelectMultiple(choices=choices, attrs=attrs).render("units", value, {"id": "id_units"})
    plain = forms.SelectMultiple(choices=choices, attrs=attrs).render("units", value, {"id": "id_units"})
    assert parse_html(quick) == parse_html(plain)
