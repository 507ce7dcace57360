import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from schooltech.accounts import policy
from schooltech.accounts.models import DEPARTMENT_ROLES, Membership, Role
from schooltech.demo import legacy as legacy_examples
from schooltech.demo import people as demo
from schooltech.legacy import selectors

pytestmark = pytest.mark.django_db

ANALYST_EMAIL = "aisha.khan@education.example"  # the README's demo department analyst


def test_the_examples_show_every_rating_a_decision_and_overdue_milestones_and_load_once():
    call_command("load_legacy_examples", stdout=None)
    call_command("load_legacy_examples", stdout=None)
    today = datetime.date.today()
    register = selectors.register(today=today)
    assert len(register) == 5 and all(risk.service.is_example for risk in register)
    assert {risk.rating for risk in register} == {"red", "amber", "green", "not scored"}
    assert selectors.overdue_milestones(today=today).exists()
    assert all(selectors.decisions_of(risk.service) for risk in register if risk.rating in ("red", "amber"))


def test_after_make_data_the_examples_are_assessed_against_the_standards_the_register_answers():
    call_command("load_legacy_principles", stdout=None)  # as `make data` runs them, in this order
    call_command("load_legacy_examples", stdout=None)
    today = datetime.date.today()
    outcomes = {
        risk.service.name: {
            a.principle.key: a.outcome for a in selectors.principle_assessments_of(risk.service).values()
        }
        for risk in selectors.register(today=today)
    }
    assert all(set(found) == {"software-in-support", "contracts-recorded"} for found in outcomes.values())
    assert "does_not" in {found["software-in-support"] for found in outcomes.values()}


def test_the_demo_analyst_has_a_department_role_that_reaches_the_examples_in_the_register(client):
    # the demo loaders, as `make data` runs them, in this order (no shipped schools needed for the analyst)
    call_command("load_demo_accounts", stdout=StringIO(), stderr=StringIO())
    call_command("load_legacy_principles", stdout=None)
    call_command("load_legacy_examples", stdout=None)
    (analyst_person,) = [person for person in demo.DEMO_PEOPLE if person["email"] == ANALYST_EMAIL]
    assert analyst_person["organisation"] == ("department", "", "risk_reviewer")  # README: "risk reviewer"
    analyst = get_user_model().objects.get(email=ANALYST_EMAIL)
    assert list(Membership.objects.filter(user=analyst).values_list("organisation_kind", "role")) == [
        ("department", "risk_reviewer")
    ]
    assert Role.RISK_REVIEWER in DEPARTMENT_ROLES
    assert policy.can_department(analyst, "view_legacy") and policy.can_department(analyst, "score_legacy")

    client.force_login(analyst)
    register = client.get(reverse("legacy:register"))
    assert register.status_code == 200
    names = [example.name for example in legacy_examples.EXAMPLES]
    assert len(names) == 5 and all(name in register.text for name in names)
    service = selectors.register(today=datetime.date.today())[0].service
    for url in (
        reverse("legacy:matrix"),
        reverse("legacy:board_summary"),
        reverse("legacy:principles"),
        reverse("legacy:service", kwargs={"service_id": service.pk}),
    ):
        assert client.get(url).status_code == 200, url
