"""Staff edit the ladders in the admin; "recompute open ones" is the only way stored dates move."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from cppcc_portal.deadlines import policy_for
from cppcc_portal.models import DeadlinePolicy, EscalationStep


def test_policy_pages_show_the_ladder(login, member_clock):
    policy = policy_for(member_clock.key)
    client = login("admin")
    listing = client.get(reverse("admin:cppcc_portal_deadlinepolicy_changelist"))
    assert listing.status_code == 200 and "满10日→2级" in listing.content.decode()
    change = client.get(reverse("admin:cppcc_portal_deadlinepolicy_change", args=[policy.pk]))
    html = change.content.decode()
    assert change.status_code == 200 and "逾期满（工作日）" in html and "委员本人" in html and "督办领导" in html


def test_staff_change_a_step_in_the_admin(login, member_clock):
    policy = policy_for(member_clock.key)
    steps = list(policy.escalation_steps.order_by("level"))
    data = {
        "name": policy.name,
        "start_label": policy.start_label,
        "length": "15",
        "unit": policy.unit,
        "reminder_offsets": "[3, 1]",
        "reminder_recipients": ["self"],
        "is_active": "on",
        "escalation_steps-TOTAL_FORMS": "2",
        "escalation_steps-INITIAL_FORMS": "2",
        "escalation_steps-MIN_NUM_FORMS": "0",
        "escalation_steps-MAX_NUM_FORMS": "1000",
    }
    for index, step in enumerate(steps):
        data |= {
            f"escalation_steps-{index}-id": str(step.pk),
            f"escalation_steps-{index}-policy": str(policy.pk),
            f"escalation_steps-{index}-level": str(step.level),
            f"escalation_steps-{index}-after_days": "5" if step.level == 2 else str(step.after_days),
            f"escalation_steps-{index}-recipients": ["staff", "unit_head"] if step.level == 2 else step.recipients,
            f"escalation_steps-{index}-label": step.label,
        }
    response = login("staff").post(reverse("admin:cppcc_portal_deadlinepolicy_change", args=[policy.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    policy.refresh_from_db()
    assert policy.length == 15 and policy.reminder_offsets == [3, 1]
    level2 = EscalationStep.objects.get(policy=policy, level=2)
    assert (level2.after_days, sorted(level2.recipients)) == (5, ["staff", "unit_head"])


def test_recompute_open_ones_moves_stored_dates_to_the_new_length(login, member_clock, make_item, monkeypatch):
    monkeypatch.setattr(type(member_clock), "start_field", "start_on", raising=False)
    monkeypatch.setattr(type(member_clock), "recompute_due", lambda self, item: date(2026, 4, 1))
    item = make_item(date(2026, 3, 2))
    policy = policy_for(member_clock.key)
    response = login("staff").post(
        reverse("admin:cppcc_portal_deadlinepolicy_changelist"),
        {"action": "recompute_open", "_selected_action": [str(policy.pk)]},
        follow=True,
    )
    assert "已重算" in response.content.decode()
    item.refresh_from_db()
    assert item.birth_date == date(2026, 4, 1)
    assert DeadlinePolicy.objects.filter(key=member_clock.key).count() == 1
