"""The forms of the 重点提案遴选 pages: open a round, nominate and drop candidates, the 主席会议's decision."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cppcc_portal.forms import HiddenFieldErrorsMixin
from members.models import PlenarySession

from .forms import style
from .models import KeySelection, Proposal


class KeySelectionOpenForm(forms.Form):
    session = forms.ModelChoiceField(label="会次", queryset=PlenarySession.objects.none(), empty_label=None)
    title = forms.CharField(
        label="名称（可选）", required=False, max_length=100, help_text="默认为“某会次重点提案遴选”。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = PlenarySession.objects.select_related("term").order_by("-year", "-id")
        self.fields["session"].initial = getattr(PlenarySession.current(), "pk", None)
        style(self)


class RoundForm(HiddenFieldErrorsMixin, forms.Form):
    """A form on one round's page: carries the round's version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, selection: KeySelection, **kwargs):
        super().__init__(*args, **kwargs)
        self.selection = selection
        self.fields["version"].initial = selection.version
        self.setup()
        style(self)

    def setup(self) -> None:
        pass


class NominateForm(RoundForm):
    proposals = forms.ModelMultipleChoiceField(
        label="推荐为候选的提案",
        queryset=Proposal.objects.none(),
        help_text="本会次已立案、尚未列为重点提案或候选的提案。按住 Ctrl 多选。",
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    reason = forms.CharField(label="推荐理由（可选）", required=False, max_length=200)

    def __init__(self, *args, nominable, **kwargs):
        self.nominable = nominable
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        field = self.fields["proposals"]
        field.queryset = self.nominable
        field.label_from_instance = lambda p: f"{p.number}　{p.title}"


class DropForm(RoundForm):
    proposal = forms.ModelChoiceField(queryset=Proposal.objects.all(), widget=forms.HiddenInput)


class DecideForm(RoundForm):
    meeting_on = forms.DateField(
        label="主席会议日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    chosen = forms.ModelMultipleChoiceField(
        label="主席会议确定的重点提案",
        queryset=Proposal.objects.none(),
        required=False,
        help_text="未勾选的候选提案不列为重点提案。",
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label="会议意见（可选）", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self) -> None:
        field = self.fields["chosen"]
        field.queryset = Proposal.objects.filter(key_candidacies__selection=self.selection).order_by("sequence", "pk")
        field.label_from_instance = lambda p: f"{p.number}　{p.title}"
        field.initial = list(field.queryset.values_list("pk", flat=True))
        self.fields["meeting_on"].initial = timezone.localdate()
