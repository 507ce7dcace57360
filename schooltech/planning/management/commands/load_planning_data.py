from django.core.management.base import BaseCommand, CommandError

from schooltech.planning.reference_data import ReferenceDataError, reference_data_load


class Command(BaseCommand):
    help = "Load the buying routes and unit prices shipped in schooltech/planning/data (safe to run again)."

    def handle(self, *args, **options):
        try:
            result = reference_data_load()
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Buying routes: {result.routes_written} written, {result.routes_unchanged} unchanged. "
            f"Unit prices: {result.prices_added} added."
        )
