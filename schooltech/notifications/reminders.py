"""What the scheduler enqueues: each kind of due email is one small function in REMINDERS.

Each function takes `now`, queues what is due through the outbox and returns how many emails it
queued. Reminders are recorded in the SentReminder ledger in the same transaction as the email,
keyed by person, kind, subject and occurrence date, so running twice queues nothing new; and they
are sent in windows rather than on one exact day, so a day the scheduler missed is caught up.

Each person's preferences (selectors.wants) decide what they get: "immediately" gets the reminders
below, "weekly" gets the kind only in the weekly digest, "never" gets nothing. See docs/notifications.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Max, Model, Q
from django.urls import reverse
from django.utils import timezone

from schooltech.core.dates import govuk_date
from schooltech.notifications import selectors, services
from schooltech.notifications.models import WEEKLY_DIGEST, Frequency, ReminderKind

# Days before a contract's notice deadline that its reminders fall due, furthest first.
CONTRACT_NOTICE_DAYS = (90, 30)
# Days before a plan action's due date that its reminder falls due (and once more when overdue).
PLAN_ACTION_DUE_SOON_DAYS = 14
# Plan actions reminded by another kind instead: the standards' recurring duties, and giving notice
# on a contract (the plan's key for it is "contract-notice:<contract id>").
PLAN_DUTY_RULE = "recurring_duties"
PLAN_CONTRACT_NOTICE_KEY = "contract-notice:"
OPEN_ACTION_STATUSES = ("planned", "in_progress")
DIGEST_WEEKDAY = 0  # Monday
DIGEST_HORIZON = timedelta(weeks=4)
DIGEST_ITEMS_PER_SECTION = 15
ANNUAL_DUTY_MONTH = 12  # the plan schedules annual duties by the end of the autumn term, 31 December


# Shared helpers ------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.SERVICE_BASE_URL.rstrip('/')}{path}"


def _preferences_url() -> str:
    return _absolute(reverse("notifications:preferences"))


def long_date(day: date) -> str:
    """GOV.UK style: 1 March 2027."""
    return govuk_date(day)


def days_text(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def _bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"* {line}" for line in lines)


def _send_to_each(
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


class People:
    """Who a school's reminders go to, with each person read once per run (so their memberships and
    preferences are too)."""

    def __init__(self) -> None:
        self._editors: dict[int, list] = {}
        self._users: dict[int, object] = {}

    def _same(self, user):
        return self._users.setdefault(user.pk, user)

    def for_school(self, establishment, *, owner: str = "") -> list:
        if establishment.pk not in self._editors:
            editors = selectors.school_editors(establishment=establishment)
            self._editors[establishment.pk] = [self._same(user) for user in editors]
        people = list(self._editors[establishment.pk])
        owner_user = selectors.owner_user(owner=owner, establishment=establishment) if owner else None
        if owner_user is not None and owner_user.pk not in {person.pk for person in people}:
            people.append(self._same(owner_user))
        return people


# Contract notice deadlines -----------------------------------------------------------------------------


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


def contracts_with_deadlines(*, start: date, end: date, establishments=None) -> Iterator[tuple[Model, date]]:
    """Contracts whose notice deadline (end date minus notice period) falls from start to end."""
    from schooltech.estate.models import Contract

    contracts = Contract.objects.filter(end_date__isnull=False, notice_days__isnull=False, end_date__gte=start)
    if establishments is not None:
        contracts = contracts.filter(establishment__in=establishments)
    longest_notice = contracts.aggregate(longest=Max("notice_days"))["longest"]
    if longest_notice is None:
        return
    contracts = contracts.filter(end_date__lte=end + timedelta(days=longest_notice)).select_related("establishment")
    found = sorted(
        ((contract, contract.notice_deadline) for contract in contracts if start <= contract.notice_deadline <= end),
        key=lambda pair: (pair[1], pair[0].pk),
    )
    decided = _contracts_decided_in_plans([contract.pk for contract, _ in found])
    yield from ((contract, deadline) for contract, deadline in found if contract.pk not in decided)


def _contracts_decided_in_plans(contract_ids: list[int]) -> set[int]:
    """Contracts whose plan action to give notice or renew is marked done: nothing left to remind."""
    from schooltech.planning.models import PlanAction

    keys = PlanAction.objects.filter(
        status="done", key__in=[f"{PLAN_CONTRACT_NOTICE_KEY}{pk}" for pk in contract_ids]
    ).values_list("key", flat=True)
    return {int(key.removeprefix(PLAN_CONTRACT_NOTICE_KEY)) for key in keys}


def _contract_url(contract) -> str:
    return _absolute(
        reverse("estate:contracts_detail", kwargs={"urn": contract.establishment.urn, "contract_id": contract.pk})
    )


def contract_notice_deadlines(*, now: datetime) -> int:
    """Remind a school's editors and approvers (and the contract's owner, if a user) 90 and 30 days
    before the date notice must be given."""
    today = timezone.localdate(now)
    people = People()
    count = 0
    horizon = today + timedelta(days=max(CONTRACT_NOTICE_DAYS))
    for contract, deadline in contracts_with_deadlines(start=today, end=horizon):
        _, fell_due = contract_notice_occurrence(deadline, today)
        count += _send_to_each(
            people.for_school(contract.establishment, owner=contract.owner),
            kind=ReminderKind.CONTRACT_NOTICE,
            subjects=[(contract, fell_due)],
            template_key="contract_notice_reminder",
            personalisation={
                "organisation_name": contract.establishment.name,
                "supplier": contract.supplier,
                "contract_title": contract.title,
                "notice_deadline": long_date(deadline),
                "days_left": days_text((deadline - today).days),
                "end_date": long_date(contract.end_date),
                "contract_url": _contract_url(contract),
                "preferences_url": _preferences_url(),
            },
            organisation=contract.establishment,
            now=now,
        )
    return count


# Plan actions ------------------------------------------------------------------------------------------


def open_plan_actions(*, due_by: date, establishments=None):
    """Active plan actions not done or deferred, due by a date (overdue ones included), without those
    another kind reminds (the standards' recurring duties, giving notice on a contract)."""
    from schooltech.planning.models import PlanAction

    actions = PlanAction.objects.filter(is_active=True, status__in=OPEN_ACTION_STATUSES, due_date__lte=due_by).exclude(
        Q(rule_key=PLAN_DUTY_RULE) | Q(key__startswith=PLAN_CONTRACT_NOTICE_KEY)
    )
    if establishments is not None:
        actions = actions.filter(establishment__in=establishments)
    return actions.select_related("establishment").order_by("establishment_id", "due_date", "priority", "pk")


def plan_action_occurrence(due: date, today: date) -> tuple[str, date]:
    """("due", the day it fell due soon) up to and including the due date, then ("overdue", the day after)."""
    if today <= due:
        return "due", due - timedelta(days=PLAN_ACTION_DUE_SOON_DAYS)
    return "overdue", due + timedelta(days=1)


def _action_line(action) -> str:
    owner = f" (owner: {action.owner})" if action.owner else ""
    return f"{action.title}, due {long_date(action.due_date)}{owner}"


def _plan_url(establishment) -> str:
    return _absolute(reverse("planning:list", kwargs={"urn": establishment.urn}))


def plan_actions_due(*, now: datetime) -> int:
    """Remind a school's editors and approvers (and each action's owner, if a user) of plan actions
    due in the next 14 days, and once when an action is overdue: one email per person, school and stage."""
    today = timezone.localdate(now)
    people = People()
    emails: dict[tuple[int, int, str], tuple[object, object, list]] = {}
    for action in open_plan_actions(due_by=today + timedelta(days=PLAN_ACTION_DUE_SOON_DAYS)):
        stage, _ = plan_action_occurrence(action.due_date, today)
        for person in people.for_school(action.establishment, owner=action.owner):
            key = (person.pk, action.establishment_id, stage)
            emails.setdefault(key, (person, action.establishment, []))[2].append(action)
    count = 0
    for (_, _, stage), (person, establishment, actions) in emails.items():
        count += _plan_actions_email(person, establishment, stage, actions, today=today, now=now)
    return count


def _plan_actions_email(person, establishment, stage: str, actions: list, *, today: date, now: datetime) -> int:
    """One email listing the actions this person has not yet been reminded of at this stage."""
    if not selectors.wants(user=person, kind=ReminderKind.PLAN_ACTION_DUE):
        return 0
    subjects = [(action, plan_action_occurrence(action.due_date, today)[1]) for action in actions]
    reminded = selectors.reminded_users(kind=ReminderKind.PLAN_ACTION_DUE, subjects=subjects)
    fresh = [(action, on) for action, on in subjects if person.pk not in reminded.get((str(action.pk), on), set())]
    if not fresh:
        return 0
    message = services.reminder_send(
        user=person,
        kind=ReminderKind.PLAN_ACTION_DUE,
        subjects=fresh,
        template_key="plan_actions_due" if stage == "due" else "plan_actions_overdue",
        personalisation={
            "organisation_name": establishment.name,
            "actions": _bullets(_action_line(action) for action, _ in fresh),
            "plan_url": _plan_url(establishment),
            "preferences_url": _preferences_url(),
        },
        organisation=establishment,
        now=now,
    )
    return int(message is not None)


# The standards' termly and annual duties ----------------------------------------------------------------


@dataclass(frozen=True)
class DutyRound:
    """The duties of one cadence falling due together: this term's termly ones, or this year's annual ones."""

    cadence: str
    code: str  # the plan's occurrence code: "2026-autumn" for a term, "2026" for a school year
    period: str  # "autumn term 2026", "2026 to 2027 school year"
    starts: date  # when its reminder falls due
    due: date


def duty_rounds(today: date) -> list[DutyRound]:
    """The rounds whose reminder is due today: the current term's (from its first day) and, in
    December, the school year's annual duties (the plan's schedule: by 31 December)."""
    from schooltech.core import calendar

    term = calendar.term_of(today)
    rounds = [DutyRound("termly", term.code, term.label.lower(), term.start, term.end)]
    if today.month == ANNUAL_DUTY_MONTH:
        year = calendar.academic_year_of(today)
        rounds.append(
            DutyRound(
                "annual",
                str(year),
                f"{calendar.academic_year_label(year)} school year",
                date(today.year, ANNUAL_DUTY_MONTH, 1),
                date(today.year, 12, 31),
            )
        )
    return rounds


def schools_with_standards_work():
    """Schools that have submitted a self-assessment or have a technology plan."""
    from schooltech.organisations.models import Establishment

    return Establishment.objects.filter(
        Q(standards_assessments__state="submitted") | Q(technology_plan__isnull=False)
    ).distinct()


def duties_outstanding(establishment, round_: DutyRound, duties: list) -> list:
    """The round's duties, less those the school's plan already marks done for this term or year."""
    from schooltech.planning.models import PlanAction

    done = set(
        PlanAction.objects.filter(
            establishment=establishment, status="done", key__in=[f"duty:{duty.key}:{round_.code}" for duty in duties]
        ).values_list("key", flat=True)
    )
    return [duty for duty in duties if f"duty:{duty.key}:{round_.code}" not in done]


def _duty_line(duty) -> str:
    return f"{duty.title} ({duty.standard.title} standard, usually done by: {duty.usually_done_by})"


def standards_duties(*, now: datetime) -> int:
    """At the start of each term (termly duties) and in December (annual duties), remind the editors
    and approvers of each school that has assessed itself or has a plan."""
    from schooltech.standards import selectors as standards_selectors

    today = timezone.localdate(now)
    duties = list(standards_selectors.current_duties())
    people = People()
    count = 0
    for round_ in duty_rounds(today):
        round_duties = [duty for duty in duties if duty.cadence == round_.cadence]
        if not round_duties:
            continue
        for school in schools_with_standards_work().order_by("pk"):
            outstanding = duties_outstanding(school, round_, round_duties)
            if not outstanding:
                continue
            count += _send_to_each(
                people.for_school(school),
                kind=ReminderKind.STANDARDS_DUTY,
                subjects=[(school, round_.starts)],
                template_key="standards_duties_due",
                personalisation={
                    "organisation_name": school.name,
                    "period": round_.period,
                    "due_date": long_date(round_.due),
                    "duties": _bullets(_duty_line(duty) for duty in outstanding),
                    "standards_url": _absolute(reverse("standards:overview", kwargs={"urn": school.urn})),
                    "preferences_url": _preferences_url(),
                },
                organisation=school,
                now=now,
            )
    return count


# Access requests ---------------------------------------------------------------------------------------


def _review_url(access_request) -> str:
    return _absolute(
        reverse(
            "accounts:request_review",
            kwargs={"organisation": access_request.organisation_ref, "access_request_id": access_request.pk},
        )
    )


def _display_name(user) -> str:
    return user.get_full_name() or user.email


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def access_requests_waiting(*, now: datetime) -> int:
    """Pass access requests nobody answered in time to support (the accounts app's rule)."""
    from schooltech.accounts import services as account_services

    return account_services.access_requests_escalate(now=now)


def access_requests_nudge(*, now: datetime) -> int:
    """Nudge the organisation's approvers about a request waiting ACCESS_REQUEST_NUDGE_DAYS; runs after
    the escalation above, so a request already passed to support is left to support."""
    waited = timedelta(days=settings.ACCESS_REQUEST_NUDGE_DAYS)
    count = 0
    for access_request in selectors.access_requests_unanswered(waited_since=now - waited):
        organisation = access_request.organisation
        count += _send_to_each(
            selectors.approvers_of(organisation=organisation),
            kind=ReminderKind.ACCESS_REQUEST_WAITING,
            subjects=[(access_request, timezone.localdate(access_request.created_at + waited))],
            template_key="access_request_waiting",
            personalisation={
                "organisation_name": access_request.organisation_name,
                "requester_name": _display_name(access_request.requester),
                "requester_email": access_request.requester.email,
                "days_waiting": _days((now - access_request.created_at).days),
                "review_url": _review_url(access_request),
                "preferences_url": _preferences_url(),
            },
            organisation=organisation if isinstance(organisation, Model) else None,
            now=now,
        )
    return count


# The weekly digest -------------------------------------------------------------------------------------


def digest_week_start(today: date) -> date:
    """The digest day on or before today: each week's digest is sent on it, or the next run after."""
    return today - timedelta(days=(today.weekday() - DIGEST_WEEKDAY) % 7)


def _editable_ids(user) -> set[int]:
    from schooltech.accounts import policy

    return set(policy.establishments_for(user, "edit").values_list("pk", flat=True))


def _owns(user, owner: str) -> bool:
    return selectors.owner_email(owner) == user.email.lower()


def _contract_digest_lines(user, today: date) -> list[str]:
    from schooltech.accounts import policy

    editable = _editable_ids(user)
    lines = []
    found = contracts_with_deadlines(
        start=today, end=today + DIGEST_HORIZON, establishments=policy.establishments_for(user, "view")
    )
    for contract, deadline in found:
        if contract.establishment_id in editable or _owns(user, contract.owner):
            lines.append(
                f"{contract.establishment.name}: give notice on the {contract.supplier} contract "
                f"({contract.title}) by {long_date(deadline)}"
            )
    return lines


def _plan_digest_lines(user, today: date) -> list[str]:
    from schooltech.accounts import policy

    editable = _editable_ids(user)
    actions = open_plan_actions(due_by=today + DIGEST_HORIZON, establishments=policy.establishments_for(user, "view"))
    lines = []
    for action in sorted(actions, key=lambda action: (action.due_date, action.establishment.name, action.pk)):
        if action.establishment_id in editable or _owns(user, action.owner):
            overdue = " (overdue)" if action.due_date < today else ""
            lines.append(f"{action.establishment.name}: {_action_line(action)}{overdue}")
    return lines


def _standards_digest_lines(user, today: date) -> list[str]:
    from schooltech.accounts import policy
    from schooltech.standards import selectors as standards_selectors

    rounds = [round_ for round_ in duty_rounds(today) if round_.due <= today + DIGEST_HORIZON]
    if not rounds:
        return []
    duties = list(standards_selectors.current_duties())
    schools = schools_with_standards_work().filter(pk__in=policy.establishments_for(user, "edit")).order_by("name")
    lines = []
    for school in schools:
        for round_ in rounds:
            outstanding = duties_outstanding(school, round_, [d for d in duties if d.cadence == round_.cadence])
            lines += [f"{school.name}: {duty.title}, due {long_date(round_.due)}" for duty in outstanding]
    return lines


def _access_digest_lines(user, today: date) -> list[str]:
    lines = []
    for access_request in selectors.access_requests_awaiting(approver=user):
        waiting = _days((today - timezone.localdate(access_request.created_at)).days)
        lines.append(
            f"{access_request.organisation_name}: {_display_name(access_request.requester)} "
            f"has waited {waiting} for access"
        )
    return lines


DIGEST_SECTIONS: dict[str, tuple[str, Callable[..., list[str]]]] = {
    ReminderKind.CONTRACT_NOTICE: ("Contract notice deadlines", _contract_digest_lines),
    ReminderKind.PLAN_ACTION_DUE: ("Technology plan actions", _plan_digest_lines),
    ReminderKind.STANDARDS_DUTY: ("Checks for the digital and technology standards", _standards_digest_lines),
    ReminderKind.ACCESS_REQUEST_WAITING: ("Access requests waiting for you", _access_digest_lines),
}


def digest_items(user, today: date) -> str:
    """The digest's text: a section per kind this person chose weekly, with what is due for them in
    the next 4 weeks across their organisations. Empty when nothing is."""
    sections = []
    for kind in selectors.weekly_kinds(user=user):
        heading, lines_for = DIGEST_SECTIONS[kind]
        lines = lines_for(user, today)
        if not lines:
            continue
        shown = lines[:DIGEST_ITEMS_PER_SECTION]
        more = len(lines) - len(shown)
        text = f"{heading}:\n\n{_bullets(shown)}"
        if more:
            text += f"\n\nand {more} more. Sign in to see them all."
        sections.append(text)
    return "\n\n".join(sections)


def weekly_digest(*, now: datetime) -> int:
    """Each week, one email per person bundling the kinds they chose to get weekly."""
    today = timezone.localdate(now)
    week_start = digest_week_start(today)
    count = 0
    for user in selectors.digest_readers():
        if user.pk in selectors.already_reminded(kind=WEEKLY_DIGEST, subject=user, occurrence=week_start):
            continue
        items = digest_items(user, today)
        personalisation = None
        if items:
            personalisation = {
                "week_start": long_date(week_start),
                "items": items,
                "service_url": _absolute("/"),
                "preferences_url": _preferences_url(),
            }
        message = services.reminder_send(
            user=user,
            kind=WEEKLY_DIGEST,
            subjects=[(user, week_start)],
            template_key="weekly_digest",
            personalisation=personalisation,
            now=now,
        )
        count += message is not None
    return count


# The registry ------------------------------------------------------------------------------------------


def outbox_retries_due(*, now: datetime) -> int:
    """Re-enqueue messages whose retry is due or whose worker died, so nothing is lost."""
    return services.outbox_due_enqueue(now=now)


REMINDERS: list[tuple[str, Callable[..., int]]] = [
    ("emails due a retry", outbox_retries_due),
    ("access requests waiting for an approver", access_requests_waiting),
    ("access requests: nudges to approvers", access_requests_nudge),
    ("contract notice deadlines", contract_notice_deadlines),
    ("technology plan actions due", plan_actions_due),
    ("termly and annual checks for the standards", standards_duties),
    ("weekly digests", weekly_digest),
]


def enqueue_due(*, now: datetime) -> list[tuple[str, int]]:
    return [(name, reminder(now=now)) for name, reminder in REMINDERS]
