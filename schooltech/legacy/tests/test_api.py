"""The legacy register's JSON API: department roles read the register, a service's scores and
decisions; nobody else (school, trust, local authority, department viewers, API keys of any of them;
the department's own legacy keys are in test_api_keys.py)."""

import datetime

import pytest

from schooltech.accounts import services as account_services
from schooltech.accounts.models import Role
from schooltech.legacy import services
from schooltech.organisations.reference import DEPARTMENT
from tests.factories import (
    LegacyServiceFactory,
    LegacySoftwareFactory,
    TrustFactory,
    make_member,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/department/legacy-technology"


@pytest.fixture
def service():
    service = LegacyServiceFactory(name="Pensions calculator", is_example=True)
    LegacySoftwareFactory(service=service, name="Java", version="6", support_ends=datetime.date(2020, 1, 1))
    services.criterion_score_set(actor=None, service=service, criterion="L3", score=4, reason="Two people know it")
    services.decision_record(
        actor=None,
        service=service,
        kind="replace",
        rationale="Too risky",
        approved_by="Director",
        decided_on=datetime.date(2026, 1, 1),
    )
    return service


@pytest.mark.parametrize("role", [Role.SERVICE_OWNER, Role.ARCHITECT, Role.RISK_REVIEWER])
def test_each_department_role_reads_the_register_a_service_and_the_decisions(client, service, role):
    client.force_login(make_member(role))
    listed = client.get(f"{BASE}/services").json()
    assert [row["name"] for row in listed] == ["Pensions calculator"]
    criteria = {row["criterion"]: row for row in listed[0]["criteria"]}
    assert criteria["L1"]["score"] == 6 and criteria["L1"]["derived"] is True
    assert criteria["L3"] == {
        "criterion": "L3",
        "label": "L3 Lack of knowledge and skills",
        "score": 4,
        "derived": False,
        "evidence": "Two people know it",
    }
    assert listed[0]["rating"] == "not scored" and listed[0]["is_example"] is True
    detail = client.get(f"{BASE}/services/{service.pk}").json()
    assert detail["software"][0]["name"] == "Java" and detail["decisions"][0]["kind"] == "replace"
    assert detail["score_history"][0]["reason"] == "Two people know it"
    decisions = client.get(f"{BASE}/decisions").json()
    assert decisions[0]["service"] == "Pensions calculator"


def test_filters_missing_services_and_other_methods(client, service):
    client.force_login(make_member(Role.ARCHITECT))
    assert client.get(f"{BASE}/services", {"rating": "red"}).json() == []
    assert client.get(f"{BASE}/services", {"directorate": "nonsense"}).status_code == 422
    for missing in ("999999", "0", "-1", "99999999999999999999999"):
        assert client.get(f"{BASE}/services/{missing}").status_code in (404, 422), missing
    response = client.post(f"{BASE}/services", {}, content_type="application/json")
    assert response.status_code in (403, 405)  # a session write without CSRF is refused before anything


@pytest.mark.parametrize("kind", ["school", "trust", "department viewer", "anonymous"])
def test_nobody_else_reads_anything(client, service, editor, kind):
    if kind == "school":
        client.force_login(editor)
    elif kind == "trust":
        client.force_login(make_member(Role.APPROVER, TrustFactory()))
    elif kind == "department viewer":
        client.force_login(make_member(Role.VIEWER))
    for path in (f"{BASE}/services", f"{BASE}/services/{service.pk}", f"{BASE}/decisions"):
        response = client.get(path)
        assert response.status_code == (401 if kind == "anonymous" else 403), (kind, path)
        assert "Pensions calculator" not in response.content.decode()


def test_an_api_key_without_a_department_role_reads_nothing(client, service, approver, school):
    _, raw = account_services.api_key_create(actor=approver, organisation=school, name="Sync", role="viewer")
    response = client.get(f"{BASE}/services", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403
    with pytest.raises(account_services.AccountsError):  # see test_api_keys.py for the keys that do read it
        account_services.api_key_create(
            actor=make_member(Role.APPROVER), organisation=DEPARTMENT, name="S", role="viewer"
        )
