"""The scheduled run, and what every app's reminders share.

`enqueue_due` runs the jobs the apps registered (`registry.py`), in order. A reminder is recorded
in the SentReminder ledger in the same transaction as its email, keyed by person, kind, subject
and occurrence date, so running twice queues nothing new; reminders are sent in windows rather
than on one exact day, so a day the scheduler missed is caught up.

Failure is isolated: one record that raises (a contract whose notice period overflows the
calendar, a school whose data breaks a rule) is logged with its reason and skipped, in its own
savepoint, and every other record still goes out; a job that fails as a whole is logged and the
next job still runs.

Each person's preferences (selectors.wants) decide what they get: "immediately" gets each kind's
own reminders, "weekly" gets the kind only in the weekly digest composed here from what each kind
registered, "never" gets nothing. See docs/notifications.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from schooltech.core.dates import govuk_date
from schooltech.core.jobs import each_isolated, log_skipped
from schooltech.notifications import registry, selectors, services
from schooltech.notifications.models import WEEKLY_DIGEST, Frequency

logger = logging.getLogger(__name__)

DIGEST_WEEKDAY = 0  # Monday
DIGEST_HORIZON = timedelta(weeks=4)
DIGEST_ITEMS_PER_SECTION = 15


# What every reminder shares ------------------------------------------------------------------------


def absolute(path: str) -> str:
    return f"{settings.SERVICE_BASE_URL.rstrip('/')}{path}"


def preferences_url() -> str:
    return absolute(reverse("notifications:preferences"))


def days_text(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"* {line}" for line in lines)


def send_to_each(
    people: Iterable,
    *,
    kind: str,
    subjects: list[tuple[Model, date]],
    template_key: str,
    personalisation: dict[str, str],
    organisation: Model | None,
    now: datetime,
) -> int:
    """Queue the reminder for each person who wants it now and has not had it; returns how many."""
    reminded: set[int] = set()
    for subject, occurrence in subjects:
        reminded |= selectors.already_reminded(kind=kind, subject=subject, occurrence=occurrence)
    count = 0
    for person in people:
        if person.pk in reminded or not selectors.wants(user=person, kind=kind, frequency=Frequency.IMMEDIATELY):
            continue
        message = services.reminder_send(
            user=person,
            kind=kind,
            subjects=subjects,
            template_key=template_key,
            personalisation=personalisation,
            organisation=organisation,
            now=now,
        )
        count += message is not None
    return count


# The weekly digest -------------------------------------------------------------------------------------


def digest_week_start(today: date) -> date:
    """The digest day on or before today: each week's digest is sent on it, or the next run after."""
    return today - timedelta(days=(today.weekday() - DIGEST_WEEKDAY) % 7)


def _section(kind: registry.ReminderKind, user, today: date) -> str:
    lines = kind.digest_lines(user, today)
    if not lines:
        return ""
    shown = lines[:DIGEST_ITEMS_PER_SECTION]
    text = f"{kind.digest_heading}:\n\n{bullets(shown)}"
    if len(lines) > len(shown):
        text += f"\n\nand {len(lines) - len(shown)} more. Sign in to see them all."
    return text


def digest_items(user, today: date) -> str:
    """The digest's text: a section per kind this person chose weekly, with what each kind's app says
    is due for them in the next 4 weeks across their organisations. Empty when nothing is.

    A kind whose lines fail for this person is logged and left out; the other sections still go."""
    sections = []
    for key in selectors.weekly_kinds(user=user):
        kind = registry.reminder_kind(key)
        try:
            with transaction.atomic():
                sections.append(_section(kind, user, today))
        except Exception as error:  # one kind's data must not stop this person's digest
            log_skipped(job=f"weekly digest: {kind.key}", record=f"user {user.pk}", error=error)
    return "\n\n".join(section for section in sections if section)


def _send_digest(user, *, today: date, week_start: date, now: datetime) -> int:
    if user.pk in selectors.already_reminded(kind=WEEKLY_DIGEST, subject=user, occurrence=week_start):
        return 0
    items = digest_items(user, today)
    personalisation = None
    if items:
        personalisation = {
            "week_start": govuk_date(week_start),
            "items": items,
            "service_url": absolute("/"),
            "preferences_url": preferences_url(),
        }
    message = services.reminder_send(
        user=user,
        kind=WEEKLY_DIGEST,
        subjects=[(user, week_start)],
        template_key="weekly_digest",
        personalisation=personalisation,
        now=now,
    )
    return int(message is not None)


def weekly_digest(*, now: datetime) -> int:
    """Each week, one email per person bundling the kinds they chose to get weekly."""
    today = timezone.localdate(now)
    week_start = digest_week_start(today)
    return each_isolated(
        selectors.digest_readers(),
        lambda user: _send_digest(user, today=today, week_start=week_start, now=now),
        job="weekly digests",
        describe=lambda user: f"user {user.pk}",
    )


# The run ----------------------------------------------------------------------------------------------


def outbox_retries_due(*, now: datetime) -> int:
    """Re-enqueue messages whose retry is due or whose worker died, so nothing is lost."""
    return services.outbox_due_enqueue(now=now)


OUTBOX_RETRIES = registry.ScheduledJob("emails due a retry", outbox_retries_due, position=0)
WEEKLY_DIGESTS = registry.ScheduledJob("weekly digests", weekly_digest, position=100)


def enqueue_due(*, now: datetime) -> list[tuple[str, int | None]]:
    """Run every registered job in order: (name, how many it queued), or None for a job that failed."""
    results: list[tuple[str, int | None]] = []
    for job in registry.scheduled_jobs():
        try:
            results.append((job.name, job.run(now=now)))
        except Exception as error:  # a failed job is logged; the next job still runs
            log_skipped(job=job.name, record="the whole job", error=error)
            results.append((job.name, None))
    return results


def scheduled_run(*, now: datetime, runner: str) -> list[tuple[str, int | None]] | None:
    """The scheduler's hourly run: claim the hour, run every job, record what each queued.

    None when another scheduler already ran this hour (two copies of the service never both run it).
    """
    slot = services.scheduled_run_claim(now=now, runner=runner)
    if slot is None:
        return None
    results = enqueue_due(now=now)
    services.scheduled_run_finish(slot=slot, results=results)
    return results
