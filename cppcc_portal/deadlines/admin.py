"""Admin for the ladders (policies and escalation steps) and the notice ledger."""

from django import forms
from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from cppcc_portal.deadlines.models import DeadlinePolicy, EscalationStep, NoticeLedger

from .registry import RELATION_LABELS, all_sources, get_source


def relation_choices() -> list[tuple[str, str]]:
    labels = dict(RELATION_LABELS)
    for source in all_sources():
        labels.update(source.relations)
    return sorted(labels.items())


class RelationsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=relation_choices, required=False, **kwargs)


class EscalationStepForm(forms.ModelForm):
    recipients = RelationsField(label="通知对象")

    class Meta:
        model = EscalationStep
        fields = ["level", "after_days", "recipients", "label"]


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    form = EscalationStepForm
    extra = 0


class DeadlinePolicyForm(forms.ModelForm):
    reminder_recipients = RelationsField(label="提醒对象")

    class Meta:
        model = DeadlinePolicy
        fields = ["name", "start_label", "length", "unit", "reminder_offsets", "reminder_recipients", "is_active"]

    def clean_reminder_offsets(self):
        offsets = self.cleaned_data["reminder_offsets"] or []
        if not isinstance(offsets, list) or not all(isinstance(v, int) and v >= 0 for v in offsets):
            raise forms.ValidationError("请填写非负整数列表，如 [30, 10, 3]。")
        return sorted(set(offsets), reverse=True)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(SimpleHistoryAdmin):
    form = DeadlinePolicyForm
    list_display = ("name", "key", "rule", "reminder_offsets", "steps", "is_active", "live")
    list_filter = ("unit", "is_active")
    search_fields = ("name", "key")
    readonly_fields = ("key",)
    inlines = [EscalationStepInline]
    actions = ["recompute_open"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("escalation_steps")

    @admin.display(description="时限")
    def rule(self, policy: DeadlinePolicy) -> str:
        return f"{policy.start_label}{policy.length}{policy.get_unit_display()}"

    @admin.display(description="升级")
    def steps(self, policy: DeadlinePolicy) -> str:
        return "；".join(f"满{s.after_days}日→{s.level}级" for s in policy.escalation_steps.all()) or "—"

    @admin.display(description="已接入巡检", boolean=True)
    def live(self, policy: DeadlinePolicy) -> bool:
        return get_source(policy.key) is not None

    @admin.action(description="按当前时限重新计算未办结事项的到期日")
    def recompute_open(self, request, queryset):
        for policy in queryset:
            source = get_source(policy.key)
            if source is None:
                self.message_user(request, f"{policy.name}：未接入巡检，无法重算。", messages.WARNING)
                continue
            moved = source.recompute_open(actor=request.user)
            self.message_user(request, f"{policy.name}：已重算，{moved} 项到期日发生变化。", messages.SUCCESS)


@admin.register(NoticeLedger)
class NoticeLedgerAdmin(admin.ModelAdmin):
    list_display = ("clock", "object_id", "stage", "level", "due_on", "recipient", "created_at")
    list_filter = ("clock", "level")
    search_fields = ("clock", "stage", "recipient__username", "recipient__name")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
