"""Queue every email that is due. Run by cron or the platform's scheduler; safe to run twice."""

import argparse
from datetime import date, datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from schooltech.notifications import reminders


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2027-03-01, not {value!r}") from None


class Command(BaseCommand):
    help = "Queue due emails: retries of failed sends and every kind of reminder in notifications.reminders"

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_date, help="Act as if today were this date (YYYY-MM-DD), to test or catch up"
        )

    def handle(self, *args, today: date | None = None, **options):
        now = timezone.now()
        if today is not None:
            # The same time of day on the given date, so durations such as "waited 2 days" still hold.
            now = timezone.make_aware(datetime.combine(today, timezone.localtime(now).time()))
        for name, count in reminders.enqueue_due(now=now):
            self.stdout.write(f"{name}: {count} queued")
