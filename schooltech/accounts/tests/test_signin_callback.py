"""The OpenID Connect callback against a scripted provider: a good sign-in, what it fetches (the
provider's keys once, not on every sign-in), and every way the provider can fail ending on the
sign-in failed page with a way to try again."""

import json
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache
from django.urls import reverse

from schooltech.accounts import oidc
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwk(key, kid="key-1"):
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


def _response(status=200, body=None, *, text=None, content_type="application/json", url=""):
    response = requests.Response()
    response.status_code = status
    response._content = (text if text is not None else json.dumps(body)).encode()
    response.headers["Content-Type"] = content_type
    response.url = url
    return response


class ScriptedProvider:
    """Answers the backend's calls to the token, JWKS and userinfo endpoints; a test replaces one."""

    def __init__(self, settings):
        self.settings = settings
        self.calls: list[str] = []
        self.nonce = ""
        self.sign_with = KEY
        self.kid = "key-1"
        self.answers = {}

    def id_token(self, **overrides):
        claims = {
            "iss": self.settings.OIDC_ISSUER,
            "sub": "sub-1",
            "aud": self.settings.OIDC_RP_CLIENT_ID,
            "iat": int(time.time()),
            "exp": int(time.time()) + 300,
            "nonce": self.nonce,
            **overrides,
        }
        return jwt.encode(claims, self.sign_with, algorithm="RS256", headers={"kid": self.kid})

    def request(self, method, url, **kwargs):
        self.calls.append(url)
        answer = self.answers.get(url)
        if isinstance(answer, Exception):
            raise answer
        if answer is not None:
            return answer(url) if callable(answer) else answer
        if url == self.settings.OIDC_OP_TOKEN_ENDPOINT:
            return _response(body={"id_token": self.id_token(), "access_token": "at", "token_type": "Bearer"}, url=url)
        if url == self.settings.OIDC_OP_JWKS_ENDPOINT:
            return _response(body={"keys": [_jwk(KEY)]}, url=url)
        if url == self.settings.OIDC_OP_USER_ENDPOINT:
            return _response(body={"sub": "sub-1", "email": "kim@school.example", "given_name": "Kim"}, url=url)
        raise AssertionError(f"unexpected call to {url}")


@pytest.fixture
def provider(settings, monkeypatch):
    cache.clear()
    scripted = ScriptedProvider(settings)
    monkeypatch.setattr(oidc._http, "request", scripted.request)
    yield scripted
    cache.clear()


def _callback(client, provider, **query):
    started = client.get(reverse("oidc_authentication_init"))
    params = parse_qs(urlsplit(started["Location"]).query)
    provider.nonce = params["nonce"][0]
    return client.get(
        reverse("oidc_authentication_callback"), {"code": "the-code", "state": params["state"][0], **query}
    )


def _ends_on_sign_in_failed(client, response):
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in_failed")
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sorry, we could not sign you in" in html
    assert f'href="{reverse("oidc_authentication_init")}"' in html and "Try again" in html
    assert "_auth_user_id" not in client.session


def test_a_good_sign_in_signs_the_person_in(client, provider):
    user = UserFactory(email="kim@school.example")
    response = _callback(client, provider)
    assert response["Location"] == reverse("accounts:signed_in")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_providers_keys_are_fetched_once_not_on_every_sign_in(client, provider, settings):
    UserFactory(email="kim@school.example")
    for _ in range(3):
        client.logout()
        assert _callback(client, provider)["Location"] == reverse("accounts:signed_in")
    assert provider.calls.count(settings.OIDC_OP_JWKS_ENDPOINT) == 1
    assert provider.calls.count(settings.OIDC_OP_TOKEN_ENDPOINT) == 3


def test_a_rotated_key_is_fetched_again_once(client, provider, settings):
    UserFactory(email="kim@school.example")
    _callback(client, provider)
    client.logout()
    provider.sign_with, provider.kid = OTHER_KEY, "key-2"
    provider.answers[settings.OIDC_OP_JWKS_ENDPOINT] = _response(body={"keys": [_jwk(OTHER_KEY, "key-2")]})
    assert _callback(client, provider)["Location"] == reverse("accounts:signed_in")
    assert provider.calls.count(settings.OIDC_OP_JWKS_ENDPOINT) == 2


