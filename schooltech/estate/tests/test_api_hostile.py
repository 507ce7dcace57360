"""The registers' API refuses numbers that are not real numbers and paging it cannot serve,
with a 4xx in the documented error shape, and never answers with invalid JSON."""

import json

import pytest

from schooltech.estate.models import Asset, Connection
from tests.factories import AssetFactory, ConnectionFactory

pytestmark = pytest.mark.django_db


def _connections(school) -> str:
    return f"/api/v1/schools/{school.urn}/estate/connections"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_a_speed_that_is_not_a_real_number_is_refused(editor_client, school, number):
    # Python's json writes NaN and Infinity as bare words, as a careless client would.
    body = f'{{"provider": "Openreach", "technology": "full_fibre", "download_mbps_contracted": {number}}}'
    response = editor_client.post(_connections(school), body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert json.loads(response.content)["errors"]
    assert not Connection.objects.exists()


@pytest.mark.parametrize(
    "query", ["offset=" + "9" * 30, "offset=99999999999", "limit=" + "9" * 30, "offset=-1", "limit=0", "offset=x"]
)
def test_paging_the_api_cannot_serve_is_a_clear_error_or_a_clamped_page(editor_client, school, query):
    ConnectionFactory(establishment=school)
    response = editor_client.get(f"{_connections(school)}?{query}")
    assert response.status_code in (200, 422), response.content
    json.loads(response.content, parse_constant=lambda word: pytest.fail(f"invalid JSON word {word}"))


def test_stored_values_are_always_answered_as_valid_json(editor_client, school):
    connection = ConnectionFactory(establishment=school)
    Connection.objects.filter(pk=connection.pk).update(download_mbps_measured=float("inf"))
    response = editor_client.get(f"{_connections(school)}/{connection.pk}")
    assert response.status_code == 200
    item = json.loads(response.content, parse_constant=lambda word: pytest.fail(f"invalid JSON word {word}"))
    assert item["download_mbps_measured"] is None


def _assets(school) -> str:
    return f"/api/v1/schools/{school.urn}/estate/assets"


@pytest.mark.parametrize("body", ["[null, null]", "[]", "7", '"text"', "null"])
def test_a_body_that_is_not_an_object_is_refused_not_read_as_an_empty_change(editor_client, school, body):
    asset = AssetFactory(establishment=school, make="Dell")
    response = editor_client.patch(f"{_assets(school)}/{asset.pk}", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert json.loads(response.content)["errors"][0]["field"] == "body"
    asset.refresh_from_db()
    assert asset.make == "Dell"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("centrally_managed", 0),  # a number is not true or false
        ("centrally_managed", "yes"),
        ("purchase_date", 0),  # not 1 January 1970
        ("purchase_date", 1_700_000_000),
        ("purchase_date", True),
        ("port_speed_mbps", "5"),  # a word is not a number
        ("port_speed_mbps", 1.5),
        ("make", 12),
    ],
)
def test_values_of_the_wrong_json_type_are_refused_not_coerced(editor_client, school, field, value):
    body = json.dumps({"category": "laptop", "asset_tag": "T1", field: value})
    response = editor_client.post(_assets(school), body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert [error["field"] for error in json.loads(response.content)["errors"]] == [field]
    assert not Asset.objects.exists()


def test_a_body_that_is_not_json_is_a_400_in_the_error_schema(editor_client, school):
    response = editor_client.post(_assets(school), "{not json", content_type="application/json")
    assert response.status_code == 400
    assert set(json.loads(response.content)) == {"detail", "errors"}
    assert not Asset.objects.exists()


def test_the_openapi_document_lists_the_400_and_422_each_operation_can_answer(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    collection, single = (
        paths["/api/v1/schools/{urn}/estate/assets"],
        paths["/api/v1/schools/{urn}/estate/assets/{asset_id}"],
    )
    assert "422" in collection["get"]["responses"] and "400" not in collection["get"]["responses"]
    assert {"400", "422"} <= set(collection["post"]["responses"]) and {"400", "422"} <= set(
        single["patch"]["responses"]
    )
