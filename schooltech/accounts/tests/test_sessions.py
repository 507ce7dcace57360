"""Sessions: no database write on a page view, and the idle and absolute timeouts still apply."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schooltech.accounts.middleware import LAST_REFRESHED_AT, SIGNED_IN_AT
from schooltech.accounts.models import Role
from tests.factories import EstablishmentFactory, UserFactory, make_membership

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _writes(queries) -> list[str]:
    return [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITES)]


@pytest.fixture
def school_member(client):
    school = EstablishmentFactory(urn="100000")
    user = UserFactory()
    make_membership(user, school, Role.APPROVER)
    client.force_login(user)
    return school


def _stamp(client, key: str, seconds_ago: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds_ago
    session.save()


@pytest.mark.parametrize(
    "page",
    [
        lambda urn: reverse("accounts:account"),
        lambda urn: reverse("organisations:establishment", args=[urn]),
        lambda urn: reverse("estate:summary", args=[urn]),
        lambda urn: reverse("standards:overview", args=[urn]),
    ],
    ids=["account", "establishment", "estate summary", "standards overview"],
)
def test_a_signed_in_page_view_writes_nothing(client, school_member, page):
    url = page(school_member.urn)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert _writes(queries.captured_queries) == []
    assert "sessionid" not in response.cookies


def test_the_first_page_after_signing_in_writes_nothing(client, school_member):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("accounts:account")).status_code == 200
    assert _writes(queries.captured_queries) == []


def test_the_session_is_refreshed_once_a_tenth_of_the_idle_timeout_has_passed(client, school_member, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 600
    _stamp(client, LAST_REFRESHED_AT, 61)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:account"))
    assert response.status_code == 200
    assert any("django_session" in sql for sql in _writes(queries.captured_queries))
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    assert time.time() - client.session[LAST_REFRESHED_AT] < 5


def test_people_are_signed_out_after_the_idle_timeout(client, school_member, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 600
    _stamp(client, LAST_REFRESHED_AT, 540)
    assert client.get(reverse("accounts:account")).status_code == 200  # 9 minutes idle: still signed in
    _stamp(client, LAST_REFRESHED_AT, 601)
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("oidc_authentication_init"))
    assert client.get(reverse("accounts:account")).status_code == 302  # signed out, not just redirected


def test_sessions_end_after_the_absolute_timeout_however_busy(client, school_member, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS = 60
    assert client.get(reverse("accounts:account")).status_code == 200
    _stamp(client, SIGNED_IN_AT, 61)
    _stamp(client, LAST_REFRESHED_AT, 0)
    assert client.get(reverse("accounts:account")).status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 302


def test_the_stored_session_expires_with_the_idle_timeout(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT_SECONDS == 30 * 60
