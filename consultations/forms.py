"""Input validation for the consultation pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cppcc_portal import uploads
from cppcc_portal.forms import HiddenFieldErrorsMixin
from members.enums import OrganizationKind
from members.forms import MemberGroupsForm, PickedMembersForm
from members.models import Member, Organization
from members.picker import MemberField, MembersField
from proposals import selectors as proposal_selectors

from .enums import Adoption, InvitationKind, ParticipantIdentity, RsvpStatus, SessionKind
from .models import (
    ConsultationForm,
    Inspection,
    Instruction,
    OnlineTopic,
    Outcome,
    ResearchProject,
    Session,
    SupervisionForm,
    SupervisionTopic,
    SupervisorAppointment,
    Topic,
)

MAX_UPLOAD = 20 * 1024 * 1024
# Accepted by content, not by name: PDF, Word/Excel/PowerPoint, images.
ALLOWED = (
    uploads.PDF,
    uploads.DOC,
    uploads.XLS,
    uploads.PPT,
    uploads.DOCX,
    uploads.XLSX,
    uploads.PPTX,
    *uploads.IMAGES.values(),
)


def validate_upload(file) -> None:
    """A real PDF, Office document or image under 20MB, renamed after what it really is."""
    if file.size > MAX_UPLOAD:
        raise forms.ValidationError("文件不能超过 20MB。")
    kind = uploads.detect(file)
    if kind not in ALLOWED:
        raise forms.ValidationError("只接受 PDF、Word/Excel/PowerPoint 文档或图片文件。")
    file.name = uploads.named_as(file.name, kind)


def active_members():
    return Member.objects.active().select_related("position").order_by("position__rank", "name")


PICK_HELP = "输入姓名查找，勾选即加入。"


def units():
    return Organization.objects.filter(
        is_active=True, kind__in=[OrganizationKind.HANDLING_UNIT, OrganizationKind.TOWN_STREET]
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = [
            "title",
            "form",
            "source",
            "source_note",
            "lead_committee",
            "planned_quarter",
            "departments",
            "description",
            "order",
        ]
        widgets = {
            "departments": forms.SelectMultiple(attrs={"size": 8}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = ConsultationForm.objects.filter(is_active=True)
        self.fields["departments"].queryset = units()


class ResearchForm(forms.ModelForm):
    class Meta:
        model = ResearchProject
        fields = ["topic", "title", "committees", "lead", "team", "starts_on", "ends_on", "schedule"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "committees": forms.CheckboxSelectMultiple,
            "schedule": forms.Textarea(attrs={"rows": 4}),
        }
        # Searched by name (members:pick), never a <select> of every member.
        field_classes = {"lead": MemberField, "team": MembersField}
        help_texts = {"lead": PICK_HELP, "team": PICK_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = Member.objects.active()
        self.fields["team"].queryset = Member.objects.active()
        self.fields["topic"].queryset = Topic.objects.select_related("plan").order_by("-plan__year", "planned_quarter")


class FieldVisitForm(forms.Form):
    visited_on = forms.DateField(label="日期", widget=DateInput())
    place = forms.CharField(label="地点/单位", max_length=200)
    note = forms.CharField(label="情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ResearchReportForm(forms.Form):
    summary = forms.CharField(label="调研报告摘要", widget=forms.Textarea(attrs={"rows": 5}))
    completed_on = forms.DateField(label="报告完成日期", widget=DateInput(), initial=timezone.localdate)
    report_file = forms.FileField(label="调研报告附件", required=False, validators=[validate_upload])


class SessionForm(forms.ModelForm):
    meeting_url = forms.URLField(
        label="视频会议链接", max_length=500, required=False, assume_scheme="https", help_text="远程协商时必填"
    )

    class Meta:
        model = Session
        fields = [
            "topic",
            "kind",
            "plenary",
            "form",
            "title",
            "starts_at",
            "ends_at",
            "venue",
            "organiser",
            "committees",
            "organiser_note",
            "is_public",
            "is_online",
            "meeting_url",
            "description",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "committees": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = ConsultationForm.objects.filter(is_active=True)
        self.fields["topic"].queryset = Topic.objects.select_related("plan").order_by("-plan__year", "planned_quarter")
        self.fields["kind"].required = False  # left out: a consultation session

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or SessionKind.CONSULTATION

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "结束时间必须晚于开始时间。")
        if data.get("is_online") and not data.get("meeting_url"):
            self.add_error("meeting_url", "远程协商须填写视频会议链接。")
        if data.get("kind") == SessionKind.PLENARY and not data.get("plenary"):
            self.add_error("plenary", "全体会议请选择所属大会（会次）。")
        elif data.get("kind") != SessionKind.PLENARY and data.get("plenary"):
            self.add_error("plenary", "只有全体会议需要选择所属大会，请清空此项或将类别改为全体会议。")
        return data


class ProposalLinkForm(forms.Form):
    """提案办理协商会: the proposals taken up, by number or 案由, one a line."""

    lines = forms.CharField(
        label="关联提案（提案办理协商会）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "二届五次会议第0001号\n关于加强社区图书室建设的建议"}),
        help_text="每行填写一件已立案提案的编号或案由（关键词）。关联后自动邀请第一提案人和承办单位，纪要录入后记入提案办理过程。",
    )

    @classmethod
    def for_session(cls, session, data=None):
        numbers = [p.number or p.title for p in session.proposals.order_by("sequence", "pk")]
        return cls(data, prefix="p", initial={"lines": "\n".join(numbers)})

    def clean_lines(self) -> list[int]:
        picked: list[int] = []
        for line in self.cleaned_data["lines"].splitlines():
            term = line.strip()[:200]
            if not term:
                continue
            found = proposal_selectors.proposals_matching(term)
            if not found:
                raise forms.ValidationError(f"未找到编号或案由为「{term}」的提案。")
            if len(found) > 1:
                titles = "；".join(f"{p.number or '未编号'} {p.title}" for p in found[:3])
                raise forms.ValidationError(f"「{term}」对应多件提案（{titles}），请填写提案编号。")
            if found[0].pk not in picked:
                picked.append(found[0].pk)
        return picked


class SessionInviteForm(forms.Form):
    """Units invited to send an official; members are invited by group (``GroupInviteForm``)."""

    units = forms.ModelMultipleChoiceField(
        label="邀请列席的部门",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units()


class GroupInviteForm(MemberGroupsForm):
    """Step 1 (GET): the groups to invite and how; step 2 shows who that is."""

    kind = forms.ChoiceField(
        label="参加方式", choices=InvitationKind.choices, initial=InvitationKind.REQUIRED, widget=forms.RadioSelect
    )


class InviteMembersForm(PickedMembersForm):
    """Step 2 (POST): the people kept on the preview, and how they are invited."""

    kind = forms.ChoiceField(choices=InvitationKind.choices)


class OutsiderForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=40, required=False)
    identity = forms.ChoiceField(label="身份", choices=[("", "—")] + ParticipantIdentity.choices, required=False)
    affiliation = forms.CharField(label="单位/学校", max_length=100, required=False)
    contact = forms.CharField(label="联系方式", max_length=60, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("identity"):
            self.add_error("identity", "请选择身份。")
        if data.get("identity") and not data.get("name"):
            self.add_error("name", "请填写姓名。")
        return data


OutsiderFormSet = forms.formset_factory(OutsiderForm, extra=3)


class OfficialForm(forms.Form):
    organization = forms.ModelChoiceField(label="单位", queryset=Organization.objects.none())
    name = forms.CharField(label="姓名", max_length=40, required=False)
    title = forms.CharField(label="职务", max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units()


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label="回复",
        choices=[(RsvpStatus.ATTENDING, "参加"), (RsvpStatus.LEAVE_REQUESTED, "请假"), (RsvpStatus.DECLINED, "不参加")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="请假事由", max_length=200, required=False)

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["answer"].choices = [c for c in self.fields["answer"].choices if c[0] in allowed]

    def clean(self):
        data = super().clean()
        if data.get("answer") == RsvpStatus.LEAVE_REQUESTED and not data.get("reason", "").strip():
            self.add_error("reason", "请假须填写事由。")
        return data


class LeaveDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "批准"), ("refuse", "不批准")])
    note = forms.CharField(label="意见", max_length=200, required=False)


class MaterialForm(forms.Form):
    title = forms.CharField(label="材料名称", max_length=200)
    file = forms.FileField(label="文件", validators=[validate_upload])


class SpeechForm(forms.Form):
    title = forms.CharField(label="发言题目", max_length=200)
    text = forms.CharField(label="发言内容", widget=forms.Textarea(attrs={"rows": 8}))


class SpeakerForm(forms.Form):
    member = MemberField(label="发言委员", queryset=Member.objects.none())
    title = forms.CharField(label="发言题目", max_length=200, required=False)

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = active_members()


class MinutesForm(forms.Form):
    text = forms.CharField(label="纪要内容", widget=forms.Textarea(attrs={"rows": 10}), required=False)
    file = forms.FileField(label="纪要附件", required=False, validators=[validate_upload])


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["kind", "title", "topic", "session", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}


class SuggestionForm(forms.Form):
    text = forms.CharField(label="建议内容", widget=forms.Textarea(attrs={"rows": 3}))
    departments = forms.ModelMultipleChoiceField(
        label="责任部门",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = units()


class DeliveryForm(forms.Form):
    body = forms.CharField(label="报送对象", max_length=100, help_text="如：区委、区政府")
    sent_on = forms.DateField(label="报送日期", widget=DateInput(), initial=timezone.localdate)


class InstructionForm(forms.ModelForm):
    class Meta:
        model = Instruction
        fields = ["leader_name", "level", "instructed_on", "text"]
        widgets = {"instructed_on": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}


class AdoptionForm(HiddenFieldErrorsMixin, forms.Form):
    suggestion = forms.IntegerField(widget=forms.HiddenInput)
    organization = forms.ModelChoiceField(label="部门", queryset=Organization.objects.none())
    adoption = forms.ChoiceField(label="采纳情况", choices=Adoption.choices)
    text = forms.CharField(label="落实情况", widget=forms.Textarea(attrs={"rows": 2}))
    replied_on = forms.DateField(label="反馈日期", widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units()


class SupervisionTopicForm(forms.ModelForm):
    class Meta:
        model = SupervisionTopic
        fields = ["title", "is_key", "form", "lead_committee", "planned_quarter", "departments", "description"]
        widgets = {
            "departments": forms.SelectMultiple(attrs={"size": 6}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = SupervisionForm.objects.filter(is_active=True)
        self.fields["departments"].queryset = units()


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = [
            "topic",
            "title",
            "committees",
            "inspected_on",
            "place",
            "departments",
            "participants",
            "findings",
            "suggestions",
        ]
        widgets = {
            "inspected_on": DateInput(),
            "departments": forms.SelectMultiple(attrs={"size": 6}),
            "committees": forms.CheckboxSelectMultiple,
            "findings": forms.Textarea(attrs={"rows": 4}),
            "suggestions": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"participants": MembersField}
        help_texts = {"participants": PICK_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = units()
        self.fields["participants"].queryset = Member.objects.active()
        self.fields["topic"].queryset = SupervisionTopic.objects.select_related("plan")


class InspectionFeedbackForm(forms.Form):
    text = forms.CharField(label="部门反馈", widget=forms.Textarea(attrs={"rows": 4}))
    on = forms.DateField(label="反馈日期", widget=DateInput(), initial=timezone.localdate)


class AppointmentForm(forms.ModelForm):
    class Meta:
        model = SupervisorAppointment
        fields = ["member", "name", "organization", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        field_classes = {"member": MemberField}
        help_texts = {"member": "委员任特邀监督员时输入姓名查找并勾选；非委员请填写下方姓名。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.active()
        self.fields["organization"].queryset = units()

    def clean(self):
        data = super().clean()
        if not data.get("member") and not (data.get("name") or "").strip():
            self.add_error("member", "请选择委员，或填写非委员特邀监督员的姓名。")
        return data


class OnlineTopicForm(forms.ModelForm):
    """Open (or edit) a 网络议政 topic; members are picked as for a session's invitation."""

    class Meta:
        model = OnlineTopic
        fields = ["title", "topic", "background", "attachment", "opens_at", "closes_at", "is_public", "members"]
        widgets = {
            "background": forms.Textarea(attrs={"rows": 6}),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
        }
        field_classes = {"members": MembersField}
        help_texts = {"members": PICK_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Member.objects.active()
        self.fields["topic"].queryset = Topic.objects.select_related("plan").order_by("-plan__year", "planned_quarter")
        self.fields["attachment"].validators.append(validate_upload)

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "截止时间必须晚于开始时间。")
        return data


class OnlinePostForm(HiddenFieldErrorsMixin, forms.Form):
    """A member's opinion, or a reply (``parent``) to one."""

    text = forms.CharField(label="我的意见", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PublicCommentForm(forms.Form):
    name = forms.CharField(label="称呼", max_length=40, required=False, help_text="可填写姓氏或网名，不填显示为“网友”")
    text = forms.CharField(
        label="留言内容",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="留言经工作人员审核后显示。",
    )


INVITATION_KINDS = InvitationKind
