"""Record realistic, repeatable self-assessments so the demo trust's matrix has something to show.

manage.py generate_assessments --demo        # the demo trust's schools (Partnership Learning)
manage.py generate_assessments --urn 100049  # one school
"""

from django.core.management.base import BaseCommand, CommandError

from schooltech.demo import assessments, people
from schooltech.organisations.models import Establishment
from schooltech.standards import selectors, services


class Command(BaseCommand):
    help = "Record completed demonstration assessments (deterministic; safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", dest="demo_trust", help="The demo trust's schools")
        parser.add_argument("--urn", action="append", default=[], help="A school's URN (repeatable)")

    def handle(self, *args, demo_trust: bool, urn: list[str], **options):
        if not demo_trust and not urn:
            raise CommandError("Give --demo or at least one --urn")
        if selectors.current_version() is None:
            services.catalogue_load()
        schools = Establishment.objects.none()
        if demo_trust:
            schools = Establishment.objects.filter(trust__uid=people.DEMO_TRUST_UID)
        if urn:
            schools = schools | Establishment.objects.filter(urn__in=urn)
        recorded = sum(assessments.record_for(school) for school in schools.order_by("urn"))
        self.stdout.write(f"Recorded {recorded} assessments for {schools.count()} schools")
