from django import forms
from django.core.validators import FileExtensionValidator

from cppcc_portal import uploads
from cppcc_portal.forms import quick_selects
from cppcc_portal.hooks import get_hooks

from .enums import MemberStatus
from .models import Committee, Member, Party, Position, Sector, Term, User

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# What the .xlsx (a ZIP) may unpack to: a 5MB file of ordinary rows stays far below this.
MAX_IMPORT_UNPACKED_BYTES = 50 * 1024 * 1024


class MemberFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "姓名或工作单位"}))
    sector = forms.ModelChoiceField(label="界别", queryset=Sector.objects.all(), required=False)
    committee = forms.ModelChoiceField(label="专委会", queryset=Committee.objects.all(), required=False)
    party = forms.ModelChoiceField(label="党派", queryset=Party.objects.all(), required=False)
    position = forms.ModelChoiceField(label="职务", queryset=Position.objects.all(), required=False)
    term = forms.ModelChoiceField(label="届次", queryset=Term.objects.all(), required=False)
    status = forms.ChoiceField(label="状态", choices=[("", "全部")] + MemberStatus.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
