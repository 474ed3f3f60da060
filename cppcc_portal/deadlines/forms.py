from django import forms

from ..forms import quick_selects
from ..hooks import handling_units
from .board import DEFAULT_WITHIN, MAX_WITHIN
from .registry import all_sources, policies_for

LEVEL_CHOICES = [("", "全部"), ("0", "未升级"), ("1", "第1级"), ("2", "第2级"), ("3", "第3级")]


class BoardFilterForm(forms.Form):
    within = forms.IntegerField(
        label="预警范围（工作日）", min_value=0, max_value=MAX_WITHIN, required=False, initial=DEFAULT_WITHIN
    )
    unit = forms.ModelChoiceField(label="承办单位", queryset=None, required=False, empty_label="全部")
    clock = forms.ChoiceField(label="时限", required=False)
    level = forms.ChoiceField(label="升级级别", choices=LEVEL_CHOICES, required=False)

    def __init__(self, *args, show_unit: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        sources = all_sources()
        policies = policies_for(source.key for source in sources)  # one query, not one per clock
        self.fields["clock"].choices = [("", "全部")] + [(source.key, policies[source.key].name) for source in sources]
        if show_unit:
            self.fields["unit"].queryset = handling_units()
        else:
            del self.fields["unit"]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if isinstance(field, forms.ChoiceField) else "form-control form-control-sm"
            )
        quick_selects(self)

    def params(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        level = data.get("level")
        unit = data.get("unit")
        within = data.get("within")
        return {
            "within": DEFAULT_WITHIN if within is None else within,
            "unit_id": unit.pk if unit else None,
            "clock": data.get("clock") or "",
            "level": int(level) if level not in (None, "") else None,
        }
