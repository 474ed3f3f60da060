"""Input validation for the proposal pages. Every action form carries the version it was rendered for."""

from __future__ import annotations

import uuid

from django import forms
from django.urls import reverse
from django.utils import timezone

from cppcc_portal.forms import HiddenFieldErrorsMixin, QuickSelect, QuickSelectMultiple, quick_selects
from cppcc_portal.roles import Role, is_proposer_org_user, users_with_role
from members.enums import PROPOSER_KINDS, MemberStatus, OrganizationKind
from members.models import Member, Organization, PlenarySession, User
from members.picker import MemberField, MembersField

from .enums import (
    ContactMethod,
    ConversionKind,
    Period,
    ProposalState,
    QualityRating,
    ReplyClass,
    Satisfaction,
    SupervisionKind,
)
from .files import ALLOWED_TEXT, MultipleFileField, validate_upload
from .models import NonRegistrationReason, Proposal, ProposalCategory, ProposalSettings
from .picker import ProposalPicker
from .selectors import merge_targets
from .services import LeadingName, Pick
from .workflow import candidate_assignments, period_for


def unit_choices():
    return Organization.objects.filter(
        kind__in=[OrganizationKind.HANDLING_UNIT, OrganizationKind.TOWN_STREET], is_active=True
    )


def style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            continue
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def period_notice(proposal: Proposal | None) -> str:
    """What the form says about 大会 / 平时: decided by the session's deadline, not chosen."""
    if proposal is not None:
        return f"本提案为{proposal.get_period_display()}。"
    session = PlenarySession.current()
    if session is None:
        return ""
    deadline = session.proposal_deadline
    if period_for(session, timezone.localdate()) == Period.INTERIM:
        return f"{session.name}大会提案已于{deadline:%Y年%m月%d日}截止，现在提交的提案为平时提案，单独编号。"
    if deadline is None:
        return f"本提案为{session.name}大会提案。"
    return f"本提案为{session.name}大会提案（截止日期：{deadline:%Y年%m月%d日}），截止后提交的为平时提案。"


