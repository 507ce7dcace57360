"""Build technology plans: `--demo` (the demo schools and the demo trust), `--trust UID`, `--urn URN ...`
or `--national` (every open establishment, in chunks on both cores, with a progress bar).

Loads the buying routes and unit prices first (safe to run again). Regenerating keeps every
action's status and the actions added by hand, so running it twice changes nothing. A school
whose data breaks the plan is logged and skipped; every other school still gets its plan.
"""

import datetime
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from schooltech.demo import national, people
from schooltech.organisations.models import Establishment
from schooltech.planning import selectors, services
from schooltech.planning.reference_data import reference_data_load


class Command(BaseCommand):
    help = "Generate technology plans from the registers and standards (deterministic; safe to run again)."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--demo", action="store_true", help="The demo schools and the demo trust's schools")
        target.add_argument("--trust", help="Every open school of this trust (GIAS group UID)")
        target.add_argument("--urn", nargs="+", help="These establishments")
        target.add_argument("--national", action="store_true", help="Every open establishment")
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, default=None, help="Plan from this date (YYYY-MM-DD)"
        )
        national.add_arguments(parser)

    def handle(self, *args, **options):
        reference_data_load()
        if options["national"]:
            self._national(options)
            return
        schools = self._schools(options)
        if not schools:
            raise CommandError("No establishments found: load the GIAS data and demo accounts first")
        started = time.perf_counter()
        results = services.plans_generate(establishments=schools, today=options["today"], isolate_failures=True)
        created = sum(result.created for _, result in results.values())
        updated = sum(result.updated for _, result in results.values())
        self.stdout.write(
            f"Plans for {len(schools)} establishments: {created} actions created, {updated} updated "
            f"({time.perf_counter() - started:.1f} s)"
        )
        if skipped := len(schools) - len(results):
            self.stderr.write(f"{skipped} establishments skipped: their data broke the plan (see the log)")
        if options["demo"]:
            self._demo_budgets(results, set(people.demo_school_urns()))

    def _national(self, options) -> None:
        schools = national.open_schools()
        if not schools:
            raise CommandError("No establishments found: load the GIAS data first (manage.py load_shipped_data)")
        started = time.perf_counter()

        def work(batch):
            results = services.plans_generate(establishments=batch, today=options["today"], isolate_failures=True)
            return {
                "plans": len(results),
                "created": sum(result.created for _, result in results.values()),
                "updated": sum(result.updated for _, result in results.values()),
                "skipped": len(batch) - len(results),
            }

        totals = national.each_chunk(
            schools,
            work,
            job="plan generation",
            chunk=options["chunk"],
            processes=options["processes"],
            progress=options["verbosity"] > 0,
        )
        services.generated_plans_analyse()
        self.stdout.write(
            f"Plans for {totals['plans']:,} establishments: {totals['created']:,} actions created, "
            f"{totals['updated']:,} updated ({time.perf_counter() - started:.1f} s)"
        )
        if totals["skipped"]:
            self.stderr.write(f"{totals['skipped']} establishments skipped: their data broke the plan (see the log)")

    def _demo_budgets(self, results, urns: set[str]) -> None:
        """The demo people's schools get a budget for this financial year and the next, about three
        quarters of the plan's costs, so the budget page shows what does not fit. Never overwrites one."""
        for plan, _ in results.values():
            if plan.establishment.urn not in urns:
                continue
            years = selectors.budget(plan=plan, actions=list(selectors.active_actions(plan=plan)))[:2]
            for year in years:
                if year.budget is not None or not year.total:
                    continue
                amount = (year.total * Decimal("0.75") / 1000).quantize(Decimal("1")) * 1000
                services.plan_budget_set(plan=plan, year_start=year.year.start, amount=amount, user=None)

    def _schools(self, options) -> list[Establishment]:
        open_schools = Establishment.objects.filter(status__in=Establishment.OPEN_STATUSES)
        if options["demo"]:
            return list(
                (
                    Establishment.objects.filter(urn__in=people.demo_school_urns())
                    | open_schools.filter(trust__uid=people.DEMO_TRUST_UID)
                )
                .distinct()
                .order_by("urn")
            )
        if options["trust"]:
            return list(open_schools.filter(trust__uid=options["trust"]).order_by("urn"))
        found = list(Establishment.objects.filter(urn__in=options["urn"]).order_by("urn"))
        missing = set(options["urn"]) - {school.urn for school in found}
        if missing:
            raise CommandError(f"No establishment with URN {', '.join(sorted(missing))}")
        return found
