"""Reads for plan pages, exports, the API and the trust view."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from schooltech.core import calendar
from schooltech.core.dates import govuk_date, govuk_month
from schooltech.core.kept import Kept
from schooltech.organisations.models import Establishment, Group
from schooltech.organisations.selectors import establishments_looked_after
from schooltech.planning import engine, inputs
from schooltech.planning.models import BuyingRoute, Category, Plan, PlanAction, PlanBudget, Priority
from schooltech.planning.proposals import Fact
from schooltech.planning.rules import RULE_NAMES, RULES_BY_KEY

PRIORITY_TAG_CLASSES = {
    Priority.STATUTORY: "govuk-tag--red",
    Priority.SECURITY: "govuk-tag--orange",
    Priority.CORE_2030: "govuk-tag--blue",
    Priority.OTHER: "govuk-tag--grey",
}
STATUS_TAG_CLASSES = {
    PlanAction.Status.PLANNED: "govuk-tag--grey",
    PlanAction.Status.IN_PROGRESS: "govuk-tag--blue",
    PlanAction.Status.DONE: "govuk-tag--green",
    PlanAction.Status.DEFERRED: "govuk-tag--yellow",
}


def not_used(*, plan: Plan, today: datetime.date | None = None) -> list:
    """What the school recorded that drives no action in its plan, and why (engine.not_used).

    Kept on the plan when it is brought up to date, so a page view does not rebuild the plan; a plan
    last updated before that was kept (or a `today` other than the plan's own) is worked out again.
    """
    if plan.unused_facts is not None and today is None:
        return [Fact(**fact) for fact in plan.unused_facts]
    today = today or plan.generated_on or timezone.localdate()
    school = plan.establishment
    plan_inputs = inputs.plan_inputs_for([school], today=today, horizons={school.pk: plan.horizon_years})[school.pk]
    return engine.not_used(plan_inputs, engine.build_plan(plan_inputs))


def plan_for(*, establishment: Establishment) -> Plan | None:
    return Plan.objects.filter(establishment=establishment).select_related("approved_by").first()


def basis_of(plan: Plan) -> calendar.FinancialYearBasis:
    return calendar.basis_for(plan.establishment, plan.financial_year_basis)


def active_actions(*, plan: Plan) -> QuerySet[PlanAction]:
    return plan.actions.filter(is_active=True)


# --- Filters -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    priority: str = ""
    status: str = ""
    category: str = ""
    source: str = ""
    kind: str = ""  # "find_out" | "action"
    year: str = ""  # a financial year's start year
    cost: str = ""  # "costed" | "none"

    @classmethod
    def from_params(cls, params) -> Filters:
        def pick(name: str, allowed) -> str:
            value = (params.get(name) or "").strip()
            return value if value in allowed else ""

        return cls(
            priority=pick("priority", {str(v) for v in Priority.values}),
            status=pick("status", set(PlanAction.Status.values)),
            category=pick("category", set(Category.values)),
            source=pick("source", set(PlanAction.Source.values)),
            kind=pick("kind", {"find_out", "action"}),
            year=pick("year", {str(y) for y in range(2000, 2100)}),
            cost=pick("cost", {"costed", "none"}),
        )

    @property
    def active(self) -> bool:
        return any((self.priority, self.status, self.category, self.source, self.kind, self.year, self.cost))


def filtered_actions(*, plan: Plan, filters: Filters) -> QuerySet[PlanAction]:
    actions = active_actions(plan=plan)
    if filters.priority:
        actions = actions.filter(priority=int(filters.priority))
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.category:
        actions = actions.filter(category=filters.category)
    if filters.source:
        actions = actions.filter(source=filters.source)
    if filters.kind:
        actions = actions.filter(is_find_out=filters.kind == "find_out")
    if filters.cost:
        actions = actions.filter(estimated_cost__isnull=filters.cost == "none")
    if filters.year:
        year = calendar.financial_year_of(
            datetime.date(int(filters.year), basis_of(plan).first_month, 1), basis_of(plan)
        )
        actions = actions.filter(due_date__gte=year.start, due_date__lte=year.end)
    return actions.order_by("due_date", "priority", "group_key", "step", "key")


# --- Timeline and budget --------------------------------------------------------------------------------


@dataclass
class TermGroup:
    term: calendar.Term
    actions: list[PlanAction] = field(default_factory=list)

    @property
    def cost(self) -> Decimal:
        return sum((a.estimated_cost or Decimal("0") for a in self.actions), Decimal("0"))


@dataclass
class YearGroup:
    label: str
    terms: list[TermGroup] = field(default_factory=list)


def timeline(*, actions: list[PlanAction]) -> list[YearGroup]:
    """Actions grouped by academic year, then term, in date order."""
    years: dict[int, YearGroup] = {}
    terms: dict[str, TermGroup] = {}
    for action in sorted(actions, key=lambda a: (a.due_date, a.priority, a.group_key, a.step, a.key)):
        term = calendar.term_of(action.due_date)
        year = years.setdefault(term.academic_year, YearGroup(label=f"{term.academic_year_label} school year"))
        if term.code not in terms:
            terms[term.code] = TermGroup(term=term)
            year.terms.append(terms[term.code])
        terms[term.code].actions.append(action)
    return list(years.values())


@dataclass(frozen=True)
class TermTotal:
    count: int
    cost: Decimal


def term_totals(*, actions: list[PlanAction]) -> dict[str, TermTotal]:
    """Each term's number of actions and cost, across every page of the timeline."""
    totals: dict[str, list] = {}
    for action in actions:
        entry = totals.setdefault(calendar.term_of(action.due_date).code, [0, Decimal("0")])
        entry[0] += 1
        entry[1] += action.estimated_cost or Decimal("0")
    return {code: TermTotal(count, cost) for code, (count, cost) in totals.items()}


@dataclass(frozen=True)
class BudgetYear:
    year: calendar.FinancialYear
    total: Decimal
    actions: int
    uncosted: int
    budget: Decimal | None = None  # what the school entered for the year, if it did
    not_fitting: tuple[PlanAction, ...] = ()  # costed actions beyond the budget, lowest priority last
    by_category: dict[str, Decimal] = field(default_factory=dict)  # estimated cost by Category value

    @property
    def left(self) -> Decimal | None:
        """Budget minus estimated cost: negative when over budget; None without a budget."""
        return None if self.budget is None else self.budget - self.total


def budget(
    *, plan: Plan, actions: list[PlanAction], today: datetime.date | None = None, budgets: dict | None = None
) -> list[BudgetYear]:
    """Estimated cost per financial year, for every year of the horizon (empty years included), against
    the budget the school entered for each year, with the actions that do not fit in it (`budgets`:
    the plan's budgets by year start, when the caller has read them already)."""
    basis = basis_of(plan)
    start = plan.generated_on or today or timezone.localdate()
    years = calendar.financial_years_between(start, calendar.add_years(start, plan.horizon_years), basis)
    totals: dict[datetime.date, list] = {year.start: [Decimal("0"), 0, 0] for year in years}
    costed: dict[datetime.date, list[PlanAction]] = {year.start: [] for year in years}
    by_category: dict[datetime.date, dict[str, Decimal]] = {year.start: {} for year in years}
    for action in actions:
        if action.status == PlanAction.Status.DONE and action.estimated_cost is None:
            continue
        year = calendar.financial_year_of(action.due_date, basis)
        if year.start not in totals:
            continue
        entry = totals[year.start]
        entry[1] += 1
        if action.estimated_cost is None:
            entry[2] += 1
        else:
            entry[0] += action.estimated_cost
            costed[year.start].append(action)
            spent = by_category[year.start]
            spent[action.category] = spent.get(action.category, Decimal("0")) + action.estimated_cost
    if budgets is None:
        budgets = dict(plan.budgets.values_list("year_start", "amount")) if plan.pk else {}
    return [
        BudgetYear(
            year,
            *totals[year.start],
            budget=budgets.get(year.start),
            not_fitting=_not_fitting(costed[year.start], budgets.get(year.start)),
            by_category=by_category[year.start],
        )
        for year in years
    ]


def _not_fitting(actions: list[PlanAction], budget: Decimal | None) -> tuple[PlanAction, ...]:
    """Fill the budget in priority order (done actions first: that money is spent); what is left over."""
    if budget is None:
        return ()
    order = sorted(actions, key=lambda a: (a.status != PlanAction.Status.DONE, a.priority, a.due_date, a.key))
    spent, left_over = Decimal("0"), []
    for action in order:
        if spent + action.estimated_cost <= budget:
            spent += action.estimated_cost
        else:
            left_over.append(action)
    return tuple(left_over)


BUDGET_FIELDS = ("pk", "plan_id", "key", "status", "priority", "category", "estimated_cost", "due_date")


def spend_categories() -> list[tuple[str, str]]:
    """The plan's categories of spending, (value, label), in the order the plan shows them."""
    return list(Category.choices)


def budgets_for(
    *, establishments: list[Establishment], today: datetime.date | None = None
) -> dict[int, list[BudgetYear]]:
    """`budget` of each school's plan with its active actions, for many schools in three queries
    (the national snapshot); a school with no plan is left out."""
    by_pk = {school.pk: school for school in establishments}
    plans = list(Plan.objects.filter(establishment_id__in=list(by_pk)))
    actions: dict[int, list[PlanAction]] = defaultdict(list)
    active = PlanAction.objects.filter(plan__in=plans, is_active=True).only(*BUDGET_FIELDS).order_by()
    for action in active:
        actions[action.plan_id].append(action)
    budgets: dict[int, dict] = defaultdict(dict)
    for plan_id, start, amount in PlanBudget.objects.filter(plan__in=plans).values_list(
        "plan_id", "year_start", "amount"
    ):
        budgets[plan_id][start] = amount
    found = {}
    for plan in plans:
        plan.establishment = by_pk[plan.establishment_id]
        found[plan.establishment_id] = budget(
            plan=plan, actions=actions[plan.pk], today=today, budgets=budgets[plan.pk]
        )
    return found


def budget_year(*, plan: Plan, start_year: int) -> calendar.FinancialYear | None:
    """The financial year of the plan's horizon that starts in `start_year`, or None."""
    for year in budget(plan=plan, actions=[]):
        if year.year.start.year == start_year:
            return year.year
    return None


# --- Explanation -----------------------------------------------------------------------------------


def rule_name(rule_key: str) -> str:
    return RULE_NAMES.get(rule_key, "Added by hand" if not rule_key else rule_key)


def rule_explains(rule_key: str) -> str:
    rule = RULES_BY_KEY.get(rule_key)
    return rule.explains if rule else ""


@dataclass(frozen=True)
class RouteSuggestion:
    route: BuyingRoute
    ends_before_due: bool


def routes_for(*, action: PlanAction) -> list[RouteSuggestion]:
    routes = {r.key: r for r in BuyingRoute.objects.filter(key__in=action.route_keys, is_active=True)}
    return [
        RouteSuggestion(routes[key], routes[key].ends_before(action.due_date))
        for key in action.route_keys
        if key in routes
    ]


def routes_by_key() -> dict[str, BuyingRoute]:
    return {r.key: r for r in BuyingRoute.objects.filter(is_active=True)}


def action_history(*, action: PlanAction) -> list:
    return list(action.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])


