"""The demo plans: the demo people's schools get a budget that the plan does not quite fit, once."""

import datetime

import pytest
from django.core.management import call_command

from schooltech.demo import people as demo
from schooltech.planning import selectors
from schooltech.planning.models import Plan, PlanBudget
from tests.factories import AssetFactory, EstablishmentFactory

pytestmark = pytest.mark.django_db


def test_demo_schools_get_a_budget_that_shows_what_does_not_fit_and_keep_their_own(db):
    call_command("load_standards", stdout=None)
    school = EstablishmentFactory(urn=demo.demo_school_urns()[0])
    AssetFactory.create_batch(30, establishment=school, operating_system="Windows 10", os_version="22H2")

    call_command("generate_plans", "--demo", "--today", "2026-11-23", stdout=None)

    plan = Plan.objects.get(establishment=school)
    years = selectors.budget(plan=plan, actions=list(selectors.active_actions(plan=plan)))
    budgeted = [year for year in years if year.budget is not None]
    assert budgeted and all(year.budget < year.total and year.not_fitting for year in budgeted)
    PlanBudget.objects.filter(plan=plan).update(amount=123)

    call_command("generate_plans", "--demo", "--today", "2026-11-23", stdout=None)

    assert set(PlanBudget.objects.values_list("amount", flat=True)) == {123}
    assert all(b.year_start >= datetime.date(2026, 4, 1) for b in PlanBudget.objects.all())
