"""Input validation for the supervision pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cppcc_portal.photos import ALLOWED_TEXT, MAX_PHOTO_BYTES, MAX_PHOTOS, MultiplePhotoField

from ..forms import DateInput, ProposalLinkForm, units, validate_upload
from ..models import Session, SupervisionForm, SupervisionTopic, SupervisorAppointment
from .enums import Stage, TaskKind
from .models import SupervisionItem
from .workflow import UNIT_RECORD_KINDS, kinds_for, moves_from


class ItemForm(forms.ModelForm):
    class Meta:
        model = SupervisionItem
        fields = ["topic", "form", "title", "description", "departments"]
        widgets = {
            "departments": forms.SelectMultiple(attrs={"size": 6}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = SupervisionTopic.objects.filter(plan__year=year)
        self.fields["form"].queryset = SupervisionForm.objects.filter(is_active=True)
        self.fields["departments"].queryset = units()


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label="记录类型")
    title = forms.CharField(label="标题", max_length=200)
    happened_on = forms.DateField(label="日期", widget=DateInput())
    text = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    organization = forms.ModelChoiceField(label="部门", queryset=units(), required=False)
    file = forms.FileField(label="附件", required=False, validators=[validate_upload])

    def __init__(self, *args, stage: str, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [kind for kind in kinds_for(stage) if staff or kind in UNIT_RECORD_KINDS]
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        self.fields["organization"].queryset = units()
        self.initial.setdefault("happened_on", timezone.localdate())
        if not staff:
            del self.fields["organization"]

    @property
    def has_kinds(self) -> bool:
        return bool(self.fields["kind"].choices)


class MoveForm(forms.Form):
    to = forms.ChoiceField(label="转入环节", choices=Stage.choices)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, stage: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if stage is not None:
            self.fields["to"].choices = [(s.value, s.label) for s in moves_from(stage)]


class ItemProposalsForm(ProposalLinkForm):
    """提案监督: the proposals supervised, by number or 案由, one a line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].label = "监督的提案"
        self.fields["lines"].help_text = "每行填写一件已立案提案的编号或案由（关键词）。"

    @classmethod
    def for_item(cls, item, data=None):
        numbers = [p.number or p.title for p in item.proposals.all()]
        return cls(data, prefix="p", initial={"lines": "\n".join(numbers)})


class ItemSessionsForm(forms.Form):
    sessions = forms.ModelMultipleChoiceField(
        label="关联会议",
        queryset=Session.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, item: SupervisionItem, **kwargs):
        super().__init__(*args, **kwargs)
        # The sessions of the plan's year and the one before: a year's list, not the whole archive.
        self.fields["sessions"].queryset = Session.objects.filter(starts_at__year__gte=item.plan.year - 1).order_by(
            "-starts_at"
        )
        self.initial.setdefault("sessions", [s.pk for s in item.sessions.all()])


class QuestionForm(forms.Form):
    session = forms.ModelChoiceField(label="问政会议", queryset=Session.objects.none())
    organization = forms.ModelChoiceField(label="被问部门", queryset=units())
    text = forms.CharField(label="问题", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, item: SupervisionItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = item.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at")
        self.fields["organization"].queryset = item.departments.all()


class SessionAnswerForm(forms.Form):
    answered_by_name = forms.CharField(label="答复人（部门负责同志）", max_length=60)
    text = forms.CharField(label="现场答复要点", widget=forms.Textarea(attrs={"rows": 3}))


class WrittenAnswerForm(forms.Form):
    answered_by_name = forms.CharField(label="签发人", max_length=60, required=False)
    text = forms.CharField(label="书面答复", widget=forms.Textarea(attrs={"rows": 5}))


class TaskForm(forms.Form):
    appointment = forms.ModelChoiceField(label="特邀监督员", queryset=SupervisorAppointment.objects.none())
    kind = forms.ChoiceField(label="任务类型", choices=TaskKind.choices)
    title = forms.CharField(label="任务", max_length=200)
    brief = forms.CharField(label="任务说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    organization = forms.ModelChoiceField(
        label="被监督部门", queryset=units(), required=False, help_text="留空则为监督员受聘的部门。"
    )
    item = forms.ModelChoiceField(label="所属监督事项", queryset=SupervisionItem.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["appointment"].queryset = SupervisorAppointment.objects.filter(
            starts_on__lte=today, ends_on__gte=today
        ).select_related("member", "organization")
        self.fields["organization"].queryset = units()
        self.fields["item"].queryset = SupervisionItem.objects.filter(plan__year=today.year)


class TaskReportForm(forms.Form):
    text = forms.CharField(label="监督报告", widget=forms.Textarea(attrs={"rows": 6}))
    suggestions = forms.CharField(label="意见建议", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultiplePhotoField(
        label="现场照片",
        help_text=f"仅限 {ALLOWED_TEXT} 图片，每张不超过 {MAX_PHOTO_BYTES // (1024 * 1024)}MB，最多 {MAX_PHOTOS} 张。",
    )


class ForwardForm(forms.Form):
    note = forms.CharField(label="转办意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TaskFeedbackForm(forms.Form):
    text = forms.CharField(label="整改落实情况", widget=forms.Textarea(attrs={"rows": 4}))