# --- Summary, snapshot and exports ------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    total: int
    by_priority: list[tuple[int, str, int]]
    by_status: list[tuple[str, str, int]]
    find_outs: int
    cost: Decimal
    next_actions: list[PlanAction]
    overdue: int = 0  # open actions (not deferred) whose due date has passed
    due_soon: int = 0  # open actions (not deferred) due from today to the end of next term
    due_soon_cost: Decimal = Decimal("0")
    due_by: datetime.date | None = None  # the end of next term


def summary(*, actions: list[PlanAction], today: datetime.date | None = None) -> Summary:
    today = today or timezone.localdate()
    open_actions = [a for a in actions if a.status != PlanAction.Status.DONE]
    due_by = pressing_until(today)
    waiting = [a for a in open_actions if a.status != PlanAction.Status.DEFERRED]
    due_soon = [a for a in waiting if today <= a.due_date <= due_by]
    return Summary(
        overdue=sum(1 for a in waiting if a.due_date < today),
        due_soon=len(due_soon),
        due_soon_cost=sum((a.estimated_cost or Decimal("0") for a in due_soon), Decimal("0")),
        due_by=due_by,
        total=len(actions),
        by_priority=[(p.value, p.label, sum(1 for a in open_actions if a.priority == p)) for p in Priority],
        by_status=[(s.value, s.label, sum(1 for a in actions if a.status == s)) for s in PlanAction.Status],
        find_outs=sum(1 for a in open_actions if a.is_find_out),
        cost=sum((a.estimated_cost or Decimal("0") for a in open_actions), Decimal("0")),
        next_actions=most_pressing(open_actions, today=today),
    )


