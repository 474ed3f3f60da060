"""``manage.py backup [--to FOLDER]``: a dated archive of the database and the uploaded files."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cppcc_portal.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump 自定义格式，SQLite 用在线备份接口）和附件目录，写入带日期的归档。"

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(settings.VAR_DIR / "backups"), help="归档目录（默认 var/backups）")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            report = backup(Path(options["to"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"已备份：{report.archive}（{report.size / 1024 / 1024:.1f} MB，{report.tables} 张表 {report.rows} 行，"
            f"{report.files} 个附件，用时 {time.monotonic() - started:.1f} 秒）"
        )
