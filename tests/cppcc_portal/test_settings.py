"""Settings come from the environment; production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "cppcc_portal.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key_or_hosts():
    result = run_check({"ALLOWED_HOSTS": "portal.example.org"})
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr
    result = run_check({"DJANGO_SECRET_KEY": "x" * 60})
    assert result.returncode != 0 and "ALLOWED_HOSTS must be set" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = run_check(
        {"DJANGO_SECRET_KEY": "k3y-" + "a1B2c3D4e5" * 6, "ALLOWED_HOSTS": "portal.example.org"},
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_local_defaults_are_chinese_and_shanghai():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
