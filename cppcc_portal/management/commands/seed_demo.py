from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cppcc_portal.hooks import get_hooks


class Command(BaseCommand):
    help = "Fill the database with a realistic demo district (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 已关闭：为防止污染生产数据，请加 --force 明确确认。")
        # Every app registers its own ``demo_seeders`` hook (fn(stdout) -> None);
        # members' runs first because everything else refers to its people.
        for seeder in sorted(get_hooks("demo_seeders"), key=lambda fn: getattr(fn, "seed_order", 100)):
            with transaction.atomic():
                seeder(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号密码均为 demo-2026。"))
