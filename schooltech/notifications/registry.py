"""The reminder kinds and scheduled jobs the other apps register with notifications.

Notifications keeps the outbox, the gateway, people's preferences and the ledger of reminders
sent. Which reminders are due, and who hears about them, belongs to the app whose event it is:
estate (contract notice deadlines), planning (plan actions), standards (the termly and annual
duties) and accounts (access requests waiting). Each registers its kinds and jobs in its
`AppConfig.ready()`, as the estate app registers its register facts with the standards.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# What is due for this person in the next weeks, one line each, for the weekly digest.
DigestLines = Callable[[Any, datetime.date], list[str]]


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder people choose how often to get (immediately, weekly or never)."""

    key: str  # stored in preferences and the ledger: never rename one
    label: str  # the question on the preferences page
    position: int  # its place on the preferences page and in the digest
    digest_heading: str
    digest_lines: DigestLines
    # Whom the preferences page asks about it (everyone when None): the department's own kinds ask
    # only people with a department role.
    applies_to: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class ScheduledJob:
    """One step of `manage.py enqueue_due_notifications`: `run(now=...)` returns how many it queued."""

    name: str
    run: Callable[..., int]
    position: int  # jobs run in this order (escalation before nudges, the digest last)


_kinds: dict[str, ReminderKind] = {}
_jobs: dict[str, ScheduledJob] = {}


def register_kind(kind: ReminderKind) -> None:
    """Add a kind of reminder; registering the same key again replaces it."""
    _kinds[kind.key] = kind


def register_job(job: ScheduledJob) -> None:
    """Add a scheduled job; registering the same name again replaces it."""
    _jobs[job.name] = job


def unregister_job(name: str) -> None:
    """Remove a job (for tests that register one of their own)."""
    _jobs.pop(name, None)


def reminder_kinds(*, user: Any = None) -> list[ReminderKind]:
    """Every kind, or with `user` the kinds that apply to that person."""
    kinds = sorted(_kinds.values(), key=lambda kind: kind.position)
    if user is None:
        return kinds
    return [kind for kind in kinds if kind.applies_to is None or kind.applies_to(user)]


def kind_keys() -> list[str]:
    return [kind.key for kind in reminder_kinds()]


def reminder_kind(key: str) -> ReminderKind:
    return _kinds[key]


def scheduled_jobs() -> list[ScheduledJob]:
    return sorted(_jobs.values(), key=lambda job: job.position)
