"""Any answers to the plan's forms (Hypothesis, tests/hostile_forms.py): adding an action, an action's
status and deferral, the plan's settings, a year's budget, sharing the plan by email, and a person's
email preferences. No server error; a refusal names the problem in the
error summary and writes nothing."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schooltech.planning import services
from tests.factories import AssetFactory
from tests.hostile_forms import FORM_PROPERTY, post_anything

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(reference_data, school, editor):
    AssetFactory(establishment=school)
    plan, _ = services.plan_generate(establishment=school, user=editor)
    return plan


@pytest.mark.parametrize("form_page", ["actions/add", "settings", "share"])
@FORM_PROPERTY
@given(data=st.data())
def test_any_answers_to_a_plan_form(editor_client, school, plan, form_page, data):
    post_anything(editor_client, f"/schools/{school.urn}/plan/{form_page}", data)


@pytest.mark.parametrize("form_page", ["status", "defer"])
@FORM_PROPERTY
@given(data=st.data())
def test_any_answers_to_an_action_s_forms(editor_client, school, plan, form_page, data):
    action = plan.actions.order_by("pk").first()
    post_anything(editor_client, f"/schools/{school.urn}/plan/actions/{action.pk}/{form_page}", data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_budget_for_a_year_of_the_plan(editor_client, school, plan, data):
    year = re.search(r"/plan/budget/(\d{4})", editor_client.get(f"/schools/{school.urn}/plan/budget").content.decode())
    post_anything(editor_client, f"/schools/{school.urn}/plan/budget/{year.group(1)}", data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_email_preferences(editor_client, data):
    post_anything(editor_client, "/account/email-preferences", data)
