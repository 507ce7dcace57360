"""Snapshot every sharing school's metrics for this term and aggregate them (safe to run again: the
term's snapshots and aggregates are replaced). `--enqueue` hands the work to the background worker."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from schooltech.insights import services, tasks


class Command(BaseCommand):
    help = "Snapshot the sharing schools' figures for this term and make the national, regional, LA and trust totals."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Take the snapshot as on this date (YYYY-MM-DD), for testing")
        parser.add_argument("--enqueue", action="store_true", help="Queue it for db_worker instead of running it now")

    def handle(self, *args, today=None, enqueue=False, **options):
        if enqueue:
            result = tasks.take_national_snapshot.enqueue()
            self.stdout.write(f"Queued the snapshot task ({result.id})")
            return
        try:
            on = datetime.date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today must be a date like 2026-12-01, not {today!r}") from error
        report = self.stdout.write if options["verbosity"] > 0 else None
        self.stdout.write(self.style.SUCCESS(str(services.snapshots_take(on=on, progress=report))))
