import datetime

import pytest
from django.core.management import call_command

from schooltech.legacy import selectors

pytestmark = pytest.mark.django_db


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