class ProposalForm(HiddenFieldErrorsMixin, forms.Form):
    title = forms.CharField(label="案由", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    category = forms.ModelChoiceField(label="类别", queryset=ProposalCategory.objects.filter(is_active=True))
    background = forms.CharField(label="情况分析", widget=forms.Textarea(attrs={"rows": 6}))
    suggestions = forms.CharField(label="具体建议", widget=forms.Textarea(attrs={"rows": 6}))
    co_signers = MembersField(
        label="联名附议人",
        required=False,
        queryset=Member.objects.none(),
        scope="with_login",
        help_text="被邀请的委员确认或谢绝后，方可提交。输入姓名查找，勾选即加入。",
    )
    suggested_units = forms.ModelMultipleChoiceField(
        label="建议承办单位",
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    attachments = MultipleFileField(label="附件", help_text=f"{ALLOWED_TEXT}，可多选。")
    publish_consent = forms.BooleanField(
        label="同意公开",
        required=False,
        help_text="办结后在“提案办理公开”页面公开本提案及答复（各承办单位的答复也须同意公开）。",
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, proposal: Proposal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        members = Member.objects.filter(status=MemberStatus.ACTIVE, user__isnull=False).order_by("name")
        own = getattr(user, "member", None)
        if own is not None:
            members = members.exclude(pk=own.pk)
        self.fields["co_signers"].queryset = members
        self.fields["suggested_units"].queryset = unit_choices()
        self.period_notice = period_notice(proposal)
        self.organization = user.organization if is_proposer_org_user(user) else None
        if proposal is None:
            self.fields["form_token"].initial = uuid.uuid4()
            if user.has_perm("proposals.file_collective_proposal"):
                self._add_collective_fields(own_member=own is not None)
        elif proposal.is_collective:
            self.organization = proposal.proposer_org
            self._add_contact_fields()
        if self.organization is not None:
            self.collective_notice = (
                f"本提案以“{self.organization.name}”名义提出（集体提案），保存后须经单位负责人确认方可提交。"
            )
        style(self)

    def _add_contact_fields(self) -> None:
        """A collective proposal names its contact member (第一联系人) and other contacts."""
        active = Member.objects.filter(status=MemberStatus.ACTIVE).order_by("name")
        self.fields["author"] = MemberField(
            label="联系委员（第一联系人）",
            queryset=active,
            help_text="负责与提案委、承办单位联系的委员；其他联系人在下方选择。",
        )
        self.fields["co_signers"].queryset = active
        self.fields["co_signers"].widget.scope = "active"
        self.fields["co_signers"].label = "其他联系人"
        self.fields["co_signers"].help_text = "可选。输入姓名查找，勾选即加入。"
        self.order_fields(["title", "category", "background", "suggestions", "author", "co_signers"])

    def _add_collective_fields(self, *, own_member: bool) -> None:
        if self.organization is not None:  # the organisation files in its own name only
            self._add_contact_fields()
            return
        # Staff file a collective proposal for an organisation on paper; a staff member who is
        # also a member may file their own instead (no organisation chosen).
        self.fields["proposer_org"] = forms.ModelChoiceField(
            label="提案单位（集体提案）",
            queryset=Organization.objects.filter(kind__in=PROPOSER_KINDS, is_active=True).order_by("kind", "order"),
            required=not own_member,
            empty_label="（委员本人提案）" if own_member else "---------",
            help_text="党派区委、界别、专委会或人民团体。",
        )
        self._add_contact_fields()
        self.fields["author"].required = False
        self.order_fields(["proposer_org", "title", "category", "background", "suggestions", "author", "co_signers"])

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        max_mb = ProposalSettings.get().max_attachment_mb
        for upload in files:
            validate_upload(upload, max_mb=max_mb)
        return files

    def clean(self):
        data = super().clean()
        if data.get("proposer_org") and not data.get("author"):
            self.add_error("author", "集体提案须指定联系委员（第一联系人）。")
        return data


# --- action forms ------------------------------------------------------------------------------


class ActionForm(HiddenFieldErrorsMixin, forms.Form):
    """Base of every action form: the version the page was rendered for, and the assignment choice."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    needs_assignment = False

    def __init__(self, *args, proposal: Proposal, user: User, transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal, self.user, self.transition = proposal, user, transition
        self.fields["version"].initial = proposal.version
        if transition.on_assignment:
            candidates = candidate_assignments(transition, proposal, user)
            choices = [(a.pk, f"{a.unit}（{a.get_kind_display()}，{a.get_state_display()}）") for a in candidates]
            self.fields["assignment"] = forms.TypedChoiceField(
                label="承办单位", choices=choices, coerce=int, initial=choices[0][0] if choices else None
            )
            self.order_fields(["assignment"])
        self.setup()
        style(self)

    def setup(self) -> None:
        pass


class ConfirmForm(ActionForm):
    note = forms.CharField(label="说明（可选）", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteRequiredForm(ActionForm):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}))


class CosignForm(ActionForm):
    decision = forms.ChoiceField(
        label="您的决定", choices=[("confirm", "确认附议"), ("decline", "谢绝附议")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="说明（可选）", required=False)


class ReturnForm(ActionForm):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(ActionForm):
    reason = forms.ModelChoiceField(
        label="不予立案理由", queryset=NonRegistrationReason.objects.filter(is_active=True), empty_label=None
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(label="提案人同意转化", required=False)
    conversion_kind = forms.ChoiceField(label="转化为", choices=ConversionKind.choices, required=False)

    def clean(self):
        data = super().clean()
        if data.get("conversion_kind") and not data.get("consent"):
            raise forms.ValidationError("转为社情民意或委员来信须经提案人同意。")
        return data


class MergeForm(ActionForm):
    # Searched, not listed: a session holds thousands of proposals (proposals/picker.py).
    target = forms.ModelChoiceField(
        label="并入提案",
        queryset=Proposal.objects.none(),
        widget=ProposalPicker(),
        help_text="输入提案编号或案由中的词查找，选中要并入的提案。",
        error_messages={
            "required": "请选择要并入的提案。",
            "invalid_choice": "所选提案不能并入：只能并入本会次已立案的其他提案，请重新查找选择。",
        },
    )
    note = forms.CharField(label="说明（可选）", required=False)

    def setup(self) -> None:
        field = self.fields["target"]
        field.queryset = field.widget.queryset = merge_targets(self.proposal)
        field.widget.search_url = reverse("proposals:merge-targets", args=[self.proposal.pk])


class AssignForm(ActionForm):
    lead_unit = forms.ModelChoiceField(label="主办单位", queryset=Organization.objects.none(), required=False)
    co_units = forms.ModelMultipleChoiceField(
        label="会办单位",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    split_units = forms.ModelMultipleChoiceField(
        label="分办单位（各自答复）",
        queryset=Organization.objects.none(),
        required=False,
        help_text="选择分办时不填主办、会办单位。",
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    note = forms.CharField(label="交办意见（可选）", required=False)

    def setup(self) -> None:
        for name in ("lead_unit", "co_units", "split_units"):
            self.fields[name].queryset = unit_choices()
        suggested = list(self.proposal.suggested_units.all())
        if suggested and not self.proposal.assignments.all():
            self.fields["lead_unit"].initial = suggested[0].pk
            self.fields["co_units"].initial = [u.pk for u in suggested[1:]]


class DecisionForm(ActionForm):
    decision = forms.ChoiceField(
        label="审批", choices=[("approve", "同意"), ("refuse", "不同意")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="意见（可选）", required=False)


class ReasonForm(ActionForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(ActionForm):
    months = forms.TypedChoiceField(label="延期月数", choices=[(1, "1个月"), (2, "2个月"), (3, "3个月")], coerce=int)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(ActionForm):
    on = forms.DateField(label="沟通日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    method = forms.ChoiceField(label="方式", choices=ContactMethod.choices, widget=forms.RadioSelect)
    with_author = forms.BooleanField(
        label="与第一提案人沟通", required=False, initial=True, help_text="与附议人或其他人员沟通时取消勾选。"
    )
    summary = forms.CharField(label="沟通情况", widget=forms.Textarea(attrs={"rows": 3}))

    def setup(self) -> None:
        self.fields["on"].initial = timezone.localdate()


class ViewsForm(ActionForm):
    views = forms.CharField(label="会办意见", widget=forms.Textarea(attrs={"rows": 5}))


class DraftReplyForm(ActionForm):
    """经办人: the reply and the letter's entries, for the unit's 负责人 to sign off."""

    reply_class = forms.ChoiceField(label="答复类别", choices=ReplyClass.choices, widget=forms.RadioSelect)
    reply_text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 8}))
    publishable = forms.BooleanField(label="答复可以公开", required=False, initial=True)
    withhold_reason = forms.CharField(label="不公开理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    letter_number = forms.CharField(
        label="答复函文号", max_length=60, required=False, help_text="如：区教函〔2026〕15号"
    )
    letter_contact = forms.CharField(label="联系人", max_length=40, required=False)
    letter_phone = forms.CharField(label="联系电话", max_length=40, required=False)
    letter_cc = forms.CharField(
        label="抄送",
        max_length=200,
        required=False,
        help_text="留空则抄送区政协提案委员会（政府部门另抄送区政府办公室）。",
    )

    def setup(self) -> None:
        """Start from the unit's saved draft, if any."""
        candidates = candidate_assignments(self.transition, self.proposal, self.user)
        part = candidates[0] if candidates else None
        if part is None or not part.drafted_at:
            return
        self.draft = part
        for field, value in (
            ("reply_class", part.draft_class),
            ("reply_text", part.draft_text),
            ("publishable", part.draft_publishable),
            ("withhold_reason", part.draft_withhold_reason),
            ("letter_number", part.letter_number),
            ("letter_contact", part.letter_contact),
            ("letter_phone", part.letter_phone),
            ("letter_cc", part.letter_cc),
        ):
            if field in self.fields:
                self.fields[field].initial = value

    def clean(self):
        data = super().clean()
        if not data.get("publishable") and not (data.get("withhold_reason") or "").strip():
            raise forms.ValidationError("答复不公开时须说明理由。")
        return data


class ReplyForm(DraftReplyForm):
    """负责人 signs off: the draft's entries, editable, and an optional stamped scan."""

    letter = forms.FileField(label="盖章答复函扫描件（可选）", required=False, help_text=f"{ALLOWED_TEXT}")

    def clean_letter(self):
        letter = self.cleaned_data.get("letter")
        if letter:
            validate_upload(letter, max_mb=ProposalSettings.get().max_attachment_mb)
        return letter


class QualityForm(ActionForm):
    rating = forms.ChoiceField(label="提案质量", choices=QualityRating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="意见（可选）", required=False)


class KeyLeadersForm(ActionForm):
    """A key proposal's 督办 leader and its 领办 leaders (one “职务 姓名” a line)."""

    leader = forms.ModelChoiceField(label="督办领导（主席会议成员）", queryset=User.objects.none())
    leading = forms.CharField(
        label="领办领导（可选）",
        required=False,
        help_text="区委、区政府领导领办的，每行一位，先写职务、再写姓名，以空格分隔，如：副区长 王建国",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(label="说明（可选）", required=False)

    def setup(self) -> None:
        self.fields["leader"].queryset = users_with_role(Role.LEADER).order_by("name")
        self.fields["leader"].initial = self.proposal.key_leader_id
        self.fields["leading"].initial = "\n".join(f"{x.post} {x.name}" for x in self.proposal.leading_officials.all())

    def clean_leading(self) -> list[LeadingName]:
        names = []
        for line in self.cleaned_data["leading"].splitlines():
            parts = line.replace("\u3000", " ").split()
            if not parts:
                continue
            if len(parts) < 2:
                raise forms.ValidationError(f"“{line.strip()}”：请写明职务和姓名，以空格分隔。")
            names.append(LeadingName(name=parts[-1], post="".join(parts[:-1])))
        return names


class MarkExcellentForm(ActionForm):
    is_excellent = forms.BooleanField(label="评为优秀提案", required=False)
    note = forms.CharField(label="说明（可选）", required=False)

    def setup(self) -> None:
        self.fields["is_excellent"].initial = self.proposal.is_excellent or True


class SuperviseForm(ActionForm):
    kind = forms.ChoiceField(label="形式", choices=SupervisionKind.choices)
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    notes = forms.CharField(label="督办情况", widget=forms.Textarea(attrs={"rows": 4}))
    attendees = forms.CharField(label="参加人员（可选）", required=False, max_length=300)

    def setup(self) -> None:
        self.fields["on"].initial = timezone.localdate()


class EvaluateForm(ActionForm):
    """征询意见表 (the first proposer's)."""

    attitude = forms.ChoiceField(label="办理态度", choices=Satisfaction.choices, widget=forms.RadioSelect)
    satisfaction = forms.ChoiceField(label="办理结果", choices=Satisfaction.choices, widget=forms.RadioSelect)
    met_in_person = forms.TypedChoiceField(
        label="承办单位是否与您见面沟通",
        choices=[("yes", "是"), ("no", "否")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="意见和建议（含对沟通情况的评价）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyCommentForm(ActionForm):
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}))


class FilterForm(forms.Form):
    q = forms.CharField(
        label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "案由、编号或提案人"})
    )
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + ProposalState.choices)
    category = forms.ModelChoiceField(label="类别", required=False, queryset=ProposalCategory.objects.only("name"))
    session = forms.ChoiceField(label="会次", required=False)
    unit = forms.ModelChoiceField(label="承办单位", required=False, queryset=Organization.objects.none())
    key = forms.BooleanField(label="重点提案", required=False)
    excellent = forms.BooleanField(label="优秀提案", required=False)
    overdue = forms.BooleanField(label="已逾期", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        sessions = list(PlenarySession.objects.only("short_name", "is_current"))
        self.fields["session"].choices = [("", "全部")] + [(s.pk, s.short_name) for s in sessions]
        # The list's export names the current session: read here with the others, not again.
        self.current_session = next((s for s in sessions if s.is_current), None)
        self.fields["unit"].queryset = unit_choices().only("name")
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            else:
                field.widget.attrs["class"] = (
                    "form-select form-select-sm"
                    if isinstance(field.widget, forms.Select)
                    else "form-control form-control-sm"
                )
        quick_selects(self)


# --- the 大会 week in bulk ---------------------------------------------------------------------


class PicksField(forms.MultipleChoiceField):
    """Ticked proposals as ``<pk>:<version>``; any well-formed pick is accepted here and the
    service reports, per proposal, whether it could be done (it may have moved meanwhile)."""

    default_error_messages = {"invalid_choice": "所选提案信息有误，请刷新页面后重新勾选。"}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "所选提案")
        kwargs.setdefault("error_messages", {"required": "请至少勾选一件提案。"})
        super().__init__(**kwargs)

    def valid_value(self, value) -> bool:
        pk, _, version = str(value).partition(":")
        return pk.isdigit() and version.isdigit() and len(pk) < 12 and len(version) < 10

    def clean(self, value):
        values = super().clean(value)
        return [Pick(int(v.partition(":")[0]), int(v.partition(":")[2])) for v in values]


