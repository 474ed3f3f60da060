"""``manage.py restore FILE``: bring a backup archive back into an empty database and media folder."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cppcc_portal.backup import BackupError, restore


class Command(BaseCommand):
    help = "把 make backup 写的归档恢复到空数据库（DATABASE_URL 或 SQLITE_PATH）和空附件目录（MEDIA_ROOT），并核对行数和校验值。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份归档（.tar.gz）")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            report = restore(Path(options["archive"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"已恢复并核对：{report.tables} 张表 {report.rows} 行、{report.files} 个附件与备份一致"
            f"（用时 {time.monotonic() - started:.1f} 秒）。"
        )
