"""Jobs that run for many records (scheduled reminders, plan regenerations): one bad record is
logged with its reason and skipped, and every other record still gets done."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from django.tasks import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("schooltech.jobs")


def each_isolated[T](
    records: Iterable[T], act: Callable[[T], int], *, job: str, describe=repr, savepoint: bool = True
) -> int:
    """`act` on each record, adding up what it returns. A record that raises is logged with its
    reason and skipped, so one bad record never stops everyone else's reminders. Each record writes
    in its own savepoint (pass savepoint=False when `act` only reads or computes)."""
    total = 0
    for record in records:
        try:
            if savepoint:
                with transaction.atomic():
                    total += act(record)
            else:
                total += act(record)
        except Exception as error:  # any error in one record's data: skip it, never the whole run
            log_skipped(job=job, record=describe(record), error=error)
    return total


def log_skipped(*, job: str, record: str, error: Exception) -> None:
    logger.error(
        "Scheduled job skipped a record",
        extra={"job": job, "record": record, "reason": f"{type(error).__name__}: {error}"},
        exc_info=error,
    )


def enqueue_unless_waiting(task: Task) -> int:
    """Queue `task` (one that takes no arguments) unless a copy is already waiting or running, so an
    hourly schedule never piles up copies behind a slow or stopped worker. Returns 1 if it queued."""
    waiting = DBTaskResult.objects.filter(
        task_path=task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    if waiting.exists():
        return 0
    task.enqueue()
    return 1
