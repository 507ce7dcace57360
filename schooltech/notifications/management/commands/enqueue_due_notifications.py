"""Queue every email that is due. Run by cron or the platform's scheduler; safe to run twice."""

import argparse
from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from schooltech.notifications import reminders


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2027-03-01, not {value!r}") from None


class Command(BaseCommand):
    help = "Queue due emails: retries of failed sends and every reminder the apps registered (notifications.registry)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_date, help="Act as if today were this date (YYYY-MM-DD), to test or catch up"
        )

    def handle(self, *args, today: date | None = None, **options):
        now = timezone.now()
        if today is not None:
            # The same time of day on the given date, so durations such as "waited 2 days" still hold.
            now = timezone.make_aware(datetime.combine(today, timezone.localtime(now).time()))
        failed = []
        for name, count in reminders.enqueue_due(now=now):
            if count is None:
                failed.append(name)
                self.stdout.write(f"{name}: failed (see the log)")
            else:
                self.stdout.write(f"{name}: {count} queued")
        if failed:
            # Every other job still ran; the exit status lets the scheduler alert someone.
            raise CommandError(f"These jobs failed: {', '.join(failed)}")
