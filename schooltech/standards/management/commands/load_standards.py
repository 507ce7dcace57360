"""Load the standards catalogue files as data: `manage.py load_standards` (safe to run again)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schooltech.standards import services
from schooltech.standards.catalogue import CATALOGUE_DIR, CatalogueError


class Command(BaseCommand):
    help = "Load the digital and technology standards catalogue; changed files make a new catalogue version."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=CATALOGUE_DIR, help="Catalogue folder to load")

    def handle(self, *args, directory: Path, **options):
        try:
            version, created = services.catalogue_load(directory=directory)
        except CatalogueError as error:
            raise CommandError(f"The catalogue was not loaded: {error}") from None
        standards = version.standards.count()
        if created:
            self.stdout.write(f"Loaded standards catalogue {version.label}: {standards} standards (new version)")
        else:
            self.stdout.write(f"Standards catalogue {version.label} is already loaded: nothing changed")
