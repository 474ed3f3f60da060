"""Create the default periodic tasks in django-celery-beat, once.

Existing entries are left as admins edited them; only missing ones are added.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


class Command(BaseCommand):
    help = "Add the portal's default periodic tasks to django-celery-beat (idempotent)."

    def handle(self, *args, **options):
        added = 0
        for name, spec in settings.PORTAL_PERIODIC_TASKS.items():
            if PeriodicTask.objects.filter(name=name).exists():
                continue
            schedule = spec["schedule"]
            fields = {"name": name, "task": spec["task"], "kwargs": json.dumps(spec.get("kwargs", {}))}
            if "every_minutes" in schedule:
                fields["interval"], _ = IntervalSchedule.objects.get_or_create(
                    every=schedule["every_minutes"], period=IntervalSchedule.MINUTES
                )
            else:
                cron = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
                cron.update(schedule["crontab"])
                fields["crontab"], _ = CrontabSchedule.objects.get_or_create(**cron, timezone=settings.TIME_ZONE)
            PeriodicTask.objects.create(**fields)
            added += 1
        self.stdout.write(f"定时任务：新增 {added} 个，共 {PeriodicTask.objects.count()} 个。")
