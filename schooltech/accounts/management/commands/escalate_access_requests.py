"""Pass access requests unanswered for 5 days to support. Run by the scheduler; safe to run twice."""

from django.core.management.base import BaseCommand

from schooltech.accounts import services


class Command(BaseCommand):
    help = "Escalate access requests that no approver has answered within the escalation period"

    def handle(self, *args, **options):
        count = services.access_requests_escalate()
        self.stdout.write(f"Escalated {count} access request{'s' if count != 1 else ''} to support")