def pressing_until(today: datetime.date) -> datetime.date:
    """What is due by this day is pressing: the end of next term."""
    return calendar.term_of(today).next().end


def most_pressing(open_actions: list[PlanAction], *, today: datetime.date, limit: int = 5) -> list[PlanAction]:
    """Open actions due by the end of next term (overdue ones included), statutory and safeguarding first.

    Anything due later (next year's duties, the year after's purchases) is not pressing however high its band.
    """
    due_by = pressing_until(today)
    pressing = [a for a in open_actions if a.status != PlanAction.Status.DEFERRED and a.due_date <= due_by]
    return sorted(pressing, key=lambda a: (a.priority, a.due_date, a.key))[:limit]


def top_risks(*, actions: list[PlanAction], limit: int = 8) -> list[PlanAction]:
    """For governors: open statutory and security actions first, soonest first."""
    open_actions = [a for a in actions if a.status not in (PlanAction.Status.DONE,)]
    return sorted(open_actions, key=lambda a: (a.priority, a.due_date, a.key))[:limit]


EXPORT_HEADER = [
    "Due date",
    "Term",
    "Financial year",
    "Priority",
    "What to do",
    "Why",
    "Rule",
    "Facts used",
    "Category",
    "Estimated cost (£)",
    "How the cost was estimated",
    "Owner",
    "Suggested buying routes",
    "Status",
    "Deferred because",
    "Source",
]


