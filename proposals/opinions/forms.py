from __future__ import annotations

from datetime import date

from django import forms

from cppcc_portal.roles import is_proposer_org_user
from liaison_stations.selectors import activities_of_member, stations_headed_by
from members.enums import MemberStatus, OrganizationKind
from members.models import Member, Organization

from .enums import InstructionLevel
from .models import PublicOpinion


class OpinionForm(forms.ModelForm):
    station = forms.ModelChoiceField(
        label="以联络站名义报送",
        queryset=None,
        required=False,
        empty_label="（以本人名义）",
        help_text="站长可以所负责联络站的名义报送。",
    )
    activity = forms.ModelChoiceField(
        label="来源活动", queryset=None, required=False, empty_label="（无）", help_text="在联络站活动中听到的情况"
    )

    class Meta:
        model = PublicOpinion
        fields = ["title", "situation", "suggestion", "urgent"]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 6}),
            "suggestion": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"title": "一事一报，标题概括反映的问题", "urgent": "事关群众切身利益、需要尽快处理的紧急情况"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = user.organization if is_proposer_org_user(user) else None
        if self.organization is not None:  # filed in the organisation's name, with a contact member
            del self.fields["station"], self.fields["activity"]
            self.fields["author"] = forms.ModelChoiceField(
                label="联系委员",
                queryset=Member.objects.filter(status=MemberStatus.ACTIVE).order_by("name"),
                help_text=f"以“{self.organization.name}”名义报送；研究室与该委员联系。",
            )
            return
        self.fields["station"].queryset = stations_headed_by(user)
        if not self.fields["station"].queryset.exists():
            del self.fields["station"]
        self.fields["activity"].queryset = activities_of_member(user.member)
        self.order_fields(["title", "situation", "suggestion", "urgent", "activity", "station"])


class EditForReportForm(forms.ModelForm):
    class Meta:
        model = PublicOpinion
        fields = ["report_title", "report_text"]
        widgets = {"report_text": forms.Textarea(attrs={"rows": 12})}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核意见", choices=[("adopt", "采用"), ("reject", "不采用")], widget=forms.RadioSelect
    )
    to_party_committee = forms.BooleanField(label="报区委", required=False)
    to_government = forms.BooleanField(label="报区政府", required=False)
    to_city_cppcc = forms.BooleanField(label="报市政协", required=False)
    reason = forms.CharField(label="说明（不采用时必填）", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReportingForm(forms.Form):
    to_party_committee = forms.BooleanField(label="报区委", required=False)
    to_government = forms.BooleanField(label="报区政府", required=False)
    to_city_cppcc = forms.BooleanField(label="报市政协", required=False)


class InstructionForm(forms.Form):
    leader = forms.CharField(label="批示领导", max_length=60, help_text="如：区委书记 张某某")
    level = forms.ChoiceField(label="领导层级", choices=InstructionLevel.choices)
    text = forms.CharField(label="批示内容", widget=forms.Textarea(attrs={"rows": 4}))
    instructed_on = forms.DateField(
        label="批示日期", widget=forms.DateInput(attrs={"type": "date"}), initial=date.today
    )


class FeedbackForm(forms.Form):
    department = forms.ModelChoiceField(
        label="反馈单位",
        queryset=Organization.objects.filter(kind__in=[OrganizationKind.HANDLING_UNIT, OrganizationKind.TOWN_STREET]),
    )
    text = forms.CharField(label="落实情况", widget=forms.Textarea(attrs={"rows": 4}))
    received_on = forms.DateField(label="反馈日期", widget=forms.DateInput(attrs={"type": "date"}), initial=date.today)


class OpinionFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "标题或反映人"}))
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部")] + list(PublicOpinion._meta.get_field("status").choices)
    )
    urgent = forms.BooleanField(label="只看急事急报", required=False)


class HeadConfirmForm(forms.Form):
    note = forms.CharField(label="确认意见（可选）", required=False, max_length=200)
