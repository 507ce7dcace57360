"""Record realistic, repeatable self-assessments so the demo trust's matrix has something to show.

manage.py generate_assessments --demo        # the demo trust's schools (Partnership Learning)
manage.py generate_assessments --urn 100049  # one school
manage.py generate_assessments --national    # every open establishment (benchmarks)

--demo and --urn answer and submit as a person would, with history; --national bulk-inserts the same
answers without history (nobody answered them), in chunks on both cores. A standard a school has
already assessed is left alone, so running it again changes nothing.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from schooltech.demo import assessments, national, people
from schooltech.organisations.models import Establishment, Group
from schooltech.standards import selectors, services

User = get_user_model()


class Command(BaseCommand):
    help = "Record completed demonstration assessments (deterministic; safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", dest="demo_trust", help="The demo trust's schools")
        parser.add_argument("--urn", action="append", default=[], help="A school's URN (repeatable)")
        parser.add_argument("--national", action="store_true", help="Every open establishment")
        national.add_arguments(parser)

    def handle(self, *args, demo_trust: bool, urn: list[str], national: bool, **options):
        if not demo_trust and not urn and not national:
            raise CommandError("Give --demo, --national or at least one --urn")
        if selectors.current_version() is None:
            services.catalogue_load()
        if national:
            self._national(options)
            return
        schools = Establishment.objects.none()
        if demo_trust:
            schools = Establishment.objects.filter(trust__uid=people.DEMO_TRUST_UID)
        if urn:
            schools = schools | Establishment.objects.filter(urn__in=urn)
        if demo_trust:
            self._answer_together()
        recorded = sum(assessments.record_for(school) for school in schools.order_by("urn"))
        self.stdout.write(f"Recorded {recorded} assessments for {schools.count()} schools")

    def _national(self, options):
        schools = national.open_schools("pk", "urn", "phase_code")
        totals = national.each_chunk(
            schools,
            lambda batch: {"assessments": assessments.record_many(batch)},
            job="assessment generation",
            chunk=options["chunk"],
            processes=options["processes"],
            progress=options["verbosity"] > 0,
        )
        services.generated_assessments_analyse()
        self.stdout.write(f"Recorded {totals['assessments']:,} assessments for {len(schools):,} open establishments")
        if skipped := totals["skipped"]:
            self.stderr.write(f"{skipped} establishments skipped: their data broke the assessments (see the log)")

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
