"""The embedded SQLite set-up serves several people at once without "database is locked".

Three processes with the demo settings each run read-then-write transactions on
one counter. IMMEDIATE transactions take the write lock up front, so no update
is lost and nobody fails on a lock upgrade; the busy timeout makes them wait.
"""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WORKER = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, os.getcwd())
    import django
    django.setup()
    from django.db import connection, transaction
    connection.ensure_connection()
    time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # start together
    for _ in range(int(sys.argv[1])):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        print(cursor.fetchone()[0])
    """
)


def test_parallel_writers_lose_nothing_and_never_see_locked(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="cppcc_portal.settings.local", PORTAL_VAR_DIR=str(tmp_path))
    database = tmp_path / "portal.sqlite3"
    setup = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('CREATE TABLE counter (n INTEGER)'); c.execute('INSERT INTO counter VALUES (0)'); c.commit()"
    subprocess.run([sys.executable, "-c", setup, str(database)], check=True)
    rounds, workers = 300, 3
    start_at = str(time.time() + 4)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(rounds), start_at],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err[-2000:]
        assert "locked" not in err
        assert out.strip().endswith("wal")
    check = "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT n FROM counter').fetchone()[0])"
    total = subprocess.run([sys.executable, "-c", check, str(database)], capture_output=True, text=True, check=True)
    assert int(total.stdout) == rounds * workers
