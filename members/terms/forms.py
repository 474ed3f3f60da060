from django import forms

from ..enums import MID_TERM_CHANGES, MembershipReason
from ..forms import MemberImportForm
from ..models import Position, Sector


class DateInput(forms.DateInput):
    input_type = "date"


class MembershipChangeForm(forms.Form):
    reason = forms.ChoiceField(
        label="变动类型", choices=[(value, MembershipReason(value).label) for value in MID_TERM_CHANGES]
    )
    on = forms.DateField(
        label="生效日期",
        widget=DateInput,
        help_text="改界别、职务变动自当日起按新信息计；辞去、撤销资格当日为最后在任日。",
    )
    sector = forms.ModelChoiceField(
        label="新界别", queryset=Sector.objects.all(), required=False, help_text="改界别、增补时选择。"
    )
    position = forms.ModelChoiceField(
        label="新职务", queryset=Position.objects.all(), required=False, help_text="职务变动、增补时选择。"
    )
    note = forms.CharField(label="说明", max_length=200, required=False, help_text="如：区政协常委会第×次会议决定。")

    def clean(self):
        data = super().clean()
        if data.get("reason") == MembershipReason.SECTOR_CHANGE and not data.get("sector"):
            self.add_error("sector", "改界别请选择新界别。")
        if data.get("reason") == MembershipReason.POSITION_CHANGE and not data.get("position"):
            self.add_error("position", "职务变动请选择新职务。")
        return data


class TermImportForm(MemberImportForm):
    """换届导入: the new term and its roll."""

    number = forms.IntegerField(label="届次（数字）", min_value=1, max_value=99)
    name = forms.CharField(label="名称", max_length=20, help_text="如：第三届")
    short_name = forms.CharField(label="简称", max_length=10, help_text="用于提案编号，如：三届")
    start_date = forms.DateField(label="开始日期", widget=DateInput)
    end_date = forms.DateField(label="结束日期", widget=DateInput)

    field_order = ["number", "name", "short_name", "start_date", "end_date", "file"]

    def term_fields(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("number", "name", "short_name", "start_date", "end_date")}
