from __future__ import annotations

from datetime import date

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from cppcc_portal.forms import HiddenFieldErrorsMixin, form_token_field
from cppcc_portal.roles import is_proposer_org_user
from liaison_stations.selectors import activities_of_member, stations_headed_by, stations_of_member
from members.enums import HANDLING_KINDS, MemberStatus, OrganizationKind
from members.models import Member, Organization
from members.picker import MemberField

from .enums import HigherLevel, InstructionLevel, IssueKind, MicroKind, MicroStatus, OpinionChannel
from .models import MicroSuggestion, PublicOpinion


class OpinionForm(HiddenFieldErrorsMixin, forms.ModelForm):
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
    form_token = form_token_field()

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
            self.fields["author"] = MemberField(
                label="联系委员",
                queryset=Member.objects.filter(status=MemberStatus.ACTIVE).order_by("name"),
                help_text=f"以“{self.organization.name}”名义报送；研究室与该委员联系。",
            )
            return
        self.fields["station"].queryset = stations_headed_by(user)
        if not self.fields["station"].queryset.exists():
            del self.fields["station"]
        self.fields["activity"].queryset = activities_of_member(user.member)
        self.order_fields(["title", "situation", "suggestion", "urgent", "activity", "station", "form_token"])


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


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(label="报送渠道", choices=OpinionChannel.choices)


class HigherAdoptionForm(forms.Form):
    level = forms.ChoiceField(label="采用单位", choices=HigherLevel.choices)
    adopted_on = forms.DateField(label="采用日期", widget=forms.DateInput(attrs={"type": "date"}), initial=date.today)
    note = forms.CharField(
        label="刊发情况", max_length=200, required=False, help_text="如：《市政协社情民意》2026年第12期"
    )


# Whom an issue usually goes to; staff may add others by name.
ISSUE_RECIPIENTS = (
    "区委办公室",
    "区政府办公室",
    "区委主要领导",
    "区政府主要领导",
    "区政协主席、副主席",
    "市政协研究室（信息处）",
    "全国政协办公厅信息局",
)


class IssueForm(forms.Form):
    kind = forms.ChoiceField(label="刊物", choices=IssueKind.choices)
    compiled_on = forms.DateField(label="编发日期", widget=forms.DateInput(attrs={"type": "date"}), initial=date.today)
    opinions = forms.ModelMultipleChoiceField(
        label="收录社情民意",
        queryset=PublicOpinion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="只列出已采用、尚未编入刊物的社情民意。",
    )
    editor_note = forms.CharField(label="编者按", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, opinions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinions"].queryset = opinions

    def opinion_boxes(self) -> SafeString:
        """The tick boxes of every report that may be carried, in crispy's markup: built from
        (id, title) pairs, as a per-option template (crispy's) costs ~0.3 ms a report and the
        office may have hundreds waiting."""
        field = self["opinions"]
        ticked = {str(value) for value in field.value() or []}
        invalid = " is-invalid" if field.errors else ""
        choices = self.fields["opinions"].queryset.values_list("pk", "title")
        return format_html_join(
            "",
            '<div class="form-check"><input type="checkbox" class="form-check-input{}" name="{}" value="{}"'
            ' id="{}_{}"{}> <label for="{}_{}" class="form-check-label">{}</label></div>',
            (
                (invalid, field.html_name, pk, field.auto_id, index, " checked" if str(pk) in ticked else "")
                + (field.auto_id, index, title)
                for index, (pk, title) in enumerate(choices)
            ),
        )


class IssueSendForm(forms.Form):
    recipients = forms.MultipleChoiceField(
        label="报送对象",
        required=False,
        choices=[(name, name) for name in ISSUE_RECIPIENTS],
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.CharField(label="其他报送对象", required=False, help_text="多个以顿号或逗号分隔")
    sent_on = forms.DateField(label="报送日期", widget=forms.DateInput(attrs={"type": "date"}), initial=date.today)

    def recipient_names(self) -> list[str]:
        others = self.cleaned_data["others"].replace("，", "、").replace(",", "、").split("、")
        return [*self.cleaned_data["recipients"], *(name.strip() for name in others if name.strip())]


class MicroForm(HiddenFieldErrorsMixin, forms.ModelForm):
    station = forms.ModelChoiceField(label="经联络站提出", queryset=None, required=False, empty_label="（以本人名义）")
    form_token = form_token_field()

    class Meta:
        model = MicroSuggestion
        fields = ["kind", "title", "place", "problem", "suggestion", "unit", "station"]
        widgets = {"problem": forms.Textarea(attrs={"rows": 4}), "suggestion": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"title": "一句话说清问题", "unit": "负责解决这个问题的区级部门或镇街"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget = forms.RadioSelect(choices=MicroKind.choices)
        self.fields["unit"].queryset = Organization.objects.filter(kind__in=HANDLING_KINDS, is_active=True).order_by(
            "kind", "name"
        )
        self.fields["station"].queryset = stations_of_member(user)
        if not self.fields["station"].queryset.exists():
            del self.fields["station"]


class MicroAnswerForm(forms.Form):
    answer = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 5}))


class MicroRaiseForm(forms.Form):
    target = forms.ChoiceField(
        label="转为",
        choices=[("opinion", "社情民意信息（以委员名义报送研究室）"), ("proposal", "提案草稿（委员完善后提交）")],
        widget=forms.RadioSelect,
    )
    category = forms.ModelChoiceField(
        label="提案类别（转为提案时）", queryset=None, required=False, empty_label="（请选择）"
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class MicroFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "标题或委员"}))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *MicroStatus.choices])
    overdue = forms.BooleanField(label="只看逾期", required=False)


class HeadConfirmForm(forms.Form):
    note = forms.CharField(label="确认意见（可选）", required=False, max_length=200)
