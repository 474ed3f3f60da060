"""(Re)derive the performance ledger from the apps' own records, then rebuild the scores.

Each app that writes ledger entries may register a back-fill function::

    from cppcc_portal.hooks import register

    @register("performance_backfill")
    def backfill(stdout):
        for row in Attendance.objects.filter(...).iterator():
            performance_record(member=row.member, act=..., source=row, on=row.date)

The function must only call ``members.services.performance_record`` /
``performance_withdraw``: they are idempotent, so running the command any
number of times leaves one entry per (member, act, source). ``--rebuild``
empties the ledger first, so what the apps derive is all that remains.
After the hooks ran, ``recompute_scores`` rebuilds every year's totals.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from cppcc_portal.hooks import get_hooks
from members.performance.models import MemberYearScore, PerformanceRecord
from members.performance.scoring import ledger_years, recompute_scores


class Command(BaseCommand):
    help = "Back-fill the performance ledger from every app (performance_backfill hooks) and recompute scores."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Delete all ledger entries first.")
        parser.add_argument("--scores-only", action="store_true", help="Only recompute the yearly scores.")

    def handle(self, *args, rebuild: bool = False, scores_only: bool = False, **options):
        with transaction.atomic():
            if not scores_only:
                if rebuild:
                    deleted, _ = PerformanceRecord.objects.all().delete()
                    MemberYearScore.objects.all().delete()
                    self.stdout.write(f"已清空履职记录 {deleted} 条。\n")
                for fn in get_hooks("performance_backfill"):
                    fn(self.stdout)
            years = ledger_years()
            for year in years:
                count = recompute_scores(year)
                self.stdout.write(f"{year}年度：{count} 名委员有履职得分。\n")
        self.stdout.write(self.style.SUCCESS(f"履职记录共 {PerformanceRecord.objects.count()} 条，得分已重算。"))
