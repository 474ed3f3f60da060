from datetime import date

from django import forms

from ..enums import PerformanceAct
from ..models import Committee, Member, Sector
from ..picker import SCOPES, MemberField, MembersField
from .enums import RecommendChannel
from .models import (
    AnnualReport,
    FiveOnesRequirement,
    PlenaryDay,
    PlenaryGroup,
    ReadingGroup,
    SelectionRound,
    StudyMaterial,
    StudyReflection,
    Training,
    Visit,
)


class MaterialForm(forms.ModelForm):
    link = forms.URLField(label="原文链接", required=False, assume_scheme="https")

    class Meta:
        model = StudyMaterial
        fields = ["title", "body", "link", "group"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


class GroupForm(forms.ModelForm):
    members = MembersField(label="成员", queryset=Member.objects.active(), required=False)

    class Meta:
        model = ReadingGroup
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = StudyReflection
        fields = ["material", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["title", "held_on", "location", "description"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}), "description": forms.Textarea(attrs={"rows": 3})}


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["summary", "body"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 8}), "body": forms.Textarea(attrs={"rows": 12})}


class ReviewForm(forms.Form):
    note = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RoundForm(forms.ModelForm):
    class Meta:
        model = SelectionRound
        fields = ["year", "title", "cap_percent"]


class RecommendForm(forms.Form):
    member = MemberField(label="委员", queryset=Member.objects.none())
    channel = forms.ChoiceField(label="推荐渠道", choices=RecommendChannel.choices)
    committee = forms.ModelChoiceField(label="专委会", queryset=Committee.objects.all(), required=False)
    sector = forms.ModelChoiceField(label="界别", queryset=Sector.objects.all(), required=False)
    reason = forms.CharField(label="推荐理由", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, eligible=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = eligible if eligible is not None else Member.objects.none()


class LeaderSectorForm(forms.Form):
    leader = forms.ModelChoiceField(
        label="主席会议成员", queryset=Member.objects.active().filter(position__is_leadership=True)
    )
    sector = forms.ModelChoiceField(label="界别", queryset=Sector.objects.all())


class CpcContactForm(forms.Form):
    cpc_member = MemberField(label="中共党员委员", queryset=SCOPES["cpc"](), scope="cpc")
    non_cpc_member = MemberField(label="党外委员", queryset=SCOPES["non_cpc"](), scope="non_cpc")


class VisitForm(forms.ModelForm):
    member = MemberField(label="走访对象", queryset=Member.objects.active())

    class Meta:
        model = Visit
        fields = ["member", "visited_on", "content", "issues"]
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}),
            "content": forms.Textarea(attrs={"rows": 3}),
            "issues": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = date.today


class FiveOnesRequirementAdminForm(forms.ModelForm):
    acts = forms.MultipleChoiceField(
        label="计入的履职事项", choices=PerformanceAct.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = FiveOnesRequirement
        fields = ["name", "acts", "minimum", "order", "is_active"]


class PlenaryDayForm(forms.ModelForm):
    class Meta:
        model = PlenaryDay
        fields = ["on", "title", "is_group_discussion"]
        widgets = {"on": forms.DateInput(attrs={"type": "date"})}


class PlenaryGroupForm(forms.ModelForm):
    class Meta:
        model = PlenaryGroup
        fields = ["name", "sectors", "venue"]
        widgets = {"sectors": forms.SelectMultiple(attrs={"size": 6})}
