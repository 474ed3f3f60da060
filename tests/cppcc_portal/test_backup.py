"""make backup / make restore: the demo district comes back row for row and file for file."""

import sqlite3
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from psycopg import sql

from cppcc_portal.backup import BackupError, backup, file_checksums, restore, table_counts


def other_database(name: str):
    """A Django connection to another database on the same server."""
    default = connections["default"]
    return type(default)({**default.settings_dict, "NAME": name}, alias=f"restore-{name}")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_demo_restores_into_an_empty_database_with_every_row_and_file(postgres, demo, tmp_path):
    media = tmp_path / "media"
    report = backup(tmp_path / "backups")
    assert report.archive.name.startswith("cppcc-backup-") and report.archive.name.endswith(".tar.gz")
    assert report.files > 0 and report.rows > 1000, "the demo district, with its attachments and photos"
    name = f"cppcc_restore_{uuid.uuid4().hex[:8]}"
    admin_url = {k: v for k, v in connection.get_connection_params().items() if k in ("host", "port", "user")}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin_url) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    target = other_database(name)
    try:
        restored = restore(report.archive, media_root=media, conn=target)
        assert table_counts(target) == table_counts(connection), "every table, row for row"
        assert file_checksums(media) == file_checksums(settings.MEDIA_ROOT)
        assert restored.rows == report.rows and restored.files == report.files
        with pytest.raises(BackupError, match="不是空库"):
            restore(report.archive, media_root=tmp_path / "again", conn=target)
    finally:
        target.close()
        with psycopg.connect(dbname="postgres", autocommit=True, **admin_url) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.mark.django_db  # lets the test open its own SQLite connections
def test_sqlite_is_copied_with_its_backup_api_and_restored_whole(tmp_path):
    source_path, target_path = tmp_path / "portal.sqlite3", tmp_path / "restored.sqlite3"
    with sqlite3.connect(source_path) as db:
        db.execute("CREATE TABLE proposal (id INTEGER PRIMARY KEY, title TEXT)")
        db.executemany("INSERT INTO proposal (title) VALUES (?)", [(f"提案{n}",) for n in range(25)])
    db.close()
    (tmp_path / "media" / "proposals").mkdir(parents=True)
    (tmp_path / "media" / "proposals" / "a.pdf").write_bytes(b"%PDF-1.4 demo")
    source = DatabaseWrapper({**_sqlite_settings(source_path)}, alias="sqlite-source")
    target = DatabaseWrapper({**_sqlite_settings(target_path)}, alias="sqlite-target")
    try:
        report = backup(tmp_path / "backups", media_root=tmp_path / "media", conn=source)
        restore(report.archive, media_root=tmp_path / "restored-media", conn=target)
        assert table_counts(target) == {"proposal": 25}
        assert file_checksums(tmp_path / "restored-media") == file_checksums(tmp_path / "media")
        with pytest.raises(BackupError, match="附件目录不是空的"):
            restore(report.archive, media_root=tmp_path / "restored-media", conn=_empty_sqlite(tmp_path))
    finally:
        source.close()
        target.close()


def _sqlite_settings(path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }


def _empty_sqlite(tmp_path):
    return DatabaseWrapper(_sqlite_settings(tmp_path / "empty.sqlite3"), alias="sqlite-empty")
