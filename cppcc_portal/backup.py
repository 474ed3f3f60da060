"""Backup and restore: the database and the uploaded files in one dated archive.

An archive (``cppcc-backup-YYYYMMDD-HHMMSS.tar.gz``) holds:

- ``database.dump``: PostgreSQL's custom format (``pg_dump -Fc``), or ``database.sqlite3``:
  a consistent copy of the SQLite file made with SQLite's online backup API;
- ``media/``: every uploaded file (``MEDIA_ROOT``);
- ``manifest.json``: when, which database, the row count of every table and the SHA-256 of
  every file, so a restore can prove it brought back exactly what was saved.

A restore goes into an *empty* database and an empty media folder only, and then checks
row counts and checksums against the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """Said in Chinese, for the person running ``make backup`` / ``make restore``."""


@dataclass
class Report:
    archive: Path
    tables: int
    rows: int
    files: int
    size: int


def table_counts(conn=None) -> dict[str, int]:
    """Rows per table, for every table in the database (Django's and the others)."""
    conn = conn or connection
    with conn.cursor() as cursor:
        names = sorted(conn.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def file_checksums(root: Path) -> dict[str, str]:
    sums = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            sums[path.relative_to(root).as_posix()] = digest.hexdigest()
    return sums


def _pg_env_and_args(conn) -> tuple[dict, list[str]]:
    params = conn.settings_dict
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])  # not on the command line, where ps shows it
    args = ["--host", str(params.get("HOST") or "127.0.0.1"), "--port", str(params.get("PORT") or 5432)]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    return env, args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip() or result.stdout.strip()}")


def _pg_dump_consistent(conn, dump: Path) -> dict[str, int]:
    """pg_dump and the row counts read one snapshot, so the manifest matches the dump exactly
    even while the portal keeps writing."""
    params = conn.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as reader:
        reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = reader.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = [
            row[0]
            for row in reader.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
        ]
        counts = {name: reader.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in tables}
        env, args = _pg_env_and_args(conn)
        _run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
            + ["--file", str(dump), str(conn.settings_dict["NAME"])],
            env,
        )
        reader.rollback()
    return counts


def _sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as copy:
        names = [r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        counts = {n: copy.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names if n != "sqlite_sequence"}
    copy.close()
    return counts


def backup(folder: Path, *, media_root: Path | None = None, conn=None, now: datetime | None = None) -> Report:
    """Write a dated archive into ``folder`` and return what it holds."""
    conn = conn or connection
    media_root = Path(media_root or settings.MEDIA_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    archive = folder / f"cppcc-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="cppcc-backup-") as work:
        work_dir = Path(work)
        if conn.vendor == "postgresql":
            dump = work_dir / PG_DUMP
            counts = _pg_dump_consistent(conn, dump)
        elif conn.vendor == "sqlite":
            dump = work_dir / SQLITE_COPY
            conn.ensure_connection()
            with sqlite3.connect(dump) as target:
                conn.connection.backup(target)
            target.close()
            counts = _sqlite_counts(dump)
        else:
            raise BackupError(f"不支持的数据库：{conn.vendor}")
        sums = file_checksums(media_root)
        manifest = {
            "created_at": timezone.localtime(now or timezone.now()).isoformat(),
            "vendor": conn.vendor,
            "database": dump.name,
            "tables": counts,
            "files": sums,
        }
        with tarfile.open(archive, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for relative in sums:
                tar.add(media_root / relative, arcname=f"media/{relative}")
    return Report(archive, len(counts), sum(counts.values()), len(sums), archive.stat().st_size)


def _is_empty_database(conn) -> bool:
    with conn.cursor() as cursor:
        return not conn.introspection.table_names(cursor)


def restore(archive: Path, *, media_root: Path | None = None, conn=None) -> Report:
    """Bring an archive back into an empty database and an empty media folder, then prove it."""
    conn = conn or connection
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}")
    if not _is_empty_database(conn):
        raise BackupError("目标数据库不是空库：恢复只能写入新建的空数据库，以免覆盖现有数据。")
    if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(f"附件目录不是空的：{media_root}。请换一个空目录（MEDIA_ROOT）。")
    with tempfile.TemporaryDirectory(prefix="cppcc-restore-") as work:
        work_dir = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work_dir, filter="data")  # refuses absolute paths, .. and links out of the folder
        manifest = json.loads((work_dir / MANIFEST).read_text(encoding="utf-8"))
        if manifest["vendor"] != conn.vendor:
            raise BackupError(f"备份来自 {manifest['vendor']} 数据库，不能恢复到 {conn.vendor}。")
        dump = work_dir / manifest["database"]
        if conn.vendor == "postgresql":
            env, args = _pg_env_and_args(conn)
            _run(
                ["pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error"]
                + ["--dbname", str(conn.settings_dict["NAME"]), str(dump)],
                env,
            )
        else:
            conn.ensure_connection()
            with sqlite3.connect(dump) as source:
                source.backup(conn.connection)
            source.close()
        media_root.mkdir(parents=True, exist_ok=True)
        extracted = work_dir / "media"
        if extracted.exists():
            shutil.copytree(extracted, media_root, dirs_exist_ok=True)
    counts, sums = table_counts(conn), file_checksums(media_root)
    if counts != manifest["tables"]:
        differ = sorted(
            name for name in set(counts) | set(manifest["tables"]) if counts.get(name) != manifest["tables"].get(name)
        )
        raise BackupError(f"恢复后行数与备份不一致：{', '.join(differ[:10])}")
    if sums != manifest["files"]:
        raise BackupError("恢复后的附件与备份的校验值不一致。")
    return Report(archive, len(counts), sum(counts.values()), len(sums), archive.stat().st_size)
