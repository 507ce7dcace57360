"""Load the GIAS, Ofsted and ONS open data shipped in data/ (trusts, establishments, links). Safe to re-run."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from schooltech.organisations import services
from schooltech.organisations.gias import GiasFileError
from schooltech.organisations.importers import shipped
from schooltech.organisations.models import Establishment, EstablishmentLink, Group, LocalAuthority


class Command(BaseCommand):
    help = (
        "Load the open data shipped in data/: trusts and their schools, all establishments with their phase and "
        "deprivation, and predecessor/successor links."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=None, help="Folder holding the shipped files (default: data/)")
        parser.add_argument("--no-progress", action="store_true", help="Do not show progress bars")

    def handle(self, *args, data_dir=None, no_progress=False, **options):
        started = time.perf_counter()
        progress = not no_progress and options["verbosity"] > 0
        try:
            data = shipped.read_all(data_dir or settings.SHIPPED_DATA_DIR, progress=progress)
        except GiasFileError as error:
            raise CommandError(error.report()) from error
        summaries = services.shipped_data_load(trusts=data.trusts, establishments=data.establishments, links=data.links)
        for summary in summaries:
            self.stdout.write(str(summary))
        self.stdout.write(
            f"Ofsted management information: {data.ofsted_schools:,} open state-funded schools, "
            f"{data.ofsted_academies_in_trusts:,} of them in {data.ofsted_trusts:,} multi-academy trusts"
        )
        self.stdout.write(
            f"Local authority inferred from the ONS district for {data.inferred_local_authorities:,} establishments"
        )
        open_count = Establishment.objects.filter(status__in=Establishment.OPEN_STATUSES).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Database now holds {Establishment.objects.count():,} establishments ({open_count:,} open), "
                f"{Group.objects.count():,} groups, {LocalAuthority.objects.count():,} local authorities and "
                f"{EstablishmentLink.objects.count():,} establishment links "
                f"({time.perf_counter() - started:.1f}s)"
            )
        )
