"""A plan that fits a working week: a budget per financial year with what does not fit, and long
lists (the timeline, all actions) paged with filters."""

import datetime
from decimal import Decimal

import pytest

from schooltech.core import calendar
from schooltech.planning import selectors, services
from schooltech.planning.models import Category, Plan, PlanAction, PlanBudget, Priority

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


def add(plan, key, due, cost, priority=Priority.OTHER, status=PlanAction.Status.PLANNED, **extra):
    return PlanAction.objects.create(
        plan=plan, establishment=plan.establishment, key=key, title=f"Action {key}", why="", due_date=due,
        estimated_cost=None if cost is None else Decimal(cost), priority=priority, status=status,
        category=Category.DEVICES, **extra,
    )  # fmt: skip


@pytest.fixture
def plan(school):
    # A maintained school: financial years run April to March. The plan covers 2026 to 2031.
    return Plan.objects.create(establishment=school, generated_on=TODAY, horizon_years=5)


def test_costs_are_set_against_the_budget_and_what_does_not_fit_is_lowest_priority_first(plan, editor):
    add(plan, "statutory", datetime.date(2027, 5, 1), "4000", Priority.STATUTORY)
    add(plan, "security", datetime.date(2027, 6, 1), "3000", Priority.SECURITY)
    add(plan, "other", datetime.date(2027, 4, 2), "2500", Priority.OTHER)
    add(plan, "small", datetime.date(2027, 7, 1), "500", Priority.OTHER)
    add(plan, "no-cost", datetime.date(2027, 7, 1), None)
    services.plan_budget_set(plan=plan, year_start=datetime.date(2027, 4, 1), amount=Decimal("7600"), user=editor)

    year = next(y for y in selectors.budget(plan=plan, actions=list(plan.actions.all())) if y.year.start.year == 2027)

    assert (year.total, year.budget, year.left) == (Decimal("10000"), Decimal("7600"), Decimal("-2400"))
    assert [a.key for a in year.not_fitting] == ["other"]  # the £500 one still fits after it
    assert (year.actions, year.uncosted) == (5, 1)


def test_a_year_without_a_budget_has_nothing_that_does_not_fit(plan):
    add(plan, "a", datetime.date(2027, 5, 1), "4000")
    years = selectors.budget(plan=plan, actions=list(plan.actions.all()))
    assert all(y.budget is None and y.left is None and not y.not_fitting for y in years)
    assert [y.year.label for y in years][:2] == ["2026 to 2027", "2027 to 2028"]


def test_the_budget_page_shows_the_budget_and_what_does_not_fit(plan, school, editor, editor_client):
    over = add(plan, "big", datetime.date(2027, 5, 1), "9000", Priority.OTHER)
    add(plan, "must", datetime.date(2027, 5, 1), "1000", Priority.STATUTORY)
    add(plan, "uncosted", datetime.date(2027, 5, 1), None)

    response = editor_client.post(f"/schools/{school.urn}/plan/budget/2027", {"amount": "5,000"})
    assert response.status_code == 200  # a comma is not a number here: the error says how to write it
    assert "Budget must be an amount in pounds" in response.content.decode()

    response = editor_client.post(f"/schools/{school.urn}/plan/budget/2027", {"amount": "5000"})
    assert response.status_code == 302 and response["Location"].endswith("/budget#year-2027")
    page = editor_client.get(f"/schools/{school.urn}/plan/budget").content.decode()
    assert "Over budget by" in page and "£5,000 over" in page
    assert f'href="/schools/{school.urn}/plan/actions/{over.pk}"' in page
    assert f"/schools/{school.urn}/plan/actions?year=2027&amp;cost=none" in page

    editor_client.post(f"/schools/{school.urn}/plan/budget/2027", {"amount": ""})
    assert not PlanBudget.objects.exists()


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("-1", "Budget must be £0 or more"),
        ("abc", "Budget must be an amount in pounds"),
        ("1.234", "no more than 2 decimal places"),
        ("99999999999", "less than £10,000,000,000"),
        ("1e9999", "less than £10,000,000,000"),
        ("NaN", "Budget must be an amount in pounds"),
        ("\x00", ""),
        ("1" * 5000, ""),
    ],
)
def test_hostile_budgets_are_refused_with_a_message(plan, school, editor_client, amount, error):
    response = editor_client.post(f"/schools/{school.urn}/plan/budget/2027", {"amount": amount})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not PlanBudget.objects.exists()


