"""Load the training catalogue (schooltech/training/data/catalogue.yaml). Safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from schooltech.training import services
from schooltech.training.catalogue import CatalogueError


class Command(BaseCommand):
    help = "Load the training catalogue from schooltech/training/data/catalogue.yaml (after load_standards)"

    def handle(self, *args, **options):
        try:
            result = services.catalogue_load()
        except CatalogueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Training catalogue: {result.added} added, {result.updated} updated, "
            f"{result.kept} kept as support corrected them, {result.retired} retired"
        )