def route_with_end(route: BuyingRoute) -> str:
    """A buying route's name with its end date, wherever routes are listed (exports, reports)."""
    ends = f"ends {govuk_date(route.end_date)}" if route.end_date else "end date not recorded: check before you buy"
    return f"{route.name} ({ends})"


def action_row(action: PlanAction, basis, routes: dict[str, BuyingRoute]) -> list:
    facts = "; ".join(f"{f['label']}: {f['value']} ({f['source']})" for f in action.facts)
    return [
        action.due_date,
        calendar.term_of(action.due_date).label,
        calendar.financial_year_of(action.due_date, basis).label,
        Priority(action.priority).label,
        action.title,
        action.why,
        rule_name(action.rule_key),
        facts,
        Category(action.category).label,
        action.estimated_cost,
        action.cost_basis,
        action.owner,
        ", ".join(route_with_end(routes[k]) for k in action.route_keys if k in routes),
        PlanAction.Status(action.status).label,
        action.deferred_reason,
        PlanAction.Source(action.source).label,
    ]


def export_rows(*, plan: Plan) -> tuple[list[str], list[list]]:
    basis = basis_of(plan)
    routes = routes_by_key()
    return EXPORT_HEADER, [
        action_row(a, basis, routes) for a in active_actions(plan=plan).order_by("due_date", "priority", "key")
    ]


def action_as_dict(action: PlanAction) -> dict:
    return {
        "key": action.key,
        "title": action.title,
        "why": action.why,
        "rule": action.rule_key,
        "facts": action.facts,
        "due_date": action.due_date.isoformat(),
        "event_date": action.event_date.isoformat() if action.event_date else None,
        "priority": action.priority,
        "category": action.category,
        "find_out": action.is_find_out,
        "estimated_cost": str(action.estimated_cost) if action.estimated_cost is not None else None,
        "cost_basis": action.cost_basis,
        "owner": action.owner,
        "buying_routes": list(action.route_keys),
        "status": action.status,
        "deferred_reason": action.deferred_reason,
        "source": action.source,
    }


def plan_snapshot(*, plan: Plan) -> dict:
    actions = list(active_actions(plan=plan).order_by("due_date", "priority", "group_key", "step", "key"))
    basis = basis_of(plan)
    return {
        "school": {"urn": plan.establishment.urn, "name": plan.establishment.name},
        "generated_on": plan.generated_on.isoformat() if plan.generated_on else None,
        "horizon_years": plan.horizon_years,
        "financial_year_basis": basis.value,
        "actions": [action_as_dict(a) for a in actions],
        "budget": [
            {"financial_year": b.year.label, "total": str(b.total), "actions": b.actions, "uncosted": b.uncosted}
            for b in budget(plan=plan, actions=actions)
        ],
    }


# --- Trusts and local authorities -----------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolPlanLine:
    establishment: Establishment
    plan: Plan | None
    open_actions: int
    statutory_or_security: int
    cost: Decimal
    by_year: dict[str, Decimal]


