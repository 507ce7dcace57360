"""The national picture's scheduled job: the term's figures, snapshotted again once a day.

Registered with notifications' scheduled run in `InsightsConfig.ready()`. The run only queues the
snapshot (a task: nationally it takes minutes), and only when the current term's figures are a day
old or missing, so an hourly scheduler queues it about once a day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from schooltech.core import jobs
from schooltech.insights import selectors, tasks
from schooltech.insights.terms import term_of
from schooltech.notifications import registry

JOB = "national picture snapshot, daily"
EVERY = timedelta(days=1)


def snapshot_due(*, now: datetime) -> int:
    """Queue the snapshot when this term's figures are older than a day (and none is waiting); 1 if queued."""
    edition = selectors.term_editions().get(term_of(timezone.localdate(now)).key)
    if edition is not None and edition[1] > now - EVERY:
        return 0
    return jobs.enqueue_unless_waiting(tasks.take_national_snapshot)


def register() -> None:
    registry.register_job(registry.ScheduledJob(JOB, snapshot_due, position=90))
