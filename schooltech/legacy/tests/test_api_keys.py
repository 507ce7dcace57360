"""API keys that read the legacy register: made by department-role members, for the department,
reading the register and nothing else, and dead as soon as their maker loses the role."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from schooltech.accounts import services as account_services
from schooltech.accounts.models import ApiKey, Membership, Role
from schooltech.organisations.reference import DEPARTMENT, OrganisationRef
from tests.factories import EstablishmentFactory, LegacyServiceFactory, make_member, make_membership

pytestmark = pytest.mark.django_db
BASE = "/api/v1/department/legacy-technology"


def _bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _keys_url(name: str, **kwargs) -> str:
    return reverse(f"accounts:{name}", kwargs={"organisation": OrganisationRef.department(), **kwargs})


@pytest.fixture
def service():
    return LegacyServiceFactory(name="Pensions calculator")


@pytest.mark.parametrize("role", [Role.SERVICE_OWNER, Role.ARCHITECT, Role.RISK_REVIEWER])
def test_a_department_role_member_makes_a_key_that_reads_the_register(service, role):
    maker = make_member(role)
    api_key, raw = account_services.api_key_create(actor=maker, organisation=DEPARTMENT, name="Board", role="legacy")
    assert api_key.organisation_kind == "department"
    client = Client()
    listed = client.get(f"{BASE}/services", **_bearer(raw))
    assert listed.status_code == 200 and [row["name"] for row in listed.json()] == ["Pensions calculator"]
    assert client.get(f"{BASE}/services/{service.pk}", **_bearer(raw)).status_code == 200
    assert client.get(f"{BASE}/decisions", **_bearer(raw)).status_code == 200


def test_a_legacy_key_reads_nothing_else_even_when_its_maker_could(service):
    school = EstablishmentFactory()
    maker = make_member(Role.ARCHITECT)
    make_membership(maker, school, Role.APPROVER)  # the maker also runs a school
    _, raw = account_services.api_key_create(actor=maker, organisation=DEPARTMENT, name="Board", role="legacy")
    for path in (f"/api/v1/schools/{school.urn}/{what}" for what in ("standards", "estate/assets", "plan")):
        response = Client().get(path, **_bearer(raw))
        assert response.status_code == 403, path
    writes = Client().post(f"{BASE}/services", {}, content_type="application/json", **_bearer(raw))
    assert writes.status_code in (403, 405)


@pytest.mark.parametrize(
    "maker, organisation, role",
    [
        ("school approver", "school", "legacy"),
        ("department approver", "department", "legacy"),
        ("department viewer", "department", "legacy"),
        ("architect", "school", "legacy"),
        ("architect", "department", "viewer"),
        ("architect", "department", "editor"),
        ("department approver", "department", "viewer"),
    ],
)
def test_nobody_else_makes_a_department_key_and_nobody_makes_one_for_anything_else(maker, organisation, role):
    school = EstablishmentFactory()
    people = {
        "school approver": lambda: make_member(Role.APPROVER, school),
        "department approver": lambda: make_member(Role.APPROVER),
        "department viewer": lambda: make_member(Role.VIEWER),
        "architect": lambda: make_member(Role.ARCHITECT),
    }
    with pytest.raises(account_services.AccountsError):
        account_services.api_key_create(
            actor=people[maker](),
            organisation=school if organisation == "school" else DEPARTMENT,
            name="Sync",
            role=role,
        )
    assert not ApiKey.objects.exists()


def test_a_legacy_key_stops_working_when_its_maker_loses_the_department_role(service):
    maker = make_member(Role.RISK_REVIEWER)
    _, raw = account_services.api_key_create(actor=maker, organisation=DEPARTMENT, name="Board", role="legacy")
    assert Client().get(f"{BASE}/services", **_bearer(raw)).status_code == 200
    Membership.objects.filter(user=maker).update(role=Role.VIEWER)
    assert Client().get(f"{BASE}/services", **_bearer(raw)).status_code == 401


def test_a_department_role_member_makes_one_through_the_pages_and_sees_only_the_keys(client, service):
    maker = make_member(Role.RISK_REVIEWER)
    client.force_login(maker)
    account = client.get(reverse("accounts:account")).content.decode()
    assert _keys_url("api_keys") in account
    listing = client.get(_keys_url("api_keys")).content.decode()
    assert "legacy technology register" in listing
    assert _keys_url("members") not in listing and _keys_url("audit") not in listing  # not theirs to open
    assert client.get(_keys_url("members")).status_code == 403
    form = client.get(_keys_url("api_key_new")).content.decode()
    assert "Read the legacy technology register" in form and "Read and write" not in form and "checked" in form
    refused = client.post(_keys_url("api_key_new"), {"name": "Board", "role": "editor", "days": "30"})
    assert refused.status_code == 200 and "Select what the key can do" in refused.content.decode()
    response = client.post(_keys_url("api_key_new"), {"name": "Board", "role": "legacy", "days": "30"})
    assert response.url == _keys_url("api_key_check")
    created = client.post(_keys_url("api_key_check"))
    api_key = ApiKey.objects.get()
    page = client.get(created.url).content.decode()
    raw = "st_" + page.split('value="st_', 1)[1].split('"', 1)[0]
    assert Client().get(f"{BASE}/services", **_bearer(raw)).status_code == 200
    revoked = client.post(_keys_url("api_key_revoke", api_key_id=api_key.pk))
    assert revoked.status_code == 302
    assert Client().get(f"{BASE}/services", **_bearer(raw)).status_code == 401


def test_school_approvers_are_not_offered_a_legacy_key(client):
    school = EstablishmentFactory()
    client.force_login(make_member(Role.APPROVER, school))
    url = reverse("accounts:api_key_new", kwargs={"organisation": OrganisationRef.for_organisation(school)})
    assert "legacy" not in client.get(url).content.decode().lower()
    assert client.get(_keys_url("api_keys")).status_code == 403


def test_the_command_makes_a_department_key(service):
    maker = make_member(Role.ARCHITECT, email="architect@education.example")
    out = StringIO()
    call_command(
        "estate_api_token",
        email=maker.email,
        department=True,
        role="legacy",
        name="Board",
        stdout=out,
        stderr=StringIO(),
    )
    assert Client().get(f"{BASE}/services", **_bearer(out.getvalue().strip())).status_code == 200
    with pytest.raises(CommandError, match="access you have yourself"):
        call_command("estate_api_token", email=maker.email, department=True, role="viewer", name="X", stderr=StringIO())


def test_a_department_approver_without_a_department_role_is_told_they_cannot_make_one(client):
    client.force_login(make_member(Role.APPROVER))
    page = client.get(_keys_url("api_key_new")).content.decode()
    assert "You cannot make a key here" in page and "<form" not in page.split("<main", 1)[1]
    refused = client.post(_keys_url("api_key_new"), {"name": "Board", "role": "legacy", "days": "30"})
    assert refused.status_code == 200 and not ApiKey.objects.exists()
