"""Queue every email that is due. Run by cron or the platform's scheduler; safe to run twice."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from schooltech.notifications import reminders


class Command(BaseCommand):
    help = "Queue due emails: retries of failed sends and every kind of reminder in notifications.reminders"

    def handle(self, *args, **options):
        for name, count in reminders.enqueue_due(now=timezone.now()):
            self.stdout.write(f"{name}: {count} queued")
