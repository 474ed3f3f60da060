from django import forms
from django.core.validators import FileExtensionValidator
from django.db.models import Count, Q

from cppcc_portal import uploads
from cppcc_portal.forms import quick_selects
from cppcc_portal.hooks import get_hooks

from . import selectors
from .enums import MemberStatus
from .models import Member, User

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# What the .xlsx (a ZIP) may unpack to: a 5MB file of ordinary rows stays far below this.
MAX_IMPORT_UNPACKED_BYTES = 50 * 1024 * 1024


class MemberFilterForm(forms.Form):
    """The registry's filters (``selectors.member_directory`` reads the GET values itself); the
    choices of the five small tables come in one query (``selectors.filter_choices``)."""

    q = forms.CharField(label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "姓名或工作单位"}))
    sector = forms.ChoiceField(label="界别", required=False)
    committee = forms.ChoiceField(label="专委会", required=False)
    party = forms.ChoiceField(label="党派", required=False)
    position = forms.ChoiceField(label="职务", required=False)
    term = forms.ChoiceField(label="届次", required=False)
    status = forms.ChoiceField(label="状态", choices=[("", "全部")] + MemberStatus.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for param, choices in selectors.filter_choices().items():
            self.fields[param].choices = [("", "---------"), *choices]
        for fn in get_hooks("member_filters"):
            for param, label, choices, _lookup in fn():
                self.fields[param] = forms.ChoiceField(
                    label=label, choices=[("", "全部")] + list(choices), required=False
                )
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm",
            )
        quick_selects(self)


class MemberContactForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["mobile", "office_phone", "email", "address"]


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label="委员名册（.xlsx）",
        validators=[FileExtensionValidator(["xlsx"], "请上传 .xlsx 格式的 Excel 文件。")],
        help_text="列：姓名、性别、民族、出生日期、党派、界别、工作单位及职务、手机、专委会、职务。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("文件超过 5MB，请分批导入。")
        try:
            uploads.check_zip(upload, max_unpacked=MAX_IMPORT_UNPACKED_BYTES)
        except uploads.UnsafeArchive as error:
            raise forms.ValidationError(f"{error}，请上传正常的 Excel（.xlsx）委员名册。") from error
        return upload


class NotificationPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "email_mode", "sms_enabled"]
        labels = {"email": "接收通知的电子邮箱"}
        help_texts = {
            "email_mode": "期限提醒和逾期通知总是立即发送，不受此项影响。",
            "sms_enabled": "期限提醒和逾期通知同时发短信到您的手机。晚 21:00 至早 8:00 不发邮件和短信。",
        }


class MemberGroupsForm(forms.Form):
    """Pick groups of members (界别, 专委会, 活动组, 常委, 联络站, the whole term): the picker behind
    invitations and notices by group. ``members()`` is everyone in them, each once.

    Used with ``members/_group_picker.html`` (GET, to a preview) and ``members/_group_preview.html``
    (the people, each removable, and the count)."""

    groups = forms.MultipleChoiceField(
        label="邀请对象",
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 12, "class": "form-select"}),
        help_text="可多选（按住 Ctrl 或 ⌘）；同一委员只计一次。",
        error_messages={"required": "请至少选择一个群体。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = selectors.member_group_kinds()
        self.fields["groups"].choices = selectors.member_group_choices(self.kinds)

    def members(self):
        return selectors.members_in_groups(self.cleaned_data["groups"], self.kinds)

    def labels(self) -> list[str]:
        """The chosen groups' names, from the choices already read (no second look-up)."""
        names = {key: label for _kind, options in self.fields["groups"].choices for key, label in options}
        return [names[key] for key in self.cleaned_data["groups"] if key in names]


# A preview lists at most this many people (each removable); a longer one also posts its groups back,
# and everyone in them but the people unticked is sent (``PickedMembersForm``).
PREVIEW_LIMIT = 100


class PickedMembersField(forms.ModelMultipleChoiceField):
    """The people kept on a preview (``members/_group_preview.html`` posts ``member`` ids)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "委员")
        kwargs.setdefault("error_messages", {"required": EMPTY_PICK})
        super().__init__(
            queryset=Member.objects.active().select_related("user"), widget=forms.MultipleHiddenInput, **kwargs
        )


EMPTY_PICK = "名单为空：请至少保留一名委员。"


class PickedMembersForm(forms.Form):
    """The people to send to: the ticked ``member`` ids; for a preview too long to list whole, the
    ``groups`` posted back name everyone, less those listed (``shown``) but unticked."""

    member = PickedMembersField(required=False)
    groups = forms.MultipleChoiceField(required=False, choices=())
    shown = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = None
        if self.data.get("groups"):
            self.kinds = selectors.member_group_kinds()
            self.fields["groups"].choices = selectors.member_group_choices(self.kinds)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("groups"):
            shown = {int(pk) for pk in (data.get("shown") or "").split(",") if pk.strip().isdigit()}
            removed = shown - {member.pk for member in data["member"]}
            everyone = selectors.members_in_groups(data["groups"], self.kinds)
            data["member"] = list(everyone.exclude(pk__in=removed))
        if not data.get("member"):
            self.add_error("member", EMPTY_PICK)
        return data


def group_preview(params, *, exclude=None, form_class=MemberGroupsForm) -> tuple[MemberGroupsForm, dict]:
    """The picker bound to ``params`` (a QueryDict with ``groups``), and, once valid, the context
    ``members/_group_preview.html`` shows: the first ``PREVIEW_LIMIT`` people not in ``exclude``
    (member ids; name and 界别 only), how many there are in all, the groups' names and how many
    were left out as already there. Two queries whatever the groups' size."""
    form = form_class(params if "groups" in params else None)
    if not (form.is_bound and form.is_valid()):
        return form, {}
    everyone = form.members()
    people = everyone.exclude(pk__in=exclude) if exclude is not None else everyone
    shown = list(
        people.select_related(None)
        .select_related("sector")
        .only("pk", "name", "user_id", "sector__name")[:PREVIEW_LIMIT]
    )
    counts = everyone.order_by().aggregate(
        everyone=Count("pk"), new=Count("pk", filter=~Q(pk__in=exclude)) if exclude is not None else Count("pk")
    )
    return form, {
        "preview_members": shown,
        "preview_total": counts["new"],
        "preview_more": counts["new"] - len(shown),
        "preview_groups": form.cleaned_data["groups"],
        "preview_shown": ",".join(str(member.pk) for member in shown),
        "preview_labels": form.labels(),
        "preview_skipped": counts["everyone"] - counts["new"],
    }
