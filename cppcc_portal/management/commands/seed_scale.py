import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cppcc_portal.hooks import get_hooks
from cppcc_portal.scale import Scale


class Command(BaseCommand):
    help = (
        "Add a large, realistic history on top of the demo district (for benchmarks): 20 sessions, "
        "100,000 proposals, 10,000 members, 1,000,000 ledger rows by default."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument("--proposals", type=int, default=Scale.proposals, help="Proposals to add (100000).")
        parser.add_argument("--members", type=int, default=Scale.members, help="Members to add (10000).")
        parser.add_argument("--ledger", type=int, default=Scale.ledger, help="Performance-ledger rows (1000000).")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG 已关闭：为防止污染生产数据，请加 --force 明确确认。")
        for name in ("proposals", "members", "ledger"):
            if options[name] < 0:
                raise CommandError(f"--{name} 不能为负数。")
        seeders = sorted(get_hooks("scale_seeders"), key=lambda fn: getattr(fn, "seed_order", 100))
        checks = get_hooks("scale_seeded")
        if any(check() for check in checks):
            raise CommandError("数据库中已有规模数据（seed_scale 已运行过）；请先重建数据库。")
        started = time.perf_counter()
        console = Console(file=self.stdout, force_terminal=False, width=100)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as progress:
            scale = Scale(
                proposals=options["proposals"],
                members=max(options["members"], 1),
                ledger=options["ledger"],
                progress=progress,
            )
            with transaction.atomic():
                for seeder in seeders:
                    seeder(scale)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh planner statistics for the new row counts, and the visibility map that
                # index-only scans need (autovacuum would get there later, on its own schedule).
                # VACUUM cannot run inside a transaction (a test's, say): there, statistics only.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"规模数据已生成，用时 {time.perf_counter() - started:.1f} 秒。"))