@dataclass(frozen=True)
class Opportunity:
    title: str
    schools: list[Establishment]
    first: datetime.date
    last: datetime.date
    actions: int
    cost: Decimal
    category: str = Category.OTHER

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    @property
    def when(self) -> str:
        """The months the purchases fall due: "March 2027" or "March 2027 to July 2027"."""
        if (self.first.year, self.first.month) == (self.last.year, self.last.month):
            return govuk_month(self.first)
        return f"{govuk_month(self.first)} to {govuk_month(self.last)}"


@dataclass
class OrganisationPlan:
    lines: list[SchoolPlanLine]
    years: list[calendar.FinancialYear]
    totals_by_year: dict[str, Decimal]
    opportunities: list[Opportunity]
    total_cost: Decimal
    basis: calendar.FinancialYearBasis = calendar.FinancialYearBasis.APRIL

    @property
    def schools_with_plans(self) -> int:
        return sum(1 for line in self.lines if line.plan)

    @property
    def total_open_actions(self) -> int:
        return sum(line.open_actions for line in self.lines)

    @property
    def total_statutory_or_security(self) -> int:
        return sum(line.statutory_or_security for line in self.lines)

    @property
    def opportunities_by_category(self) -> list[tuple[str, list[Opportunity]]]:
        """Buy-together opportunities by category (in the catalogue's order), soonest first in each."""
        order = {value: index for index, value in enumerate(Category.values)}
        grouped: dict[str, list[Opportunity]] = defaultdict(list)
        for opportunity in self.opportunities:
            grouped[opportunity.category].append(opportunity)
        return [
            (Category(category).label, sorted(found, key=lambda o: (o.first, o.last, o.title)))
            for category, found in sorted(grouped.items(), key=lambda item: order.get(item[0], len(order)))
        ]


ALIGN_WINDOW_MONTHS = 6
PENNY = Decimal("0.01")
ALIGNABLE_RULES = {"contract_notice", "device_support", "network_kit_support"}


def organisation_plan(*, organisation, today: datetime.date | None = None) -> OrganisationPlan:
    """A trust's or local authority's schools' open actions, summed in the database: the rows read
    grow with the number of schools, not with their actions."""
    today = today or timezone.localdate()
    schools = list(establishments_looked_after(organisation=organisation).order_by("name"))
    basis = (
        calendar.FinancialYearBasis.SEPTEMBER if isinstance(organisation, Group) else calendar.FinancialYearBasis.APRIL
    )
    years = calendar.financial_years_between(today, calendar.add_years(today, 5), basis)
    plans = {p.establishment_id: p for p in Plan.objects.filter(establishment__in=schools)}
    sums, events = _organisation_figures(schools, years, today)
    lines, totals = [], {year.label: Decimal("0") for year in years}
    for school in schools:
        counts = sums.get(school.pk, {})
        by_year = {year.label: _pounds(counts.get(f"year_{index}")) for index, year in enumerate(years)}
        for label, cost in by_year.items():
            totals[label] += cost
        lines.append(
            SchoolPlanLine(
                establishment=school,
                plan=plans.get(school.pk),
                open_actions=counts.get("open_actions", 0),
                statutory_or_security=counts.get("statutory_or_security", 0),
                cost=sum(by_year.values(), Decimal("0")),
                by_year=by_year,
            )
        )
    return OrganisationPlan(
        lines=lines,
        years=years,
        totals_by_year=totals,
        opportunities=alignment_opportunities(events=events, schools={school.pk: school for school in schools}),
        total_cost=sum(totals.values(), Decimal("0")),
        basis=basis,
    )


_figures_kept = Kept(limit=256)


def _organisation_figures(schools: list[Establishment], years: list, today: datetime.date) -> tuple[dict, list]:
    """The schools' open action sums and alignable events, worked out again only when an action changed.

    Summing a trust's thousands of actions was most of the trust plan page's time, and they change
    far less often than the page is read. Every write to an action (a plan update, a status, one
    added by hand, the admin) sets its `updated_at`, so the newest `updated_at` and the count of
    the schools' actions, read in one query, tell whether the kept figures still hold, whichever
    process wrote. Establishments are not kept: names and trust membership are read fresh.
    """
    actions = PlanAction.objects.filter(establishment__in=schools)
    stamp = actions.aggregate(newest=Max("updated_at"), count=Count("pk"))
    key = (tuple(school.pk for school in schools), today, tuple(years), stamp["newest"], stamp["count"])
    open_actions = actions.filter(is_active=True).exclude(status=PlanAction.Status.DONE)
    return _figures_kept.get_or_make(
        key, lambda: (_open_action_sums(open_actions, years), _alignable_events(open_actions, today))
    )


