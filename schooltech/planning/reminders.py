"""The planning app's reminders: plan actions due soon or overdue.

Registered with notifications in `PlanningConfig.ready()`, which also tells the estate app which
contracts the plan has settled (their "give notice or renew" action is done) and the standards app
which duties each school's plan marks done, so neither reads the plan's tables or its keys.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from schooltech.accounts import policy
from schooltech.accounts.selectors import SchoolPeople, owner_email
from schooltech.core import jobs
from schooltech.core.dates import govuk_date
from schooltech.estate import reminders as estate_reminders
from schooltech.notifications import registry, reminders, selectors, services
from schooltech.planning.models import Plan, PlanAction
from schooltech.planning.rules import CONTRACT_NOTICE_KEY_PREFIX, DUTY_RULE, contract_notice_key
from schooltech.standards import reminders as standards_reminders

KIND = "plan_action_due"
JOB = "technology plan actions due"
# Days before a plan action's due date that its reminder falls due (and once more when overdue).
PLAN_ACTION_DUE_SOON_DAYS = 14
OPEN_ACTION_STATUSES = (PlanAction.Status.PLANNED, PlanAction.Status.IN_PROGRESS)


def open_plan_actions(*, due_by: date, establishments=None) -> QuerySet[PlanAction]:
    """Active plan actions not done or deferred, due by a date (overdue ones included), without those
    another kind reminds (the standards' recurring duties, giving notice on a contract)."""
    actions = PlanAction.objects.filter(is_active=True, status__in=OPEN_ACTION_STATUSES, due_date__lte=due_by).exclude(
        Q(rule_key=DUTY_RULE) | Q(key__startswith=CONTRACT_NOTICE_KEY_PREFIX)
    )
    if establishments is not None:
        actions = actions.filter(establishment__in=establishments)
    return actions.select_related("establishment").order_by("establishment_id", "due_date", "priority", "pk")


def plan_action_occurrence(due: date, today: date) -> tuple[str, date]:
    """("due", the day it fell due soon) up to and including the due date, then ("overdue", the day after)."""
    if today <= due:
        return "due", due - timedelta(days=PLAN_ACTION_DUE_SOON_DAYS)
    return "overdue", due + timedelta(days=1)


def _action_line(action: PlanAction) -> str:
    owner = f" (owner: {action.owner})" if action.owner else ""
    return f"{action.title}, due {govuk_date(action.due_date)}{owner}"


def _plan_url(establishment) -> str:
    return reminders.absolute(reverse("planning:list", kwargs={"urn": establishment.urn}))


def _add_to_emails(action: PlanAction, emails: dict, *, people: SchoolPeople, today: date) -> int:
    stage, _ = plan_action_occurrence(action.due_date, today)
    for person in people.for_school(action.establishment, owner=action.owner):
        key = (person.pk, action.establishment_id, stage)
        emails.setdefault(key, (person, action.establishment, stage, []))[3].append(action)
    return 0


def plan_actions_due(*, now: datetime) -> int:
    """Remind a school's editors and approvers (and each action's owner, if a user) of plan actions
    due in the next 14 days, and once when an action is overdue: one email per person, school and stage."""
    today = timezone.localdate(now)
    people = SchoolPeople()
    emails: dict[tuple[int, int, str], tuple] = {}
    jobs.each_isolated(
        open_plan_actions(due_by=today + timedelta(days=PLAN_ACTION_DUE_SOON_DAYS)),
        lambda action: _add_to_emails(action, emails, people=people, today=today),
        job=JOB,
        describe=lambda action: f"plan action {action.pk} (school {action.establishment_id})",
        savepoint=False,
    )
    return jobs.each_isolated(
        emails.values(),
        lambda email: _plan_actions_email(*email, today=today, now=now),
        job=JOB,
        describe=lambda email: f"email to user {email[0].pk} about school {email[1].pk}",
    )


def _plan_actions_email(person, establishment, stage: str, actions: list, *, today: date, now: datetime) -> int:
    """One email listing the actions this person has not yet been reminded of at this stage."""
    if not selectors.wants(user=person, kind=KIND):
        return 0
    subjects = [(action, plan_action_occurrence(action.due_date, today)[1]) for action in actions]
    reminded = selectors.reminded_users(kind=KIND, subjects=subjects)
    fresh = [(action, on) for action, on in subjects if person.pk not in reminded.get((str(action.pk), on), set())]
    if not fresh:
        return 0
    message = services.reminder_send(
        user=person,
        kind=KIND,
        subjects=fresh,
        template_key="plan_actions_due" if stage == "due" else "plan_actions_overdue",
        personalisation={
            "organisation_name": establishment.name,
            "actions": reminders.bullets(_action_line(action) for action, _ in fresh),
            "plan_url": _plan_url(establishment),
            "preferences_url": reminders.preferences_url(),
        },
        organisation=establishment,
        now=now,
    )
    return int(message is not None)


def digest_lines(user, today: date) -> list[str]:
    """Open actions due in the digest's weeks at schools this person edits, or that they own."""
    editable = set(policy.establishments_for(user, "edit").values_list("pk", flat=True))
    actions = open_plan_actions(
        due_by=today + reminders.DIGEST_HORIZON, establishments=policy.establishments_for(user, "view")
    )
    lines = []
    for action in sorted(actions, key=lambda action: (action.due_date, action.establishment.name, action.pk)):
        if action.establishment_id in editable or owner_email(action.owner) == user.email.lower():
            overdue = " (overdue)" if action.due_date < today else ""
            lines.append(f"{action.establishment.name}: {_action_line(action)}{overdue}")
    return lines


# What the plan tells the estate and standards reminders ---------------------------------------------


def contracts_settled(contract_ids: list[int]) -> set[int]:
    """Contracts whose plan action to give notice or renew is done: nothing left to remind."""
    keys = {contract_notice_key(pk): pk for pk in contract_ids}
    done = PlanAction.objects.filter(status=PlanAction.Status.DONE, key__in=keys).values_list("key", flat=True)
    return {keys[key] for key in done}


def schools_with_plans() -> QuerySet:
    return Plan.objects.values("establishment_id")


DUTY_TRACKER = standards_reminders.DutyTracker(schools=schools_with_plans)


def register() -> None:
    registry.register_kind(
        registry.ReminderKind(
            KIND,
            "Technology plan actions that are due",
            position=20,
            digest_heading="Technology plan actions",
            digest_lines=digest_lines,
        )
    )
    registry.register_job(registry.ScheduledJob(JOB, plan_actions_due, position=40))
    estate_reminders.register_settled_contracts(contracts_settled)
    standards_reminders.register_duty_tracker(DUTY_TRACKER)
