from __future__ import annotations

from datetime import date

from django import forms

from cppcc_portal.errors import ValidationFailed
from cppcc_portal.forms import HiddenFieldErrorsMixin
from members.enums import OrganizationKind
from members.models import Member, Organization
from members.picker import MemberField, MembersField

from .enums import ActivityKind, DonationKind, ServiceKind
from .models import Station, StationActivity
from .photos import ALLOWED_TEXT, MAX_PHOTO_BYTES, MAX_PHOTOS, check_photos


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png,image/gif,image/webp", "multiple": True})

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        try:
            check_photos(files)
        except ValidationFailed as error:
            raise forms.ValidationError(error.message)
        return files


def station_members_field(label: str) -> MembersField:
    return MembersField(
        label=label, queryset=Member.objects.active(), required=False, help_text="输入姓名查找，勾选即加入。"
    )


class ActivityForm(forms.ModelForm):
    photos = MultiplePhotoField(
        label="活动照片",
        help_text=f"仅限 {ALLOWED_TEXT} 图片，每张不超过 {MAX_PHOTO_BYTES // (1024 * 1024)}MB，最多 {MAX_PHOTOS} 张。",
    )

    class Meta:
        model = StationActivity
        fields = ["held_on", "kind", "service_kind", "title", "description", "citizens_reached"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        self.station = station
        self.fields["participants"] = station_members_field("参加委员")
        if self.instance.pk:
            self.initial["participants"] = list(self.instance.participants.values_list("pk", flat=True))
        else:
            self.initial.setdefault("held_on", date.today())
        self.fields["service_kind"].choices = [("", "（为民服务时选择）")] + ServiceKind.choices
        self.order_fields(["held_on", "kind", "service_kind", "title", "description", "participants"])

    def clean(self):
        data = super().clean()
        if data.get("kind") == ActivityKind.SERVICE and not data.get("service_kind"):
            self.add_error("service_kind", "为民服务请选择服务类别（义诊、助学、送法律、送文化等）。")
        if data.get("held_on") and data["held_on"] > date.today():
            self.add_error("held_on", "活动日期不能晚于今天。")
        return data


class ReassignForm(forms.Form):
    members = MembersField(label="委员", queryset=Member.objects.active(), help_text="输入姓名查找，勾选即加入。")
    station = forms.ModelChoiceField(label="调整到联络站", queryset=Station.objects.filter(is_active=True))


def _departments():
    return Organization.objects.filter(
        is_active=True, kind__in=[OrganizationKind.HANDLING_UNIT, OrganizationKind.TOWN_STREET]
    )


class MatterForm(forms.Form):
    problem = forms.CharField(label="反映问题", widget=forms.Textarea(attrs={"rows": 4}))
    raised_by = forms.CharField(label="反映人", max_length=100, help_text="群众姓名或单位")
    raised_on = forms.DateField(label="受理日期", widget=forms.DateInput(attrs={"type": "date"}), initial=date.today)
    department = forms.ModelChoiceField(label="责任单位", queryset=_departments(), required=False)
    activity = forms.ModelChoiceField(label="来源活动", queryset=StationActivity.objects.none(), required=False)

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments()
        self.fields["members"] = station_members_field("经办委员")
        self.fields["activity"].queryset = station.activities.all()


class MatterMoveForm(HiddenFieldErrorsMixin, forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resolution = forms.CharField(label="办理结果", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    resolved_on = forms.DateField(label="办结日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="无法解决原因", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DonationForm(forms.Form):
    donated_on = forms.DateField(label="捐赠日期", widget=forms.DateInput(attrs={"type": "date"}), initial=date.today)
    donor = forms.CharField(label="捐赠方", max_length=100)
    donor_member = MemberField(label="捐赠委员", queryset=Member.objects.active(), required=False)
    kind = forms.ChoiceField(label="捐赠形式", choices=DonationKind.choices, widget=forms.RadioSelect)
    amount = forms.DecimalField(label="金额（元）", max_digits=12, decimal_places=2, min_value=0, required=False)
    goods = forms.CharField(label="物资名称及数量", max_length=200, required=False)
    goods_value = forms.DecimalField(
        label="物资折价（元）", max_digits=12, decimal_places=2, min_value=0, required=False
    )
    recipient = forms.CharField(label="受赠对象/用途", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == DonationKind.MONEY and not data.get("amount"):
            self.add_error("amount", "资金捐赠请填写金额（元）。")
        if data.get("kind") == DonationKind.GOODS and not data.get("goods"):
            self.add_error("goods", "物资捐赠请填写物资名称和数量。")
        return data


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)
