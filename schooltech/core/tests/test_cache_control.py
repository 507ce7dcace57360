"""Nothing a signed-in person saw, and no API answer, is kept by a browser or proxy."""

import pytest
from django.contrib.auth import get_user_model


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.django_db
def test_pages_for_a_signed_in_person_are_not_stored(client):
    user = get_user_model().objects.create_user(username="viewer", email="viewer@school.example")
    client.force_login(user)
    for path in ["/", "/accounts/", "/no-such-page"]:
        assert _no_store(client.get(path)), path


@pytest.mark.django_db
def test_api_answers_are_not_stored_even_when_refused(client):
    response = client.get("/api/v1/openapi.json")
    assert _no_store(response)


@pytest.mark.django_db
def test_public_pages_for_anonymous_visitors_keep_their_own_caching(client):
    response = client.get("/accessibility")
    assert "no-store" not in response.headers.get("Cache-Control", "")
