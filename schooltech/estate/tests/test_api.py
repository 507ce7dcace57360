import json

import pytest
from django.test import Client

from schooltech.accounts import services as account_services
from schooltech.accounts.models import Membership, Role
from schooltech.estate.models import Asset
from tests.factories import AssetFactory, ContractFactory, UserFactory, make_membership

pytestmark = pytest.mark.django_db


def _url(school, rest=""):
    return f"/api/v1/schools/{school.urn}/estate/assets{rest}"


def _post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def test_a_session_lists_and_reads_its_own_schools_assets(editor_client, school):
    asset = AssetFactory(establishment=school, asset_tag="API-1")
    listing = editor_client.get(_url(school)).json()
    assert listing["count"] == 1 and listing["items"][0]["asset_tag"] == "API-1"
    assert editor_client.get(_url(school, f"/{asset.pk}")).json()["id"] == asset.pk


def test_creating_an_asset_through_the_api_records_who(editor_client, editor, school):
    response = _post(
        editor_client, _url(school), {"category": "tablet", "serial_number": "DMP1", "purchase_date": "2025-01-31"}
    )
    assert response.status_code == 201, response.content
    asset = Asset.objects.get(serial_number="DMP1")
    assert asset.history.get().history_user == editor


def test_bad_values_get_every_error_and_change_nothing(editor_client, school):
    AssetFactory(establishment=school, serial_number="DUP")
    response = _post(editor_client, _url(school), {"category": "laptop", "serial_number": "DUP", "status": "disposed"})
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"Disposal date", "serial_number"}
    assert Asset.objects.count() == 1


def test_patch_changes_only_the_fields_given(editor_client, school):
    asset = AssetFactory(establishment=school, location="Hall")
    response = editor_client.patch(
        _url(school, f"/{asset.pk}"), json.dumps({"assigned_to": "Year 6"}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    asset.refresh_from_db()
    assert (asset.location, asset.assigned_to) == ("Hall", "Year 6")


def test_delete_removes_the_asset(editor_client, school):
    asset = AssetFactory(establishment=school)
    assert editor_client.delete(_url(school, f"/{asset.pk}")).status_code == 204
    assert not Asset.objects.exists()


def test_another_schools_data_is_refused_before_the_body_is_read(editor_client, school, other_school):
    theirs = AssetFactory(establishment=other_school)
    assert editor_client.get(_url(other_school)).status_code == 403
    assert editor_client.post(_url(other_school)).status_code == 403  # no body: still 403, not 422
    assert editor_client.post(_url(school, f"/{theirs.pk}")).status_code == 404
    assert editor_client.delete(_url(school, f"/{theirs.pk}")).status_code == 404
    assert Asset.objects.filter(pk=theirs.pk).exists()


def test_a_viewer_cannot_write(client, viewer, school):
    client.force_login(viewer)
    assert _post(client, _url(school), {"category": "laptop", "serial_number": "X"}).status_code == 403


def test_anonymous_requests_and_bad_tokens_get_401(school):
    client = Client()
    assert client.get(_url(school)).status_code == 401
    assert client.get(_url(school), HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_a_token_works_for_its_own_organisation_only(editor, school, other_school):
    token, raw = account_services.api_key_create(actor=editor, organisation=school, role="editor", name="Intune sync")
    assert token.key_hash != raw and raw not in str(token.__dict__)
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert _post(client, _url(school), {"category": "laptop", "serial_number": "TOK-1"}, **auth).status_code == 201
    assert client.get(_url(other_school), **auth).status_code == 403
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_read_only_token_cannot_write(editor, school):
    _, raw = account_services.api_key_create(actor=editor, organisation=school, role="viewer", name="Reports")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    assert client.get(_url(school), **auth).status_code == 200
    assert _post(client, _url(school), {"category": "laptop", "serial_number": "X"}, **auth).status_code == 403


def test_a_token_stops_working_when_its_maker_loses_access(editor, school):
    _, raw = account_services.api_key_create(actor=editor, organisation=school, role="editor", name="Sync")
    Membership.objects.filter(user=editor).delete()
    assert Client().get(_url(school), HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_nobody_can_make_a_token_with_more_access_than_they_have(viewer, school):
    with pytest.raises(account_services.AccountsError):
        account_services.api_key_create(actor=viewer, organisation=school, role="editor", name="Sneaky")


def test_a_trust_token_reaches_the_trusts_schools(school):
    from tests.factories import TrustFactory

    trust = TrustFactory()
    school.trust = trust
    school.save()
    director = UserFactory()
    make_membership(director, trust, Role.EDITOR)
    _, raw = account_services.api_key_create(actor=director, organisation=trust, role="viewer", name="Trust dashboard")
    ContractFactory(establishment=school)
    response = Client().get(f"/api/v1/schools/{school.urn}/estate/contracts", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["count"] == 1


def test_every_register_has_the_same_five_operations(editor_client, school):
    for slug in ("connections", "services", "contracts", "information-assets"):
        assert editor_client.get(f"/api/v1/schools/{school.urn}/estate/{slug}").status_code == 200
    schema = editor_client.get("/api/v1/openapi.json").json()
    assert len([p for p in schema["paths"] if "/estate/" in p]) == 10
