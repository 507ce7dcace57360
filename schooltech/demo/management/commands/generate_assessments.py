"""Record realistic, repeatable self-assessments so the demo trust's matrix has something to show.

manage.py generate_assessments --demo        # the demo trust's schools (Partnership Learning)
manage.py generate_assessments --urn 100049  # one school
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from schooltech.demo import assessments, people
from schooltech.organisations.models import Establishment, Group
from schooltech.standards import selectors, services

User = get_user_model()


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
        if demo_trust:
            self._answer_together()
        recorded = sum(assessments.record_for(school) for school in schools.order_by("urn"))
        self.stdout.write(f"Recorded {recorded} assessments for {schools.count()} schools")

    def _answer_together(self):
        """The demo trust's IT director answers one standard once for a few of its schools."""
        trust = Group.objects.filter(uid=people.DEMO_TRUST_UID).first()
        director = User.objects.filter(email=people.DEMO_TRUST_DIRECTOR_EMAIL).first()
        if trust is None or director is None:
            return
        shared = assessments.answer_together(trust, director)
        if shared is not None:
            schools = len(shared.outcomes)
            self.stdout.write(f"{trust.name} answered {shared.standard.title} together for {schools} schools")
