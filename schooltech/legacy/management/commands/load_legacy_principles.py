"""Load the department's technology principles and standards (legacy/principles.yaml) as a new version
when its label is new. Safe to run again."""

from django.core.management.base import BaseCommand

from schooltech.legacy import principles, services


class Command(BaseCommand):
    help = "Load the department's technology principles and standards (a new version when the label is new)."

    def handle(self, *args, **options):
        version, created = services.principles_load(**principles.read())
        state = "loaded" if created else "already loaded"
        self.stdout.write(f"Principles and standards {version.label} {state}")
