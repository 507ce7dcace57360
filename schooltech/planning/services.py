"""Writes to plans. Every write names the person acting, so the history shows who did it."""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from schooltech.core import bulk, jobs
from schooltech.core.history import acting_user, record_change
from schooltech.organisations.models import Establishment
from schooltech.planning import engine, inputs, rules, selectors, tasks
from schooltech.planning.models import Category, Plan, PlanAction, PlanBudget, PlanVersion, Priority
from schooltech.standards import duties as standards_duties
from schooltech.standards import services as standards_services

GENERATED_FIELDS = (
    "title",
    "why",
    "rule_key",
    "facts",
    "due_date",
    "event_date",
    "priority",
    "category",
    "is_find_out",
    "estimated_cost",
    "cost_basis",
    "owner",
    "route_keys",
    "group_key",
    "step",
    "is_active",
)


class PlanningError(Exception):
    """A change the plan refuses, with a message for the person making it."""


@dataclass(frozen=True)
class GenerateResult:
    created: int
    updated: int
    retired: int
    unchanged: int
    new_titles: tuple[str, ...] = ()
    retired_titles: tuple[str, ...] = ()


# The "what changed" kept on the plan: enough for the overview, never the whole plan.
LAST_UPDATE_TITLES = 5
PENDING_CHANGES_KEPT = 10
# A queued update not done after this long lost its task (no worker was running): queue it again.
REFRESH_GRACE = datetime.timedelta(minutes=10)


def _values(proposal, routes) -> dict:
    return {
        "title": proposal.title[:300],
        "why": proposal.why,
        "rule_key": proposal.rule_key,
        "facts": [fact.as_dict() for fact in proposal.facts],
        "due_date": proposal.due_date,
        "event_date": proposal.event_date,
        "priority": int(proposal.priority),
        "category": str(proposal.category),
        "is_find_out": proposal.is_find_out,
        "estimated_cost": proposal.estimated_cost.quantize(Decimal("0.01"))
        if proposal.estimated_cost is not None
        else None,
        "cost_basis": proposal.cost_basis[:300],
        "owner": proposal.owner[:200],
        "route_keys": [] if proposal.is_find_out else engine.suggest_routes(str(proposal.category), routes),
        "group_key": proposal.group_key,
        "step": proposal.step,
        "is_active": True,
    }


@dataclass
class _Writes:
    """What regenerating plans writes, gathered across schools and written at the end in a few
    bulk statements with their history rows (`core.bulk`: COPY on PostgreSQL)."""

    created: list[PlanAction] = field(default_factory=list)
    updated: list[PlanAction] = field(default_factory=list)
    plans: dict[str, list[Plan]] = field(default_factory=dict)  # by the history's reason

    @classmethod
    def merged(cls, many: Iterable[_Writes]) -> _Writes:
        together = cls()
        for writes in many:
            together.created += writes.created
            together.updated += writes.updated
            for why, plans in writes.plans.items():
                together.plans.setdefault(why, []).extend(plans)
        return together

    def write(self, user) -> None:
        reason = "Plan regenerated"
        bulk.create_with_history(PlanAction, self.created, user=user, reason=reason)
        bulk.update_with_history(PlanAction, self.updated, [*GENERATED_FIELDS, "updated_at"], user=user, reason=reason)
        for why, plans in self.plans.items():
            bulk.update_with_history(Plan, plans, PLAN_GENERATED_FIELDS, user=user, reason=why)


PLAN_GENERATED_FIELDS = [
    "generated_on",
    "generated_at",
    "last_update",
    "refresh_requested_at",
    "pending_changes",
    "unused_facts",
    "updated_at",
]


@functools.cache
def _new_action():
    """A trust's or the nation's plans create actions by the hundred thousand: made without
    `Model.__init__`, for `bulk.create_with_history` to write."""
    return bulk.unsaved(PlanAction)


