"""The standards API: a school's results and recommendations, scoped by the policy."""

import pytest

from schooltech.standards.tests.test_flow import complete
from tests.answers import WORST

pytestmark = pytest.mark.django_db


def test_a_member_reads_results_and_recommendations(editor_client, primary, catalogue):
    complete(editor_client, primary, "broadband", WORST["broadband"])
    data = editor_client.get(f"/api/v1/schools/{primary.urn}/standards").json()
    assert data["urn"] == primary.urn and len(data["standards"]) == 12
    broadband = next(s for s in data["standards"] if s["key"] == "broadband")
    assert broadband["status"] == "does_not_meet" and broadband["core"] is True
    assert broadband["catalogue_version"] == "2026.2"
    speed = next(r for r in broadband["requirements"] if r["key"] == "speed")
    assert speed["status"] == "does_not_meet" and speed["reasons"]
    wireless = next(s for s in data["standards"] if s["key"] == "wireless")
    assert wireless["status"] == "not_assessed" and wireless["assessed_at"] is None
    recommendations = editor_client.get(f"/api/v1/schools/{primary.urn}/standards/recommendations").json()
    assert {r["requirement"] for r in recommendations} == {
        "full_fibre",
        "speed",
        "backup_connection",
        "filtering_firewall",
    }
    assert all(r["progress"] == "not_started" for r in recommendations)


def test_another_school_is_refused_and_anonymous_calls_get_401(client, editor_client, secondary, catalogue):
    assert editor_client.get(f"/api/v1/schools/{secondary.urn}/standards").status_code == 403
    assert editor_client.get(f"/api/v1/schools/{secondary.urn}/standards/recommendations").status_code == 403
    assert editor_client.post(f"/api/v1/schools/{secondary.urn}/standards").status_code == 403
    client.logout()
    assert client.get(f"/api/v1/schools/{secondary.urn}/standards").status_code == 401


def test_the_api_is_read_only(editor_client, primary, catalogue):
    assert editor_client.post(f"/api/v1/schools/{primary.urn}/standards").status_code == 405
    assert editor_client.get("/api/v1/schools/000000/standards").status_code == 404


def test_the_openapi_document_lists_the_standards_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/schools/{urn}/standards" in paths
    assert list(paths["/api/v1/schools/{urn}/standards"]) == ["get"]
