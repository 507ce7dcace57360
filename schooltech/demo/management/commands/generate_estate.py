"""Fill the registers with realistic made-up data: `--demo`, `--national` or `--urn URN ...`.

Deterministic for a given --seed. Establishments that already have register rows are left alone
unless --replace is given, so running it twice changes nothing.
"""

import datetime
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from schooltech.demo import estate as generate
from schooltech.demo import national, people
from schooltech.estate import selectors as estate_selectors
from schooltech.estate import services as estate_services
from schooltech.organisations.models import Establishment


class Command(BaseCommand):
    help = "Generate realistic ICT estate registers for demos and benchmarks."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--demo", action="store_true", help="The demo schools and the demo trust's schools")
        target.add_argument("--national", action="store_true", help="Every open establishment")
        target.add_argument("--urn", nargs="+", help="These establishments")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--replace", action="store_true", help="Replace registers that already have rows")
        national.add_arguments(parser, chunk_help="Establishments per transaction")
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, default=None, help="Pretend today is (YYYY-MM-DD)"
        )

    def handle(self, *args, **options):
        schools = self._schools(options)
        if not schools:
            raise CommandError("No establishments found: load the GIAS data first (manage.py load_shipped_data)")
        if options["replace"]:
            estate_services.registers_clear(establishments=schools)
        else:
            done = estate_selectors.establishments_with_assets(establishments=schools)
            schools = [school for school in schools if school.pk not in done]
        today = options["today"] or datetime.date.today()

        def work(batch):
            return Counter(generate.generate_for(batch, seed=options["seed"], today=today))

        totals = national.each_chunk(
            schools,
            work,
            job="register generation",
            chunk=options["chunk"],
            processes=options["processes"],
            progress=options["national"] and options["verbosity"] > 0,
        )
        if options["national"]:
            estate_services.generated_registers_analyse()
        skipped = totals.pop("skipped", 0)
        summary = ", ".join(f"{count:,} {name}" for name, count in totals.items()) or "nothing new"
        self.stdout.write(f"Generated registers for {len(schools) - skipped:,} establishments: {summary}")
        if skipped:
            self.stderr.write(f"{skipped} establishments skipped: their data broke the generator (see the log)")

    def _schools(self, options) -> list[Establishment]:
        if options["national"]:
            return national.open_schools("pk", "urn", "number_of_pupils", "capacity", "phase_name")
        if options["demo"]:
            return list(
                Establishment.objects.filter(urn__in=people.demo_school_urns())
                | Establishment.objects.filter(trust__uid=people.DEMO_TRUST_UID)
            )
        found = list(Establishment.objects.filter(urn__in=options["urn"]))
        missing = set(options["urn"]) - {school.urn for school in found}
        if missing:
            raise CommandError(f"No establishment with URN {', '.join(sorted(missing))}")
        return found