def _sync(plan: Plan, proposals, routes, existing: dict[str, PlanAction], writes: _Writes, now) -> GenerateResult:
    """Match proposals to the plan's generated actions by key: keep their status, update the rest."""
    existing = dict(existing)
    to_create, to_update = [], []
    unchanged = 0
    for proposal in proposals:
        values = _values(proposal, routes)
        action = existing.pop(proposal.key, None)
        if action is None:
            action = _new_action()(plan_id=plan.pk, establishment_id=plan.establishment_id, key=proposal.key, **values)
            action.created_at = now
            to_create.append(action)
        elif any(getattr(action, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(action, name, value)
            to_update.append(action)
        else:
            unchanged += 1
    retired = [a for a in existing.values() if a.is_active]
    for action in retired:
        action.is_active = False  # no longer called for; kept so its status and history stay readable
    for action in to_create + to_update + retired:
        action.updated_at = now  # bulk writes skip auto_now; the trust figures' kept sums rely on it
    writes.created += to_create
    writes.updated += to_update + retired
    return GenerateResult(
        len(to_create),
        len(to_update),
        len(retired),
        unchanged,
        tuple(a.title for a in to_create),
        tuple(a.title for a in retired),
    )


def _plan_for(establishment: Establishment) -> Plan:
    plan, _ = Plan.objects.get_or_create(establishment=establishment)
    return plan


@transaction.atomic
def plan_generate(
    *,
    establishment: Establishment,
    user: Any = None,
    today: datetime.date | None = None,
    because: str = "",
) -> tuple[Plan, GenerateResult]:
    """(Re)build the school's plan from its registers and standards, keeping manual actions and statuses."""
    results = plans_generate(establishments=[establishment], user=user, today=today, because=because)
    return results[establishment.pk]


@transaction.atomic
def plans_generate(
    *,
    establishments: Iterable[Establishment],
    user: Any = None,
    today: datetime.date | None = None,
    isolate_failures: bool = False,
    because: str = "",
) -> dict[int, tuple[Plan, GenerateResult]]:
    """Many schools at once (a trust, the demo, the benchmark): a fixed number of reads for all of
    them, and a fixed number of bulk writes, with history, once every school's plan is worked out.

    With `isolate_failures`, a school whose data breaks the engine is logged and skipped (its plan
    is left as it was) and every other school's plan is still regenerated.
    """
    today = today or timezone.localdate()
    user = acting_user(user)
    schools = list(establishments)
    plans = {plan.establishment_id: plan for plan in Plan.objects.filter(establishment__in=schools)}
    now = timezone.now()
    new = [Plan(establishment=school, created_at=now, updated_at=now) for school in schools if school.pk not in plans]
    bulk.create_with_history(Plan, new, user=user, reason="Plan created")
    plans.update({plan.establishment_id: plan for plan in new})
    horizons = {pk: plan.horizon_years for pk, plan in plans.items()}
    all_inputs = _inputs_for(schools, today, horizons, isolate_failures)
    routes = engine.routes_open_on(inputs.load_routes(), today)
    existing: dict[int, dict[str, PlanAction]] = defaultdict(dict)
    generated = PlanAction.objects.filter(plan__in=list(plans.values()), source=PlanAction.Source.GENERATED)
    for action in generated.order_by():
        existing[action.plan_id][action.key] = action
    per_school: dict[int, _Writes] = {}
    results = {}

    def regenerate(school: Establishment) -> int:
        """Work out the school's changes; nothing is written until every school is done."""
        plan = plans[school.pk]
        proposed = engine.build_plan(all_inputs[school.pk])
        unused = [fact.as_dict() for fact in engine.not_used(all_inputs[school.pk], proposed)]
        writes = _Writes()
        result = _sync(plan, proposed, routes, existing[plan.pk], writes, now)
        plan.generated_on, plan.generated_at, plan.updated_at = today, now, now
        plan.unused_facts = unused
        changes = [*plan.pending_changes, *([because] if because else [])]
        plan.last_update = _last_update(now, changes, result)
        plan.refresh_requested_at, plan.pending_changes = None, []
        writes.plans["Plan regenerated" + (f": {'; '.join(changes)}" if changes else "")] = [plan]
        per_school[school.pk] = writes
        results[school.pk] = (plan, result)
        return 1

    if isolate_failures:
        jobs.each_isolated(schools, regenerate, job="plan regeneration", describe=_describe, savepoint=False)
        for school_pk in _written_isolated(per_school, {school.pk: school for school in schools}, user):
            results.pop(school_pk)
    else:
        for school in schools:
            regenerate(school)
        _Writes.merged(per_school.values()).write(user)
    return results


def _written_isolated(per_school: dict[int, _Writes], schools: dict[int, Establishment], user) -> list[int]:
    """Every school's writes in a few bulk statements; should the database refuse one school's
    values, each school is written on its own so only that one is logged and skipped. Returns the
    schools skipped."""
    try:
        with transaction.atomic():
            _Writes.merged(per_school.values()).write(user)
        return []
    except Exception:  # some school's values broke the bulk write: find it by writing one at a time
        written: set[int] = set()

        def write_one(school_pk: int) -> int:
            per_school[school_pk].write(user)
            written.add(school_pk)
            return 1

        jobs.each_isolated(
            list(per_school), write_one, job="plan regeneration", describe=lambda pk: _describe(schools[pk])
        )
        return [school_pk for school_pk in per_school if school_pk not in written]


def generated_plans_analyse() -> None:
    """After generating many schools' plans: refresh the database's statistics of the plans' tables."""
    bulk.analyse([Plan, PlanAction, Plan.history.model, PlanAction.history.model])


def _last_update(now: datetime.datetime, changes: list[str], result: GenerateResult) -> dict:
    return {
        "at": now.isoformat(),
        "changes": changes[:PENDING_CHANGES_KEPT],
        "created": result.created,
        "updated": result.updated,
        "retired": result.retired,
        "new_titles": list(result.new_titles[:LAST_UPDATE_TITLES]),
        "retired_titles": list(result.retired_titles[:LAST_UPDATE_TITLES]),
    }


# --- Keeping the plan current ------------------------------------------------------------------------


def plan_refresh_request(*, establishment_id: int, what: str, **_signal) -> bool:
    """The facts behind a school's plan changed (`core.changes.facts_changed`): queue one update.

    Runs inside the change's transaction. The first change marks the plan and queues the update
    on commit; later changes before it runs only add what changed, so a 50-row import or 50 edits
    in a row queue one update, not 50. A school with no plan yet has nothing to keep current.
    Returns whether an update was queued.
    """
    now = timezone.now()
    plans = Plan.objects.filter(establishment_id=establishment_id)
    if plans.filter(refresh_requested_at__isnull=True).update(refresh_requested_at=now, pending_changes=[what]):
        _enqueue_refresh_on_commit(establishment_id)
        return True
    plan = plans.only("pk", "refresh_requested_at", "pending_changes").first()
    if plan is None:
        return False
    changes = plan.pending_changes if what in plan.pending_changes else [*plan.pending_changes, what]
    lost = plan.refresh_requested_at is not None and plan.refresh_requested_at < now - REFRESH_GRACE
    plans.update(pending_changes=changes[-PENDING_CHANGES_KEPT:], **({"refresh_requested_at": now} if lost else {}))
    if lost:
        _enqueue_refresh_on_commit(establishment_id)
    return lost


def plans_refresh_request(*, establishment_ids: list[int], what: str, **_signal) -> int:
    """`plan_refresh_request` for many schools (`core.changes.many_facts_changed`): one query finds the
    few that have a plan; a school with no plan yet has nothing to keep current. Returns how many queued."""
    with_plans = Plan.objects.filter(establishment_id__in=establishment_ids).values_list("establishment_id", flat=True)
    return sum(plan_refresh_request(establishment_id=pk, what=what) for pk in with_plans)


def _enqueue_refresh_on_commit(establishment_id: int) -> None:
    transaction.on_commit(lambda: tasks.refresh_plan.enqueue(establishment_id=establishment_id))


@transaction.atomic
def plan_refresh(*, establishment_id: int, today: datetime.date | None = None) -> str:
    """The queued update: regenerate the plan if it still needs it (one update serves every change before it)."""
    plan = Plan.objects.select_for_update().filter(establishment_id=establishment_id).first()
    if plan is None or plan.refresh_requested_at is None:
        return "up to date"
    _, result = plan_generate(establishment=plan.establishment, user=None, today=today)
    return f"{result.created} new, {result.updated} changed, {result.retired} no longer needed"


def _describe(school: Establishment) -> str:
    return f"{school.name} (URN {school.urn})"


def _inputs_for(schools, today, horizons, isolate_failures: bool) -> dict:
    """The bulk read; if one school's data breaks it, read school by school so only that one is skipped."""
    try:
        with transaction.atomic():
            return inputs.plan_inputs_for(schools, today=today, horizons=horizons)
    except Exception:
        if not isolate_failures:
            raise
    found = {}

    def read_one(school: Establishment) -> int:
        found.update(inputs.plan_inputs_for([school], today=today, horizons=horizons))
        return 1

    jobs.each_isolated(schools, read_one, job="plan inputs", describe=_describe, savepoint=False)
    return found


@transaction.atomic
def plan_settings_update(*, plan: Plan, horizon_years: int, financial_year_basis: str, user: Any) -> Plan:
    if horizon_years not in Plan.Horizon.values:
        raise PlanningError("Choose a horizon of 3 or 5 years")
    plan.horizon_years = horizon_years
    plan.financial_year_basis = financial_year_basis
    record_change(plan, user=user, reason="Plan settings changed")
    plan.save()
    plan_generate(establishment=plan.establishment, user=user, because="The plan’s settings changed")
    plan.refresh_from_db()
    return plan


MAX_BUDGET = Decimal("9999999999.99")


@transaction.atomic
def plan_budget_set(*, plan: Plan, year_start: datetime.date, amount: Decimal | None, user: Any) -> PlanBudget | None:
    """Record the school's technology budget for one financial year; no amount removes it."""
    basis = selectors.basis_of(plan)
    if year_start.day != 1 or year_start.month != basis.first_month:
        raise PlanningError(f"A financial year starts on 1 {year_start.replace(month=basis.first_month):%B}")
    existing = PlanBudget.objects.filter(plan=plan, year_start=year_start).first()
    if amount is None:
        if existing is not None:
            record_change(existing, user=user, reason="Budget removed")
            existing.delete()
        return None
    if amount < 0 or amount > MAX_BUDGET:
        raise PlanningError("Enter a budget between £0 and £9,999,999,999.99")
    budget = existing or PlanBudget(plan=plan, establishment_id=plan.establishment_id, year_start=year_start)
    budget.amount = amount.quantize(Decimal("0.01"))
    record_change(budget, user=user, reason=f"Budget set to £{budget.amount:,.2f}")
    budget.save()
    return budget


@transaction.atomic
def action_status_set(*, action: PlanAction, status: str, user: Any, reason: str = "") -> PlanAction:
    """Change an action's status. Deferring needs a reason; any other status clears it."""
    if status not in PlanAction.Status.values:
        raise PlanningError("Choose a status")
    reason = reason.strip()
    if status == PlanAction.Status.DEFERRED and not reason:
        raise PlanningError("Enter why the action is deferred")
    action.status = status
    action.deferred_reason = reason if status == PlanAction.Status.DEFERRED else ""
    record_change(
        action, user=user, reason=f"Status: {PlanAction.Status(status).label}" + (f" ({reason})" if reason else "")
    )
    action.save(update_fields=["status", "deferred_reason", "updated_at"])
    if status == PlanAction.Status.DONE and action.rule_key == rules.DUTY_RULE:
        _duty_done(action=action, user=user)
    return action


def _duty_done(*, action: PlanAction, user: Any) -> None:
    """A duty marked done is recorded as done today by this person; the plan then shows the next occurrence."""
    person = acting_user(user)
    standards_services.duty_done_record(
        establishment=action.establishment,
        duty_key=action.key.split(":")[1],
        done_on=timezone.localdate(),
        done_by=(person.get_full_name() or person.email) if person else "",
        source=standards_duties.RECORDED_FROM_PLAN,
        user=person,
    )
    plan_generate(establishment=action.establishment, user=user)


@transaction.atomic
def action_create(
    *,
    plan: Plan,
    title: str,
    why: str,
    due_date: datetime.date,
    category: str,
    priority: int,
    estimated_cost: Decimal | None,
    owner: str,
    user: Any,
) -> PlanAction:
    """An action added by hand: the engine never changes or retires it."""
    if not title.strip():
        raise PlanningError("Enter what needs doing")
    if category not in Category.values or priority not in Priority.values:
        raise PlanningError("Choose a category and a priority")
    if estimated_cost is not None and estimated_cost < 0:
        raise PlanningError("The estimated cost must be £0 or more")
    count = PlanAction.objects.filter(plan=plan, source=PlanAction.Source.MANUAL).count()
    action = PlanAction(
        plan=plan,
        establishment_id=plan.establishment_id,
        key=f"manual:{count + 1}:{timezone.now():%Y%m%d%H%M%S%f}",
        title=title.strip(),
        why=why.strip() or "Added by hand.",
        due_date=due_date,
        category=category,
        priority=priority,
        estimated_cost=estimated_cost,
        cost_basis="Estimated by hand" if estimated_cost is not None else "",
        owner=owner.strip(),
        source=PlanAction.Source.MANUAL,
        route_keys=engine.suggest_routes(category, engine.routes_open_on(inputs.load_routes(), timezone.localdate())),
    )
    record_change(action, user=user, reason="Added by hand")
    action.save()
    return action


@transaction.atomic
def plan_approve(*, plan: Plan, user: Any) -> PlanVersion:
    """Record who approved the plan and when, and keep the plan as it stands as an immutable version."""
    user = acting_user(user)
    if user is None:
        raise PlanningError("Sign in to approve the plan")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.actions.filter(is_active=True).exists():
        raise PlanningError("There is nothing in the plan to approve yet")
    now = timezone.now()
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = PlanVersion.objects.create(
        plan=plan,
        establishment_id=plan.establishment_id,
        number=number,
        approved_by=user,
        approved_by_name=user.get_full_name() or user.email or user.username,
        approved_at=now,
        snapshot=selectors.plan_snapshot(plan=plan),
    )
    plan.approved_by, plan.approved_at = user, now
    record_change(plan, user=user, reason=f"Approved as version {number}")
    plan.save(update_fields=["approved_by", "approved_at", "updated_at"])
    return version
