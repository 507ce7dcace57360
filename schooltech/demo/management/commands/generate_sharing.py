"""Demonstration data: the demo schools and the demo trust's schools choose to share everything with the
department, as their approvers could, so the national picture has figures to show. Safe to run again.
Then run `manage.py snapshot_insights` to make the figures."""

from django.core.management.base import BaseCommand, CommandError

from schooltech.demo import people
from schooltech.insights import services
from schooltech.organisations.models import Establishment


class Command(BaseCommand):
    help = "Make the demo schools share standards, estate and plan figures with the department (demonstration data)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", required=True, help="The demo schools and the demo trust's")

    def handle(self, *args, **options):
        schools = (
            Establishment.objects.filter(urn__in=people.demo_school_urns())
            | Establishment.objects.filter(status__in=Establishment.OPEN_STATUSES, trust__uid=people.DEMO_TRUST_UID)
        ).distinct()
        if not schools.exists():
            raise CommandError("No demo schools found: load the shipped data and the demo accounts first")
        for school in schools:
            services.sharing_choose(establishment=school, user=None, standards=True, estate=True, plans=True)
        self.stdout.write(f"{schools.count()} demo schools share their figures with the department")
