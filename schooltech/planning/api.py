"""JSON API for plans: a school's plan, and a trust's or local authority's plans across its schools.

Read only. Each operation is declared with `operation(...)`, like the pages.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from schooltech.api.errors import COMMON_ERRORS
from schooltech.api.operations import operation, refuse_other_methods
from schooltech.core import calendar
from schooltech.organisations.models import Establishment
from schooltech.planning import selectors
from schooltech.planning.models import Category, PlanAction, Priority

router = Router(tags=["Technology plans"])


class FactOut(Schema):
    label: str
    value: str
    source: str


class ActionOut(Schema):
    id: int
    key: str
    title: str
    why: str
    rule: str
    facts: list[FactOut]
    due_date: datetime.date
    term: str
    financial_year: str
    priority: int
    priority_label: str
    category: str
    category_label: str
    find_out: bool
    estimated_cost: Decimal | None
    cost_basis: str
    owner: str
    buying_routes: list[str]
    status: str
    deferred_reason: str
    source: str


class BudgetYearOut(Schema):
    financial_year: str
    start: datetime.date
    end: datetime.date
    estimated_cost: Decimal
    actions: int


class PlanOut(Schema):
    urn: str
    name: str
    horizon_years: int
    financial_year_basis: str
    generated_on: datetime.date | None
    approved_by: str | None
    approved_at: datetime.datetime | None
    actions: list[ActionOut]
    budget: list[BudgetYearOut]


class SchoolLineOut(Schema):
    urn: str
    name: str
    has_plan: bool
    open_actions: int
    statutory_or_security: int
    estimated_cost_by_year: dict[str, Decimal]


class OpportunityOut(Schema):
    title: str
    schools: list[str]
    first: datetime.date
    last: datetime.date
    estimated_cost: Decimal


class OrganisationPlanOut(Schema):
    schools: list[SchoolLineOut]
    opportunities: list[OpportunityOut]


def _action_out(action: PlanAction, basis) -> ActionOut:
    return ActionOut(
        id=action.pk,
        key=action.key,
        title=action.title,
        why=action.why,
        rule=action.rule_key,
        facts=[FactOut(**fact) for fact in action.facts],
        due_date=action.due_date,
        term=calendar.term_of(action.due_date).label,
        financial_year=calendar.financial_year_of(action.due_date, basis).label,
        priority=action.priority,
        priority_label=Priority(action.priority).label,
        category=action.category,
        category_label=Category(action.category).label,
        find_out=action.is_find_out,
        estimated_cost=action.estimated_cost,
        cost_basis=action.cost_basis,
        owner=action.owner,
        buying_routes=list(action.route_keys),
        status=action.status,
        deferred_reason=action.deferred_reason,
        source=action.source,
    )


@router.get("/schools/{urn}/plan", response={200: PlanOut, **COMMON_ERRORS}, summary="A school's technology plan")
@operation("view", establishment="urn")
def school_plan(request: HttpRequest, establishment: Establishment):
    plan = selectors.plan_for(establishment=establishment)
    if plan is None:
        raise HttpError(404, "This school has no plan yet")
    actions = list(selectors.active_actions(plan=plan).order_by("due_date", "priority", "group_key", "step", "key"))
    basis = selectors.basis_of(plan)
    return PlanOut(
        urn=establishment.urn,
        name=establishment.name,
        horizon_years=plan.horizon_years,
        financial_year_basis=basis.value,
        generated_on=plan.generated_on,
        approved_by=(plan.approved_by.get_full_name() or plan.approved_by.email) if plan.approved_by else None,
        approved_at=plan.approved_at,
        actions=[_action_out(a, basis) for a in actions],
        budget=[
            BudgetYearOut(
                financial_year=b.year.label,
                start=b.year.start,
                end=b.year.end,
                estimated_cost=b.total,
                actions=b.actions,
            )
            for b in selectors.budget(plan=plan, actions=actions)
        ],
    )


@router.get(
    "/plans/{organisation}",
    response={200: OrganisationPlanOut, **COMMON_ERRORS},
    summary="A trust's or local authority's plans",
)
@operation("view", organisation="organisation")
def organisation_plan(request: HttpRequest, organisation):
    if not hasattr(organisation, "establishments"):
        raise HttpError(404, "Plans across schools are kept for trusts and local authorities")
    data = selectors.organisation_plan(organisation=organisation)
    return OrganisationPlanOut(
        schools=[
            SchoolLineOut(
                urn=line.establishment.urn,
                name=line.establishment.name,
                has_plan=line.plan is not None,
                open_actions=line.open_actions,
                statutory_or_security=line.statutory_or_security,
                estimated_cost_by_year=line.by_year,
            )
            for line in data.lines
        ],
        opportunities=[
            OpportunityOut(
                title=o.title, schools=[s.urn for s in o.schools], first=o.first, last=o.last, estimated_cost=o.cost
            )
            for o in data.opportunities
        ],
    )


refuse_other_methods(router, "/schools/{urn}/plan", allowed=["GET"], establishment="urn")
refuse_other_methods(router, "/plans/{organisation}", allowed=["GET"], organisation="organisation")