@pytest.mark.parametrize("year", ["2019", "2032", "99999"])
def test_a_year_outside_the_plan_is_not_found(plan, school, editor_client, year):
    assert editor_client.get(f"/schools/{school.urn}/plan/budget/{year}").status_code == 404


def test_a_viewer_cannot_set_the_budget(plan, school, client, viewer):
    client.force_login(viewer)
    assert client.post(f"/schools/{school.urn}/plan/budget/2027", {"amount": "10"}).status_code == 403
    assert not PlanBudget.objects.exists()


def test_the_service_refuses_a_date_that_does_not_start_a_financial_year(plan, editor):
    with pytest.raises(services.PlanningError, match="starts on 1 April"):
        services.plan_budget_set(plan=plan, year_start=datetime.date(2027, 9, 1), amount=Decimal(1), user=editor)


def test_the_timeline_is_paged_with_filters_and_term_totals_across_pages(plan, school, editor_client):
    for number in range(60):
        add(plan, f"a{number:02}", datetime.date(2027, 1, 10) + datetime.timedelta(days=number), "10")
    add(plan, "free", datetime.date(2027, 2, 1), None, Priority.STATUTORY)

    first = editor_client.get(f"/schools/{school.urn}/plan/timeline").content.decode()
    assert "61 actions, showing 1 to 50" in first
    assert "Spring term 2027 (61 actions, £600, 50 on this page)" in first
    assert 'class="govuk-pagination' in first and "page=2" in first

    second = editor_client.get(f"/schools/{school.urn}/plan/timeline?page=2").content.decode()
    assert "showing 51 to 61" in second

    filtered = editor_client.get(f"/schools/{school.urn}/plan/timeline?priority=1&cost=none").content.decode()
    assert "1 action" in filtered and "Action free" in filtered and "Action a00" not in filtered


@pytest.mark.parametrize("query", ["page=-1", "page=abc", "priority=%00", "year=3000", "cost=<script>", "year=2027x"])
def test_hostile_list_parameters_never_break_the_lists(plan, school, editor_client, query):
    add(plan, "a", datetime.date(2027, 1, 10), "10")
    for page in ("timeline", "actions"):
        response = editor_client.get(f"/schools/{school.urn}/plan/{page}?{query}")
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()


def test_the_action_list_filters_by_financial_year_and_cost(plan, school, editor_client):
    add(plan, "this-year", datetime.date(2027, 1, 10), None)
    add(plan, "next-year", datetime.date(2027, 5, 10), None)
    add(plan, "costed", datetime.date(2027, 5, 10), "10")
    page = editor_client.get(f"/schools/{school.urn}/plan/actions?year=2027&cost=none").content.decode()
    assert "Action next-year" in page
    assert "Action this-year" not in page and "Action costed" not in page
    assert '<option value="2027" selected>2027 to 2028</option>' in page


def test_the_overview_counts_what_is_overdue_and_what_is_due_by_the_end_of_next_term(plan, school, editor_client):
    Status = PlanAction.Status
    add(plan, "late", datetime.date(2026, 11, 1), "100")
    add(plan, "late-but-deferred", datetime.date(2026, 11, 2), "100", status=Status.DEFERRED)
    add(plan, "late-but-done", datetime.date(2026, 11, 3), "100", status=Status.DONE)
    add(plan, "soon", datetime.date(2027, 1, 10), "300")
    add(plan, "soon-started", datetime.date(2027, 2, 1), "200", status=Status.IN_PROGRESS)
    add(plan, "soon-uncosted", datetime.date(2027, 2, 2), None)
    add(plan, "next-year", datetime.date(2027, 9, 1), "5000")

    summary = selectors.summary(actions=list(plan.actions.all()), today=TODAY)

    assert summary.due_by == calendar.term_of(TODAY).next().end  # the spring term's end
    assert (summary.overdue, summary.due_soon, summary.due_soon_cost) == (1, 3, Decimal("500"))
    page = editor_client.get(f"/schools/{school.urn}/plan/").content.decode()
    assert "Overdue" in page and "the end of next term" in page
