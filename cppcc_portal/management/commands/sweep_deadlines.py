"""Run the deadline sweep once, synchronously (operators and tests)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cppcc_portal.deadlines.sweep import run_sweep


def parse_now(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"无法识别的时间：{value}（示例：2026-03-01T09:00）")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Send every deadline reminder and escalation owed now (each exactly once)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="pretend it is this moment (ISO, local time), e.g. 2026-03-01T09:00")
        parser.add_argument("--clock", action="append", dest="keys", help="only this clock (repeatable)")
        parser.add_argument("--no-deliver", action="store_true", help="leave e-mail/SMS to the periodic delivery task")

    def handle(self, *args, **options):
        now = parse_now(options["now"]) if options["now"] else None
        result = run_sweep(now, keys=options["keys"], deliver=not options["no_deliver"])
        self.stdout.write(result.summary())
        for key, count in sorted(result.by_clock.items()):
            if count:
                self.stdout.write(f"  {key}: {count}")