def forget_organisation_figures() -> None:
    _figures_kept.clear()


def _open_action_sums(actions: QuerySet[PlanAction], years: list) -> dict[int, dict]:
    """Per school: open actions, statutory or security ones, and the estimated cost due in each year."""
    by_year = {
        f"year_{index}": Sum("estimated_cost", filter=Q(due_date__gte=year.start, due_date__lte=year.end))
        for index, year in enumerate(years)
    }
    rows = (
        actions.order_by()
        .values("establishment_id")
        .annotate(
            open_actions=Count("pk"),
            statutory_or_security=Count("pk", filter=Q(priority__lte=Priority.SECURITY)),
            **by_year,
        )
    )
    return {row["establishment_id"]: row for row in rows}


@dataclass(frozen=True)
class AlignableEvent:
    """Actions of one rule at one school on one date: bought together or not at all."""

    rule_key: str
    category: str
    establishment_id: int
    event_date: datetime.date
    actions: int
    cost: Decimal


def _alignable_events(actions: QuerySet[PlanAction], today: datetime.date) -> list[AlignableEvent]:
    rows = (
        actions.filter(rule_key__in=ALIGNABLE_RULES, event_date__gte=today)
        .order_by()
        .values("rule_key", "category", "establishment_id", "event_date")
        .annotate(actions=Count("pk"), cost=Sum("estimated_cost"))
    )
    return [AlignableEvent(**{**row, "cost": _pounds(row["cost"])}) for row in rows]


def _pounds(total) -> Decimal:
    """A database sum of amounts as the amounts are kept, in pence (SQLite's sums lose the places)."""
    return Decimal("0") if total is None else Decimal(total).quantize(PENNY)


def _opportunity_title(rule_key: str, category: str, count: int, first: datetime.date, last: datetime.date) -> str:
    between = (
        f"between {govuk_month(first)} and {govuk_month(last)}"
        if (first.year, first.month) != (last.year, last.month)
        else f"in {govuk_month(first)}"
    )
    label = Category(category).label.lower()
    if rule_key == "contract_notice":
        what = f"{label} contracts end" if category != Category.OTHER else "contracts end"
    elif rule_key == "device_support":
        what = "devices lose support"
    else:
        noun = {
            "network": "network equipment needs",
            "wireless": "wireless access points need",
            "servers": "servers and storage need",
        }
        what = f"{noun.get(category, label + ' needs')} replacing"
    return f"{count} schools’ {what} {between}: buy together"


def alignment_opportunities(
    *, events: list[AlignableEvent], schools: dict[int, Establishment], minimum: int = 2
) -> list[Opportunity]:
    """Purchases several schools need within the same 6 months from now on: worth buying together."""
    by_purchase: dict[tuple[str, str], list[AlignableEvent]] = defaultdict(list)
    for event in events:
        by_purchase[(event.rule_key, event.category)].append(event)
    found = []
    for (rule_key, category), purchase_events in sorted(by_purchase.items()):
        purchase_events.sort(key=lambda e: (e.event_date, e.establishment_id))
        start = 0
        while start < len(purchase_events):
            window_end = calendar.add_months(purchase_events[start].event_date, ALIGN_WINDOW_MONTHS)
            group = [e for e in purchase_events[start:] if e.event_date < window_end]
            school_ids = sorted({e.establishment_id for e in group})
            if len(school_ids) >= minimum:
                first, last = group[0].event_date, group[-1].event_date
                found.append(
                    Opportunity(
                        title=_opportunity_title(rule_key, category, len(school_ids), first, last),
                        schools=sorted((schools[i] for i in school_ids), key=lambda s: s.name),
                        first=first,
                        last=last,
                        actions=sum(e.actions for e in group),
                        cost=sum((e.cost for e in group), Decimal("0")),
                        category=category,
                    )
                )
                start += len(group)
            else:
                start += 1
    found.sort(key=lambda o: (o.first, -len(o.schools), o.title))
    return found


def date_text(day: datetime.date | None) -> str:
    return govuk_date(day)
