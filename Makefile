# 区政协履职服务平台 — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
# Only this machine can reach `make run` unless told otherwise (BIND=0.0.0.0).
BIND ?= 127.0.0.1
export PORT BIND

.PHONY: run test test-fast venv setup lint check bench pages load clean backup restore audit

$(VENV)/.installed: requirements.txt requirements-dev.txt build-constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python 3.11 或更高版本 / Python >= 3.11 required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.3"
	$(PIP) install --quiet --build-constraint build-constraints.txt -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

setup: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py sync_periodic_tasks

## Set up and start the whole portal: web, Celery worker and beat. Ctrl-C stops all.
run: setup
	@echo "门户地址 / Portal: http://$(BIND):$(PORT)/  演示账号 / demo logins: admin staff leader member1 member2 member3 unit_edu unit_edu_head unit_health party_minjin party_minjin_head，密码 / password: demo-2026"
	$(VENV)/bin/honcho -f Procfile.dev start

# Test processes for pytest-xdist: "auto" is one per CPU (TEST_WORKERS=0 runs in this process).
TEST_WORKERS ?= auto
# The slow kinds, marked in tests/conftest.py: browsers, a real Celery worker, races, PostgreSQL, Redis.
SLOW_TESTS := e2e or worker or concurrency or postgres or redis

## Run the whole test suite, in parallel (tests that must share a process carry an xdist_group).
test: venv
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup

## The quick tier while working: everything but the slow kinds.
test-fast: venv
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup -m "not ($(SLOW_TESTS))"

## Known vulnerabilities (PyPI advisory data) in every package installed from the pinned requirements.
audit: venv
	$(VENV)/bin/pip-audit --local --progress-spinner off

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

## Migrations in step with the models, lint, and the import rules (pyproject.toml, [tool.importlinter]).
check: venv
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: venv
	@for script in $$(ls bench/*.py | grep -v -e bench/load.py -e bench/pages.py -e bench/bench_); do echo "== $$script"; $(PY) $$script || exit 1; done

## Every page of the access table as every role (p50/p95, queries), then gunicorn + wrk throughput; see bench/pages.py.
pages: venv
	$(PY) bench/pages.py

## 50 sessions for 2 minutes against gunicorn on PostgreSQL and Redis (127.0.0.1 only); see bench/load.py.
load: venv
	$(PY) bench/load.py

## Back up the database and the uploaded files into var/backups/cppcc-backup-<date>.tar.gz.
backup: venv
	$(PY) manage.py backup

## Restore an archive into an EMPTY database and media folder: make restore FILE=var/backups/….tar.gz
restore: venv
	@test -n "$(FILE)" || { echo "用法 / usage: make restore FILE=var/backups/cppcc-backup-….tar.gz"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

clean:
	rm -rf var/ staticfiles/ test-artifacts/
