"""Any answers to the legacy register's forms (Hypothesis, tests/hostile_forms.py): a score, a decision,
a milestone, an assessment against a principle, and a service, its software, a vulnerability and a
contract, new and changed. No server
error; a refusal names the problem in the error summary and writes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from schooltech.accounts.models import Role
from schooltech.organisations.reference import DEPARTMENT
from tests.factories import (
    LegacyContractFactory,
    LegacyServiceFactory,
    LegacySoftwareFactory,
    UserFactory,
    make_membership,
)
from tests.hostile_forms import FORM_PROPERTY, post_anything

pytestmark = pytest.mark.django_db


def _department_client(client, role):
    user = UserFactory()
    make_membership(user, DEPARTMENT, role)
    client.force_login(user)
    return client


@pytest.fixture
def service():
    service = LegacyServiceFactory()
    software = LegacySoftwareFactory(service=service)
    contract = LegacyContractFactory(service=service)
    return {"service_id": service.pk, "software_id": software.pk, "contract_id": contract.pk}


REVIEWER_PAGES = ["legacy:score", "legacy:decision_new", "legacy:milestone_new"]
OWNER_PAGES = {
    "legacy:service_new": (),
    "legacy:service_edit": ("service_id",),
    "legacy:software_new": ("service_id",),
    "legacy:software_edit": ("service_id", "software_id"),
    "legacy:vulnerability_new": ("service_id", "software_id"),
    "legacy:contract_new": ("service_id",),
    "legacy:contract_edit": ("service_id", "contract_id"),
}


@pytest.mark.parametrize("form_page", REVIEWER_PAGES)
@FORM_PROPERTY
@given(data=st.data())
def test_any_answers_to_a_risk_reviewer_s_form(client, service, form_page, data):
    reviewer = _department_client(client, Role.RISK_REVIEWER)  # may score and decide
    post_anything(reviewer, reverse(form_page, kwargs={"service_id": service["service_id"]}), data)


@pytest.mark.parametrize("form_page", OWNER_PAGES)
@FORM_PROPERTY
@given(data=st.data())
def test_any_answers_to_a_service_owner_s_form(client, service, form_page, data):
    owner = _department_client(client, Role.SERVICE_OWNER)  # may change the register
    post_anything(owner, reverse(form_page, kwargs={name: service[name] for name in OWNER_PAGES[form_page]}), data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_assessment_against_a_principle(client, service, data):
    call_command("load_legacy_principles", stdout=StringIO())
    reviewer = _department_client(client, Role.RISK_REVIEWER)
    url = reverse("legacy:principle_assess", kwargs={"service_id": service["service_id"], "key": "cloud-first"})
    assert reviewer.get(url).status_code == 200
    post_anything(reviewer, url, data)