class BulkRegisterForm(forms.Form):
    picks = PicksField()
    note = forms.CharField(label="立案意见（可选）", required=False, max_length=500)


class BulkAssignForm(forms.Form):
    picks = PicksField()
    lead_unit = forms.ModelChoiceField(label="主办单位", queryset=Organization.objects.none(), required=False)
    co_units = forms.ModelMultipleChoiceField(
        label="会办单位",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    split_units = forms.ModelMultipleChoiceField(
        label="分办单位（各自答复）",
        queryset=Organization.objects.none(),
        required=False,
        help_text="选择分办时不填主办、会办单位。",
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    note = forms.CharField(label="交办意见（可选）", required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "co_units", "split_units"):
            self.fields[name].queryset = unit_choices()
        style(self)
        # Three lists of every unit: drawn from one read of the units, each written in Python
        # (Django's per-option template, three times over, cost more than the rest of the page).
        units = [(unit.pk, str(unit)) for unit in unit_choices().only("name")]
        self.fields["lead_unit"].widget.__class__ = QuickSelect
        self.fields["lead_unit"].widget.choices = [("", self.fields["lead_unit"].empty_label), *units]
        for name in ("co_units", "split_units"):
            self.fields[name].widget.__class__ = QuickSelectMultiple
            self.fields[name].widget.choices = units

    def clean(self):
        data = super().clean()
        if not (data.get("lead_unit") or data.get("co_units") or data.get("split_units")):
            raise forms.ValidationError("请选择承办单位。")
        return data


class DocumentsForm(forms.Form):
    session = forms.ModelChoiceField(label="会次", queryset=None, required=False, empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["session"].queryset = PlenarySession.objects.select_related("term").order_by("-year", "-id")
        style(self)