@pytest.mark.parametrize(
    "endpoint, answer",
    [
        ("OIDC_OP_TOKEN_ENDPOINT", _response(500, text="Internal Server Error", content_type="text/plain")),
        ("OIDC_OP_TOKEN_ENDPOINT", _response(400, body={"error": "invalid_grant"})),
        ("OIDC_OP_TOKEN_ENDPOINT", requests.Timeout("read timed out")),
        ("OIDC_OP_TOKEN_ENDPOINT", requests.ConnectionError("connection refused")),
        ("OIDC_OP_TOKEN_ENDPOINT", _response(text="<html>not json</html>", content_type="text/html")),
        ("OIDC_OP_TOKEN_ENDPOINT", _response(body=["a", "list"])),
        ("OIDC_OP_TOKEN_ENDPOINT", _response(body={"access_token": "at"})),
        ("OIDC_OP_TOKEN_ENDPOINT", _response(body={"id_token": "not.a.jwt", "access_token": "at"})),
        ("OIDC_OP_TOKEN_ENDPOINT", _response(body={"id_token": 12, "access_token": "at"})),
        ("OIDC_OP_JWKS_ENDPOINT", _response(503, text="", content_type="text/plain")),
        ("OIDC_OP_JWKS_ENDPOINT", requests.ConnectionError("connection refused")),
        ("OIDC_OP_JWKS_ENDPOINT", _response(text="{", content_type="application/json")),
        ("OIDC_OP_JWKS_ENDPOINT", _response(body={"keys": "none"})),
        ("OIDC_OP_JWKS_ENDPOINT", _response(body={"keys": []})),
        ("OIDC_OP_JWKS_ENDPOINT", _response(body={"keys": [{"kid": "key-1", "kty": "nonsense"}]})),
        ("OIDC_OP_USER_ENDPOINT", _response(500, text="", content_type="text/plain")),
        ("OIDC_OP_USER_ENDPOINT", requests.Timeout("read timed out")),
        ("OIDC_OP_USER_ENDPOINT", _response(text="nope", content_type="application/json")),
    ],
    ids=lambda value: value if isinstance(value, str) else repr(value)[:40],
)
def test_every_failure_of_the_provider_ends_on_sign_in_failed(client, provider, settings, endpoint, answer):
    UserFactory(email="kim@school.example")
    provider.answers[getattr(settings, endpoint)] = answer
    _ends_on_sign_in_failed(client, _callback(client, provider))


def test_a_token_signed_with_another_key_ends_on_sign_in_failed(client, provider):
    UserFactory(email="kim@school.example")
    provider.sign_with = OTHER_KEY  # the JWKS still offers KEY under the same kid
    _ends_on_sign_in_failed(client, _callback(client, provider))


@pytest.mark.parametrize(
    "claims",
    [{"exp": int(time.time()) - 60}, {"nonce": "someone-elses"}],
    ids=["expired", "wrong-nonce"],
)
def test_a_token_that_does_not_check_ends_on_sign_in_failed(client, provider, settings, claims):
    UserFactory(email="kim@school.example")
    provider.answers[settings.OIDC_OP_TOKEN_ENDPOINT] = lambda url: _response(
        body={"id_token": provider.id_token(**claims), "access_token": "at"}
    )
    _ends_on_sign_in_failed(client, _callback(client, provider))


def test_the_provider_saying_no_ends_on_sign_in_failed(client, provider):
    _ends_on_sign_in_failed(client, _callback(client, provider, error="server_error"))
    assert provider.calls == []


def test_a_callback_this_session_did_not_start_ends_on_sign_in_failed(client, provider):
    client.get(reverse("oidc_authentication_init"))  # the session now has a state, not this one
    response = client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": "forged"})
    _ends_on_sign_in_failed(client, response)
