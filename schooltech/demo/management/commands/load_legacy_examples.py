"""Demonstration data: example services in the department's legacy technology register, marked as
examples, with scores, decisions and milestones (some overdue). Safe to run again."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from schooltech.demo import legacy


class Command(BaseCommand):
    help = "Add example services to the department's legacy technology register (demonstration data)."

    def handle(self, *args, **options):
        added = legacy.load_examples(today=timezone.localdate())
        self.stdout.write(f"{added} example services added to the legacy technology register")
