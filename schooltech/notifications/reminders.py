"""What the scheduler enqueues: each kind of due email is one small function in REMINDERS.

Each function takes `now`, queues what is due through the outbox (with a dedupe key, so running
twice queues nothing new) and returns how many it queued. Later work adds contract notice
deadlines, plan actions, the standards' termly and annual checks and the weekly digest here,
each reading people's preferences through selectors.wants().
"""

from collections.abc import Callable
from datetime import datetime

from schooltech.notifications import services


def outbox_retries_due(*, now: datetime) -> int:
    """Re-enqueue messages whose retry is due or whose worker died, so nothing is lost."""
    return services.outbox_due_enqueue(now=now)


def access_requests_waiting(*, now: datetime) -> int:
    """Pass access requests nobody answered in time to support (the accounts app's rule)."""
    from schooltech.accounts import services as account_services

    return account_services.access_requests_escalate(now=now)


REMINDERS: list[tuple[str, Callable[..., int]]] = [
    ("emails due a retry", outbox_retries_due),
    ("access requests waiting for an approver", access_requests_waiting),
]


def enqueue_due(*, now: datetime) -> list[tuple[str, int]]:
    return [(name, reminder(now=now)) for name, reminder in REMINDERS]
