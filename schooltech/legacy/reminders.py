"""The legacy register's reminders, through the outbox (registered in `LegacyConfig.ready()`).

Only people with a department role hear about the department's own technology:

- a remediation milestone: 30 and 7 days before it is due, and once the day after if it is not
  done; to service owners and risk reviewers (`decide_legacy`);
- software's support end: 180 and 60 days before; to service owners and architects (`edit_legacy`);
- a supplier contract's notice date: 90 and 30 days before; to service owners and architects;
- the quarterly review: in the first 14 days of each quarter (1 January, April, July, October), the
  red and amber services and overdue milestones; to every department role (`view_legacy`).

Each reminder falls due in a window (from its day until the next one takes over), so a day the
scheduler missed is caught up, and the ledger (SentReminder) keeps it to once per person and
occurrence. One record that fails is logged and skipped (core/jobs.py); the others still go.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from schooltech.accounts import policy
from schooltech.core import jobs
from schooltech.core.dates import govuk_date
from schooltech.legacy import selectors
from schooltech.legacy.scoring import Rating
from schooltech.notifications import registry, reminders

KIND = "legacy_technology"
JOB = "the department's legacy technology"
MILESTONE_DAYS = (30, 7)
SUPPORT_DAYS = (180, 60)
NOTICE_DAYS = (90, 30)
REVIEW_WINDOW = datetime.timedelta(days=14)
DATES_TEMPLATE = "legacy_date_due"
REVIEW_TEMPLATE = "legacy_quarterly_review"


def occurrence(day: datetime.date, today: datetime.date, days_before: tuple[int, ...]) -> datetime.date | None:
    """The date the reminder now due for `day` fell due, or None: each reminder is due from its number
    of days before until the next, nearer one takes over, and until `day` itself."""
    if today > day:
        return None
    for days in sorted(days_before):
        fell_due = day - datetime.timedelta(days=days)
        if today >= fell_due:
            return fell_due
    return None


def quarter_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


@dataclass(frozen=True)
class Due:
    """One date in the register a reminder is due about."""

    subject: Model
    service: Model
    event: str  # "Support for Java 8 ends"
    day: datetime.date
    fell_due: datetime.date
    action: str  # who hears: a department action

    def days_left(self, today: datetime.date) -> str:
        if self.day < today:
            return f"overdue since {govuk_date(self.day)}"
        return reminders.days_text((self.day - today).days)


def _milestones(today: datetime.date, horizon: datetime.date) -> list[Due]:
    found = []
    for milestone in selectors.milestones_not_done(due_before=horizon):
        event = f"Milestone “{milestone.title}” (owner {milestone.owner}) is due"
        if milestone.due_on < today:
            found.append(
                Due(
                    milestone,
                    milestone.service,
                    f"Milestone “{milestone.title}” (owner {milestone.owner}) is overdue",
                    milestone.due_on,
                    milestone.due_on + datetime.timedelta(days=1),
                    "decide_legacy",
                )
            )
            continue
        fell_due = occurrence(milestone.due_on, today, MILESTONE_DAYS)
        if fell_due:
            found.append(Due(milestone, milestone.service, event, milestone.due_on, fell_due, "decide_legacy"))
    return found


def _support_ends(today: datetime.date) -> list[Due]:
    found = []
    for software in selectors.software_support_ending(
        start=today, end=today + datetime.timedelta(days=max(SUPPORT_DAYS))
    ):
        fell_due = occurrence(software.support_ends, today, SUPPORT_DAYS)
        if fell_due:
            found.append(
                Due(
                    software,
                    software.service,
                    f"Support for {software} ends",
                    software.support_ends,
                    fell_due,
                    "edit_legacy",
                )
            )
    return found


def _notice_dates(today: datetime.date) -> list[Due]:
    found = []
    for contract in selectors.contracts_notice_between(
        start=today, end=today + datetime.timedelta(days=max(NOTICE_DAYS))
    ):
        fell_due = occurrence(contract.notice_by, today, NOTICE_DAYS)
        if fell_due:
            event = f"Notice must be given on the {contract.supplier} contract"
            found.append(Due(contract, contract.service, event, contract.notice_by, fell_due, "edit_legacy"))
    return found


def due_on(today: datetime.date) -> list[Due]:
    """Every register date with a reminder due today, soonest first."""
    horizon = today + datetime.timedelta(days=max(MILESTONE_DAYS))
    found = _milestones(today, horizon) + _support_ends(today) + _notice_dates(today)
    return sorted(found, key=lambda due: (due.day, due.event))


def _service_url(service) -> str:
    return reminders.absolute(reverse("legacy:service", kwargs={"service_id": service.pk}))


def _remind(due: Due, *, people: dict[str, list], today: datetime.date, now: datetime.datetime) -> int:
    return reminders.send_to_each(
        people[due.action],
        kind=KIND,
        subjects=[(due.subject, due.fell_due)],
        template_key=DATES_TEMPLATE,
        personalisation={
            "service_name": due.service.name,
            "event": due.event,
            "date": govuk_date(due.day),
            "days_left": due.days_left(today),
            "service_url": _service_url(due.service),
            "preferences_url": reminders.preferences_url(),
        },
        organisation=None,
        now=now,
    )


def _review_lines(today: datetime.date) -> list[str]:
    lines = [
        f"{risk.service.name}: {risk.rating}, {risk.score} out of 30"
        for risk in selectors.register(today=today)
        if risk.rating in (Rating.RED, Rating.AMBER)
    ]
    lines += [
        f"{milestone.service.name}: milestone “{milestone.title}” was due {govuk_date(milestone.due_on)}"
        for milestone in selectors.overdue_milestones(today=today)
    ]
    return lines or ["No red or amber services and no overdue milestones"]


def _review(person, *, start: datetime.date, lines: list[str], now: datetime.datetime) -> int:
    quarter = f"{govuk_date(start)} to {govuk_date(_quarter_end(start))}"
    return reminders.send_to_each(
        [person],
        kind=KIND,
        subjects=[(person, start)],
        template_key=REVIEW_TEMPLATE,
        personalisation={
            "quarter": quarter,
            "services": reminders.bullets(lines),
            "register_url": reminders.absolute(reverse("legacy:register")),
            "preferences_url": reminders.preferences_url(),
        },
        organisation=None,
        now=now,
    )


def _quarter_end(start: datetime.date) -> datetime.date:
    month = start.month + 3
    following = datetime.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _describe(due: Due) -> str:
    return f"{due.subject._meta.model_name} {due.subject.pk} (legacy service {due.service.pk})"


def legacy_reminders(*, now: datetime.datetime) -> int:
    """Milestones, support ends and contract notice dates coming up; the quarterly review."""
    today = timezone.localdate(now)
    people = {action: list(policy.department_people(action)) for action in ("decide_legacy", "edit_legacy")}
    count = jobs.each_isolated(
        due_on(today),
        lambda due: _remind(due, people=people, today=today, now=now),
        job=JOB,
        describe=_describe,
    )
    start = quarter_start(today)
    if today < start + REVIEW_WINDOW:
        lines = _review_lines(today)
        count += jobs.each_isolated(
            list(policy.department_people("view_legacy")),
            lambda person: _review(person, start=start, lines=lines, now=now),
            job=f"{JOB}: quarterly review",
            describe=lambda person: f"user {person.pk}",
        )
    return count


def digest_lines(user, today: datetime.date) -> list[str]:
    """For the weekly digest: register dates in the next 4 weeks, for people with a department role."""
    if not policy.can_department(user, "view_legacy"):
        return []
    end = today + reminders.DIGEST_HORIZON
    lines = [
        f"{milestone.service.name}: milestone “{milestone.title}” "
        + (
            f"overdue since {govuk_date(milestone.due_on)}"
            if milestone.due_on < today
            else f"due {govuk_date(milestone.due_on)}"
        )
        for milestone in selectors.milestones_not_done(due_before=end)
    ]
    lines += [
        f"{software.service.name}: support for {software} ends {govuk_date(software.support_ends)}"
        for software in selectors.software_support_ending(start=today, end=end)
    ]
    lines += [
        f"{contract.service.name}: give notice on the {contract.supplier} contract by {govuk_date(contract.notice_by)}"
        for contract in selectors.contracts_notice_between(start=today, end=end)
    ]
    return lines


def register() -> None:
    registry.register_kind(
        registry.ReminderKind(
            KIND,
            "The department’s legacy technology (department roles only)",
            position=50,
            digest_heading="The department’s legacy technology",
            digest_lines=digest_lines,
            applies_to=lambda user: policy.can_department(user, "view_legacy"),
        )
    )
    registry.register_job(registry.ScheduledJob(JOB, legacy_reminders, position=60))
