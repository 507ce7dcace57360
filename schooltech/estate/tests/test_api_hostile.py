"""The registers' API refuses numbers that are not real numbers and paging it cannot serve,
with a 4xx in the documented error shape, and never answers with invalid JSON."""

import json

import pytest

from schooltech.estate.models import Connection
from tests.factories import ConnectionFactory

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
