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


def run_python(code: str, env_overrides: dict) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG"}
    }
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_web_and_celery_processes_default_to_production_not_debug():
    """A forgotten DJANGO_SETTINGS_MODULE must not serve with DEBUG on and the public development key."""
    for module in ("cppcc_portal.wsgi", "cppcc_portal.celery"):
        result = run_python(f"import {module}; from django.conf import settings; settings.DEBUG", {})
        assert result.returncode != 0, f"{module} started without a secret key"
        assert "DJANGO_SECRET_KEY must be set in production" in result.stderr
    result = run_python(
        "import cppcc_portal.wsgi; from django.conf import settings; print(settings.DEBUG, settings.SETTINGS_MODULE)",
        {"DJANGO_SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "portal.example.org"},
    )
    assert result.stdout.split() == ["False", "cppcc_portal.settings.production"], result.stderr


def test_every_production_process_names_the_production_settings():
    for line in (ROOT / "Procfile").read_text().splitlines():
        assert "DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-cppcc_portal.settings.production}" in line, line


def test_local_settings_refuse_to_serve_without_debug_and_without_a_key():
    result = run_python(
        "import django; django.setup()",
        {"DJANGO_SETTINGS_MODULE": "cppcc_portal.settings.local", "DJANGO_DEBUG": "false"},
    )
    assert result.returncode != 0 and "no DJANGO_SECRET_KEY and DEBUG is off" in result.stderr
    result = run_python(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        {"DJANGO_SETTINGS_MODULE": "cppcc_portal.settings.local"},
    )
    assert result.stdout.strip() == "True", result.stderr


def test_make_run_listens_on_this_machine_only_unless_told():
    makefile = (ROOT / "Makefile").read_text()
    assert "BIND ?= 127.0.0.1" in makefile
    assert "0.0.0.0" not in (ROOT / "Procfile.dev").read_text()
    assert "runserver ${BIND:-127.0.0.1}:" in (ROOT / "Procfile.dev").read_text()
