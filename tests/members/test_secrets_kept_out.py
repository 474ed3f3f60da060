"""Password hashes stay out of the history; phone numbers and texts stay out of the SMS log."""

import logging

import pytest

from cppcc_portal.sms import LogSmsBackend
from members.models import User

pytestmark = pytest.mark.django_db


def test_user_history_keeps_no_password_hashes_or_sign_in_times(demo):
    user = demo["member2"]
    user.set_password("another-secret-2026")
    user.save()
    fields = {field.name for field in User.history.model._meta.get_fields()}
    assert "password" not in fields and "last_login" not in fields
    assert User.history.filter(id=user.pk).exists(), "the change itself is still recorded"


def test_the_sms_log_masks_the_number_and_leaves_out_the_text(caplog):
    with caplog.at_level(logging.INFO, logger="cppcc_portal.sms"):
        LogSmsBackend().send("13800000001", "【区政协履职服务平台】提案《关于某某的建议》已逾期")
    assert "138****0001" in caplog.text
    assert "13800000001" not in caplog.text and "提案" not in caplog.text
