"""Run the reminder jobs every hour, for as long as the service runs (`make dev` starts it).

Each hour one scheduler claims the run (`ScheduledRun`, unique per hour), so several copies of the
service can each run this command: one of them runs the jobs, the others see the hour taken. The
reminder ledger still stops a second email should two runs ever overlap. `--once` looks once and
stops (for a platform's own scheduler, or a test).
"""

import logging
import os
import socket
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from schooltech.notifications import reminders, services

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the reminder jobs once an hour, whichever copy of the service gets there first; --once to look once"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Look once, run the jobs if this hour is due, stop")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="Seconds between looks for a new hour (default 60)"
        )

    def handle(self, *args, once: bool = False, interval: float = 60.0, **options):
        runner = f"{socket.gethostname()}:{os.getpid()}"
        self.stdout.write(f"Scheduler {runner}: running the reminder jobs once an hour")
        try:
            while True:
                try:
                    self.tick(runner, chatty=once or options["verbosity"] > 1)
                except Exception:
                    if once:
                        raise
                    # The database was away, say: log it and look again, rather than stop the scheduler.
                    logger.exception("Scheduler run failed; trying again at the next look")
                if once:
                    return
                time.sleep(max(interval, 1.0))
        except KeyboardInterrupt:  # Ctrl+C in `make dev`
            return

    def tick(self, runner: str, *, chatty: bool) -> None:
        now = timezone.now()
        slot = services.scheduled_run_slot(now)
        results = reminders.scheduled_run(now=now, runner=runner)
        if results is None:
            if chatty:
                self.stdout.write(f"{slot}: already run by a scheduler")
            return
        for name, count in results:
            outcome = "failed (see the log)" if count is None else f"{count} queued"
            self.stdout.write(f"{slot}: {name}: {outcome}")
        self.stdout.flush()
