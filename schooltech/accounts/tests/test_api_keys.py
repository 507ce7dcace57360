"""API keys: made, shown once, listed and revoked by approvers; expire; audited; accepted everywhere."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schooltech.accounts import services
from schooltech.accounts.models import ApiKey, Membership, Role
from schooltech.organisations.reference import OrganisationRef
from tests.factories import (
    AcademyFactory,
    EstablishmentFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return EstablishmentFactory(name="Hilltop Primary School")


@pytest.fixture
def approver(school):
    user = UserFactory(email="approver@hilltop.example", first_name="Ada", last_name="Approver")
    make_membership(user, school, Role.APPROVER)
    return user


def _bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _lifetime_days(api_key: ApiKey) -> int:
    return round((api_key.expires_at - api_key.created_at).total_seconds() / 86400)


def _url(name: str, organisation, **kwargs) -> str:
    return reverse(
        f"accounts:{name}", kwargs={"organisation": OrganisationRef.for_organisation(organisation), **kwargs}
    )


def test_only_a_hash_is_kept_and_a_key_lasts_a_year_by_default(approver, school):
    api_key, raw = services.api_key_create(actor=approver, organisation=school, name="Intune sync", role="editor")
    assert raw.startswith("st_") and len(raw) > 40
    assert raw not in str(ApiKey.objects.filter(pk=api_key.pk).values().get())
    assert api_key.key_start == raw[:8]
    lifetime = api_key.expires_at - timezone.now()
    assert datetime.timedelta(days=364) < lifetime <= datetime.timedelta(days=365)


def test_creation_and_revocation_are_in_the_organisations_audit_trail(client, approver, school):
    api_key, _ = services.api_key_create(actor=approver, organisation=school, name="Intune sync", role="viewer")
    services.api_key_revoke(actor=approver, api_key=api_key)
    reasons = list(api_key.history.order_by("history_id").values_list("history_change_reason", "history_user"))
    assert reasons == [("API key created, read only, 365 days", approver.pk), ("API key revoked", approver.pk)]
    client.force_login(approver)
    page = client.get(_url("audit", school)).content.decode()
    assert "API key revoked" in page and "API key created" in page


def test_nobody_makes_a_key_with_more_access_than_they_have_or_for_more_than_a_year(school):
    viewer = UserFactory()
    make_membership(viewer, school, Role.VIEWER)
    with pytest.raises(services.AccountsError):
        services.api_key_create(actor=viewer, organisation=school, name="Sneaky", role="editor")
    with pytest.raises(services.AccountsError):
        services.api_key_create(actor=viewer, organisation=school, name="Forever", role="viewer", days=366)


def test_a_key_is_accepted_by_the_estate_standards_and_plan_routes(approver, school):
    _, raw = services.api_key_create(actor=approver, organisation=school, name="Dashboard", role="viewer")
    client = Client()
    assert client.get(f"/api/v1/schools/{school.urn}/estate/assets", **_bearer(raw)).status_code == 200
    assert client.get(f"/api/v1/schools/{school.urn}/standards/recommendations", **_bearer(raw)).status_code == 200
    assert client.get(f"/api/v1/schools/{school.urn}/plan", **_bearer(raw)).status_code == 404  # reached; no plan
    other = EstablishmentFactory()
    assert client.get(f"/api/v1/schools/{other.urn}/standards", **_bearer(raw)).status_code == 403


def test_expired_revoked_and_orphaned_keys_answer_401(approver, school):
    client = Client()
    url = f"/api/v1/schools/{school.urn}/estate/assets"
    expired, raw_expired = services.api_key_create(actor=approver, organisation=school, name="Old", role="viewer")
    ApiKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    revoked, raw_revoked = services.api_key_create(actor=approver, organisation=school, name="Gone", role="viewer")
    services.api_key_revoke(actor=approver, api_key=revoked)
    for raw in (raw_expired, raw_revoked, "st_made-up"):
        response = client.get(url, **_bearer(raw))
        assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    _, raw_live = services.api_key_create(actor=approver, organisation=school, name="Live", role="viewer")
    assert client.get(url, **_bearer(raw_live)).status_code == 200
    Membership.objects.filter(user=approver).delete()
    assert client.get(url, **_bearer(raw_live)).status_code == 401


def test_a_read_only_key_cannot_write_even_for_an_approver(approver, school):
    _, raw = services.api_key_create(actor=approver, organisation=school, name="Reports", role="viewer")
    response = Client().post(
        f"/api/v1/schools/{school.urn}/estate/assets",
        json.dumps({"category": "laptop"}),
        content_type="application/json",
        **_bearer(raw),
    )
    assert response.status_code == 403


def test_a_trust_key_reaches_the_trusts_schools_only(school):
    trust = TrustFactory()
    academy = AcademyFactory(trust=trust)
    director = UserFactory()
    make_membership(director, trust, Role.APPROVER)
    _, raw = services.api_key_create(actor=director, organisation=trust, name="Trust dashboard", role="viewer")
    client = Client()
    assert client.get(f"/api/v1/schools/{academy.urn}/estate/contracts", **_bearer(raw)).status_code == 200
    assert client.get(f"/api/v1/plans/trust-{trust.uid}", **_bearer(raw)).status_code == 200
    assert client.get(f"/api/v1/schools/{school.urn}/estate/contracts", **_bearer(raw)).status_code == 403


def test_writes_made_with_a_key_say_so_in_the_history(approver, school):
    from schooltech.estate.models import Asset

    _, raw = services.api_key_create(actor=approver, organisation=school, name="Intune sync", role="editor")
    response = Client().post(
        f"/api/v1/schools/{school.urn}/estate/assets",
        json.dumps({"category": "laptop", "serial_number": "KEY-1"}),
        content_type="application/json",
        **_bearer(raw),
    )
    assert response.status_code == 201, response.content
    record = Asset.objects.get(serial_number="KEY-1").history.get()
    assert record.history_user == approver
    assert record.history_change_reason == "Added to the assets register (API key “Intune sync”)"


def test_use_is_recorded_at_most_every_few_minutes(approver, school):
    api_key, raw = services.api_key_create(actor=approver, organisation=school, name="Sync", role="viewer")
    start = timezone.now()
    services.api_key_authenticate(raw, now=start)
    api_key.refresh_from_db()
    assert api_key.last_used_at == start
    services.api_key_authenticate(raw, now=start + datetime.timedelta(minutes=1))
    api_key.refresh_from_db()
    assert api_key.last_used_at == start  # not a write per request
    later = start + services.API_KEY_USE_RECORD_INTERVAL + datetime.timedelta(seconds=1)
    services.api_key_authenticate(raw, now=later)
    api_key.refresh_from_db()
    assert api_key.last_used_at == later


def test_each_api_request_made_with_a_key_is_logged_with_the_key(approver, school, caplog):
    api_key, raw = services.api_key_create(actor=approver, organisation=school, name="Sync", role="viewer")
    with caplog.at_level("INFO", logger="schooltech.request"):
        Client().get(f"/api/v1/schools/{school.urn}/standards", **_bearer(raw))
    assert [record.api_key_id for record in caplog.records if record.name == "schooltech.request"] == [api_key.pk]


def test_an_approver_creates_a_key_checks_the_answers_and_sees_it_once(client, approver, school):
    client.force_login(approver)
    assert "Hilltop Primary School has no API keys" in client.get(_url("api_keys", school)).content.decode()
    response = client.post(_url("api_key_new", school), {"name": "", "role": "editor", "days": "90"})
    assert "Enter a name for the key" in response.content.decode()
    response = client.post(_url("api_key_new", school), {"name": "Intune sync", "role": "editor", "days": "90"})
    assert response.url == _url("api_key_check", school)
    check = client.get(response.url).content.decode()
    assert "Check your answers" in check and "Intune sync" in check and "Read and write" in check and "90 days" in check
    response = client.post(_url("api_key_check", school))
    api_key = ApiKey.objects.get()
    assert response.url == _url("api_key_created", school, api_key_id=api_key.pk)
    page = client.get(response.url).content.decode()
    raw = page.split('value="st_', 1)[1].split('"', 1)[0]
    assert services.hash_api_key("st_" + raw) == api_key.key_hash
    assert 'value="st_' not in client.get(response.url).content.decode()  # shown once
    assert (api_key.role, _lifetime_days(api_key)) == ("editor", 90)
    listing = client.get(_url("api_keys", school)).content.decode()
    assert "Intune sync" in listing and api_key.key_start in listing and "Never" in listing


def test_check_answers_without_details_goes_back_to_the_form(client, approver, school):
    client.force_login(approver)
    assert client.get(_url("api_key_check", school)).url == _url("api_key_new", school)
    assert client.post(_url("api_key_check", school)).url == _url("api_key_new", school)
    assert not ApiKey.objects.exists()


def test_an_approver_revokes_a_key_after_confirming(client, approver, school):
    api_key, raw = services.api_key_create(actor=approver, organisation=school, name="Old sync", role="viewer")
    client.force_login(approver)
    confirm = client.get(_url("api_key_revoke", school, api_key_id=api_key.pk)).content.decode()
    assert "Are you sure you want to revoke ‘Old sync’?" in confirm
    response = client.post(_url("api_key_revoke", school, api_key_id=api_key.pk), follow=True)
    assert "has been revoked" in response.content.decode()
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None and api_key.revoked_by == approver
    assert Client().get(f"/api/v1/schools/{school.urn}/standards", **_bearer(raw)).status_code == 401
    again = client.post(_url("api_key_revoke", school, api_key_id=api_key.pk))
    assert again.status_code == 400 and "already been revoked" in again.content.decode()


def test_editors_and_trust_approvers_cannot_manage_a_schools_keys(client, school):
    trust = TrustFactory()
    school.trust = trust
    school.save()
    editor, director = UserFactory(), UserFactory()
    make_membership(editor, school, Role.EDITOR)
    make_membership(director, trust, Role.APPROVER)
    for person in (editor, director):
        client.force_login(person)
        assert client.get(_url("api_keys", school)).status_code == 403
        assert (
            client.post(_url("api_key_new", school), {"name": "X", "role": "viewer", "days": "30"}).status_code == 403
        )


def test_the_command_makes_a_key_with_an_expiry(approver, school):
    out, err = StringIO(), StringIO()
    call_command(
        "estate_api_token",
        email=approver.email,
        urn=school.urn,
        role="editor",
        name="Sync",
        days=30,
        stdout=out,
        stderr=err,
    )
    raw = out.getvalue().strip()
    api_key = ApiKey.objects.get(key_hash=services.hash_api_key(raw))
    assert _lifetime_days(api_key) == 30 and "Expires on" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("estate_api_token", email=approver.email, urn=school.urn, name="Long", days=400, stdout=out)
