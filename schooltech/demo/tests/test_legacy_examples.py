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
