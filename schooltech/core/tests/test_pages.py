import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Plan and manage your school's technology"),
        ("/accessibility", "Accessibility statement"),
        ("/cookies", "Cookies"),
        ("/privacy", "Privacy notice"),
    ],
)
def test_service_pages_render_in_the_govuk_layout(client: Client, path, heading):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert heading in html
    assert "govuk-phase-banner" in html and "Beta" in html
    assert 'href="/accessibility"' in html and 'href="/cookies"' in html and 'href="/privacy"' in html
    assert "– Plan and manage school technology – GOV.UK</title>" in html


def test_unknown_page_gets_the_govuk_404_page(client: Client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_is_govuk_styled(rf):
    from schooltech.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_csrf_failure_explains_what_to_do(rf):
    from schooltech.core.views import csrf_failure

    response = csrf_failure(rf.post("/"))
    assert response.status_code == 403
    assert "reload the page" in response.content.decode()


@pytest.mark.django_db
def test_healthcheck_reports_the_database(client: Client):
    response = client.get("/healthcheck")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthcheck_fails_when_the_database_is_unreachable(client: Client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OSError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthcheck")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_pages_carry_a_strict_csp_with_a_nonce_matching_the_inline_script(client: Client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
