"""Demonstration data: schools choose to share everything with the department, as their approvers
could, so the national picture has figures to show. `--demo`: the demo schools and the demo trust's;
`--national`: every open establishment (benchmarks). Safe to run again.
Then run `manage.py snapshot_insights` to make the figures."""

from django.core.management.base import BaseCommand, CommandError

from schooltech.demo import national, people
from schooltech.insights import services
from schooltech.organisations.models import Establishment


class Command(BaseCommand):
    help = "Make schools share standards, estate and plan figures with the department (demonstration data)."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--demo", action="store_true", help="The demo schools and the demo trust's")
        target.add_argument("--national", action="store_true", help="Every open establishment")

    def handle(self, *args, **options):
        if options["national"]:
            schools = national.open_schools("pk")
            if not schools:
                raise CommandError("No establishments found: load the shipped data first")
            changed = services.sharing_choose_many(
                establishments=schools, user=None, standards=True, estate=True, plans=True
            )
            self.stdout.write(f"{len(schools):,} open establishments share their figures ({changed:,} newly)")
            return
        schools = (
            Establishment.objects.filter(urn__in=people.demo_school_urns())
            | Establishment.objects.filter(status__in=Establishment.OPEN_STATUSES, trust__uid=people.DEMO_TRUST_UID)
        ).distinct()
        if not schools.exists():
            raise CommandError("No demo schools found: load the shipped data and the demo accounts first")
        for school in schools:
            services.sharing_choose(establishment=school, user=None, standards=True, estate=True, plans=True)
        self.stdout.write(f"{schools.count()} demo schools share their figures with the department")
