"""The estate app's reminders: contract notice deadlines.

Registered with notifications in `EstateConfig.ready()`. A school's editors and approvers (and the
contract's owner, when the owner field holds the email address of someone who can see the school)
are reminded 90 and 30 days before the date notice must be given.

Another app may know a contract needs no reminder (the plan's "give notice or renew" action marked
done): it says so through `register_settled_contracts`, as the planning app does, so the estate
app never reads that app's tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from schooltech.accounts import policy
from schooltech.accounts.selectors import SchoolPeople, owner_email
from schooltech.core import jobs
from schooltech.core.dates import govuk_date
from schooltech.estate import selectors
from schooltech.estate.models import Contract
from schooltech.notifications import registry, reminders

KIND = "contract_notice"
JOB = "contract notice deadlines"
# Days before a contract's notice deadline that its reminders fall due, furthest first.
CONTRACT_NOTICE_DAYS = (90, 30)

# Given contract ids, those some other app has settled (nothing left to remind).
SettledContracts = Callable[[list[int]], set[int]]
_settled_providers: list[SettledContracts] = []


def register_settled_contracts(provider: SettledContracts) -> None:
    if provider not in _settled_providers:
        _settled_providers.append(provider)


def _settled(contract_ids: list[int]) -> set[int]:
    settled: set[int] = set()
    for provider in _settled_providers:
        settled |= provider(contract_ids)
    return settled


def contract_notice_occurrence(deadline: date, today: date) -> tuple[int, date] | None:
    """Which reminder (days before) is due for this deadline today, and the date it fell due.

    The 90-day reminder is due from 90 days before the deadline until the 30-day one takes over,
    which is due until the deadline itself; after the deadline nothing is.
    """
    if today > deadline:
        return None
    for days in sorted(CONTRACT_NOTICE_DAYS):
        fell_due = deadline - timedelta(days=days)
        if today >= fell_due:
            return days, fell_due
    return None


def _describe(contract: Contract) -> str:
    return f"contract {contract.pk} (school {contract.establishment_id}, notice {contract.notice_days} days)"


def deadlines_between(*, start: date, end: date, establishments=None, job: str = JOB) -> list[tuple[Contract, date]]:
    """Contracts not yet settled whose notice deadline falls from start to end, soonest first. A
    contract whose deadline cannot be worked out (stored before notice periods were bounded) is
    logged and skipped."""
    candidates = list(selectors.contracts_with_notice_between(start=start, end=end, establishments=establishments))
    settled = _settled([contract.pk for contract in candidates])
    found: list[tuple[Contract, date]] = []

    def keep_if_due(contract: Contract) -> int:
        deadline = contract.notice_deadline
        if deadline is None:  # the candidates all have both dates, so the notice period leaves the calendar
            raise ValueError(
                f"no notice deadline: {contract.notice_days} days before {contract.end_date} is not a date"
            )
        if start <= deadline <= end and contract.pk not in settled:
            found.append((contract, deadline))
        return 0

    jobs.each_isolated(candidates, keep_if_due, job=job, describe=_describe, savepoint=False)
    return sorted(found, key=lambda pair: (pair[1], pair[0].pk))


def _contract_url(contract: Contract) -> str:
    return reminders.absolute(
        reverse("estate:contracts_detail", kwargs={"urn": contract.establishment.urn, "contract_id": contract.pk})
    )


def _remind(contract: Contract, deadline: date, *, people: SchoolPeople, today: date, now: datetime) -> int:
    _, fell_due = contract_notice_occurrence(deadline, today)
    return reminders.send_to_each(
        people.for_school(contract.establishment, owner=contract.owner),
        kind=KIND,
        subjects=[(contract, fell_due)],
        template_key="contract_notice_reminder",
        personalisation={
            "organisation_name": contract.establishment.name,
            "supplier": contract.supplier,
            "contract_title": contract.title,
            "notice_deadline": govuk_date(deadline),
            "days_left": reminders.days_text((deadline - today).days),
            "end_date": govuk_date(contract.end_date),
            "contract_url": _contract_url(contract),
            "preferences_url": reminders.preferences_url(),
        },
        organisation=contract.establishment,
        now=now,
    )


def contract_notice_deadlines(*, now: datetime) -> int:
    """Remind each school's people 90 and 30 days before a contract's notice deadline."""
    today = timezone.localdate(now)
    people = SchoolPeople()
    due = deadlines_between(start=today, end=today + timedelta(days=max(CONTRACT_NOTICE_DAYS)))
    return jobs.each_isolated(
        due,
        lambda pair: _remind(*pair, people=people, today=today, now=now),
        job=JOB,
        describe=lambda pair: _describe(pair[0]),
    )


def digest_lines(user, today: date) -> list[str]:
    """Deadlines in the digest's weeks at schools this person edits, or for contracts they own."""
    editable = set(policy.establishments_for(user, "edit").values_list("pk", flat=True))
    found = deadlines_between(
        start=today,
        end=today + reminders.DIGEST_HORIZON,
        establishments=policy.establishments_for(user, "view"),
        job=f"weekly digest: {KIND}",
    )
    return [
        f"{contract.establishment.name}: give notice on the {contract.supplier} contract "
        f"({contract.title}) by {govuk_date(deadline)}"
        for contract, deadline in found
        if contract.establishment_id in editable or owner_email(contract.owner) == user.email.lower()
    ]


def register() -> None:
    registry.register_kind(
        registry.ReminderKind(
            KIND,
            "Contract notice deadlines",
            position=10,
            digest_heading="Contract notice deadlines",
            digest_lines=digest_lines,
        )
    )
    registry.register_job(registry.ScheduledJob(JOB, contract_notice_deadlines, position=30))
