"""An API fuzz run against the OpenAPI document (schemathesis), in-process through the WSGI app.

For every operation in /api/v1/openapi.json, schemathesis generates requests, valid and not, and
checks each answer: never a 5xx, and always a status, content type and body that the document
describes for that operation. It runs three ways:

- with an editor's API key for a school, every `{urn}` being that school and every record id one of
  its records, so the generated values reach the register rules, the services and the database;
- with a trust approver's key for the trust's plans (`/plans/{organisation}`);
- with a department risk reviewer's session for the legacy register (`/department/...`);
- anonymously, which must answer 401 in the error schema everywhere but the open statistics.

Every check schemathesis has runs but one: `positive_data_acceptance`, which expects every request
that fits the document to be accepted. The registers refuse some that fit it, by rules across fields
the document cannot state (a disposal date needs the status "disposed"), with a documented 422.

Bounded in time: a few examples per operation and no shrinking beyond Hypothesis's own limits
(HYPOTHESIS_PROFILE does not apply here; FUZZ_EXAMPLES raises the count for a longer local run).
"""

import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from schooltech.accounts import services as accounts_services
from schooltech.accounts.models import Role
from schooltech.estate import registers
from schooltech.legacy.models import LegacyService
from schooltech.organisations.reference import DEPARTMENT
from schooltech.planning import services as planning_services
from tests.factories import (
    AssetFactory,
    ConnectionFactory,
    ContractFactory,
    EstablishmentFactory,
    InformationAssetFactory,
    LegacyServiceFactory,
    ServiceFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)

pytestmark = pytest.mark.django_db

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)
# Anonymous calls stop at authentication, so a few generated ones per operation say enough; the
# coverage phase (every boundary value of every parameter) runs with the key, where values matter.
anonymous_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)
anonymous_schema.config.phases.coverage.enabled = False
# The API ignores query parameters a route does not have (docs/api.md), so none are made up.
for _schema in (schema, anonymous_schema):
    _schema.config.generation.update(allow_extra_parameters=False)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=False,
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
FACTORIES = {
    "assets": AssetFactory,
    "connections": ConnectionFactory,
    "services": ServiceFactory,
    "contracts": ContractFactory,
    "information-assets": InformationAssetFactory,
}


@pytest.fixture(autouse=True)
def database_connection_kept_between_requests():
    """The WSGI app closes "old" connections at the start and end of each request, and a connection
    inside the test's transaction looks old: on PostgreSQL the next query would find it closed (an
    in-memory SQLite connection is never closed). Django's own test client disconnects the same
    receivers while it calls the app; schemathesis calls the app directly, so do it here."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db):
    """A school in a trust with one record in each register, a plan, and a key for each."""
    call_command("load_planning_data", stdout=None)
    call_command("load_standards", stdout=None)
    trust = TrustFactory()
    school = EstablishmentFactory(trust=trust, name="Fuzz Primary School", phase_code="2", phase_name="Primary")
    editor = UserFactory(email="editor@fuzz.example")
    make_membership(editor, school, Role.EDITOR)
    trust_approver = UserFactory(email="approver@trust.example")
    make_membership(trust_approver, trust, Role.APPROVER)
    records = {slug: factory(establishment=school) for slug, factory in FACTORIES.items()}
    planning_services.plan_generate(establishment=school, user=editor)
    _, school_key = accounts_services.api_key_create(actor=editor, organisation=school, role="editor", name="Fuzz")
    _, trust_key = accounts_services.api_key_create(
        actor=trust_approver, organisation=trust, role="viewer", name="Fuzz trust"
    )
    reviewer = UserFactory(email="reviewer@department.example")
    make_membership(reviewer, DEPARTMENT, Role.RISK_REVIEWER)
    LegacyServiceFactory()
    session = Client()
    session.force_login(reviewer)  # department routes take a session: keys belong to schools, trusts and LAs
    return {
        "school": school,
        "trust": trust,
        "records": records,
        "school_key": school_key,
        "trust_key": trust_key,
        "department_cookie": f"sessionid={session.cookies['sessionid'].value}",
    }


def _aim_at_the_world(case, world) -> dict:
    """Point the case at the world's school, trust and records; answer the headers to send.

    A case whose path schemathesis made invalid on purpose (a word for a record id) keeps it.
    """
    path = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
    parameters = case.path_parameters if path is None or path.mode == GenerationMode.POSITIVE else {}
    if "urn" in parameters:
        parameters["urn"] = world["school"].urn
    for slug, record in world["records"].items():
        id_kwarg = _ID_KWARGS.get(slug)
        if id_kwarg in parameters:
            parameters[id_kwarg] = _live_record(slug, record, world["school"]).pk
    if case.path.startswith("/api/v1/department/"):
        if "service_id" in parameters:
            parameters["service_id"] = LegacyService.objects.order_by("pk").first().pk
        return {"Cookie": world["department_cookie"]}
    if "organisation" in (case.path_parameters or {}):
        if "organisation" in parameters:
            parameters["organisation"] = f"trust-{world['trust'].uid}"
        return {"Authorization": f"Bearer {world['trust_key']}"}
    return {"Authorization": f"Bearer {world['school_key']}"}


_ID_KWARGS = {
    "assets": "asset_id",
    "connections": "connection_id",
    "services": "service_id",
    "contracts": "contract_id",
    "information-assets": "information_asset_id",
}


def _live_record(slug, record, school):
    """The register's record, made again if a generated DELETE removed it."""
    model = registers.REGISTERS[slug].model
    found = model.objects.filter(establishment=school).order_by("pk").first()
    return found or FACTORIES[slug](establishment=school)


@schema.parametrize()
@FUZZ
def test_the_api_with_a_key_answers_every_generated_request_as_documented(case, world):
    headers = _aim_at_the_world(case, world)
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])


@anonymous_schema.parametrize()
@settings(FUZZ, max_examples=max(2, EXAMPLES // 4))
def test_the_api_without_a_key_answers_every_generated_request_as_documented(case, db):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
