import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from django.test import RequestFactory
from django.urls import reverse

from schooltech.accounts import dfe_signin
from schooltech.accounts.models import Membership, OidcIdentity, Role
from schooltech.accounts.oidc import ServiceOIDCBackend, organisation_from_claim, provider_logout_url
from schooltech.organisations.reference import DEPARTMENT
from tests.factories import (
    EstablishmentFactory,
    LocalAuthorityFactory,
    TrustFactory,
    UserFactory,
    make_invitation,
)

pytestmark = pytest.mark.django_db


def test_organisation_claim_maps_each_dfe_signin_category():
    school = EstablishmentFactory(urn="123456", ukprn="10012345")
    trust = TrustFactory(uid="4321")
    camden = LocalAuthorityFactory(code="202")
    assert organisation_from_claim({"category": {"id": "001"}, "urn": "123456"}) == school
    assert organisation_from_claim({"category": {"id": "001"}, "urn": None, "ukprn": "10012345"}) == school
    assert organisation_from_claim({"category": {"id": "010"}, "uid": "4321"}) == trust
    assert organisation_from_claim({"category": {"id": "013"}, "uid": "4321"}) == trust
    assert organisation_from_claim({"category": {"id": "002"}, "establishmentNumber": "202"}) == camden
    assert organisation_from_claim({"category": {"id": "011"}, "name": "Department for Education"}) == DEPARTMENT
    assert organisation_from_claim({"category": {"id": "011"}, "name": "Another agency"}) is None
    assert organisation_from_claim({"category": {"id": "001"}, "urn": "999999"}) is None
    assert organisation_from_claim(None) is None


def _backend(request=None):
    backend = ServiceOIDCBackend()
    backend.request = request
    return backend


CLAIMS = {
    "sub": "dsi-sub-1",
    "email": "kim@school.example",
    "given_name": "Kim",
    "family_name": "Lee",
    "organisation": json.dumps({"id": "org-1", "category": {"id": "001"}, "urn": "555555"}),
}


def test_first_sign_in_creates_the_user_with_names_identity_and_dfe_roles(settings):
    school = EstablishmentFactory(urn="555555")
    dfe_signin.FakeDfeSignInGateway.grant(user_id="dsi-sub-1", organisation_id="org-1", codes=["schooltech_approver"])
    backend = _backend()
    assert not backend.filter_users_by_claims(CLAIMS).exists()
    user = backend.create_user(CLAIMS)
    assert (user.first_name, user.last_name, user.email) == ("Kim", "Lee", "kim@school.example")
    identity = OidcIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject, identity.last_organisation) == (
        settings.OIDC_ISSUER,
        "dsi-sub-1",
        "establishment-555555",
    )
    assert Membership.objects.get(user=user).role == Role.APPROVER
    assert list(backend.filter_users_by_claims(CLAIMS)) == [user]
    assert not user.has_usable_password()
    del school


def test_a_user_invited_by_email_is_linked_at_first_sign_in():
    school = EstablishmentFactory()
    provisioned = UserFactory(email="KIM@school.example")
    make_invitation(school, "kim@school.example", Role.EDITOR)
    backend = _backend()
    [found] = backend.filter_users_by_claims(CLAIMS)
    assert found == provisioned
    backend.update_user(found, CLAIMS)
    assert Membership.objects.get(user=provisioned).role == Role.EDITOR
    assert OidcIdentity.objects.filter(user=provisioned).exists()


def test_claims_without_sub_or_email_are_refused():
    assert not _backend().verify_claims({"email": "a@b.example"})
    assert not _backend().verify_claims({"sub": "x"})


def test_sign_in_lands_on_the_organisation_the_provider_named(client):
    school = EstablishmentFactory(name="Landing School")
    user = UserFactory()
    other = EstablishmentFactory()
    from tests.factories import make_membership

    make_membership(user, other, Role.VIEWER)
    make_membership(user, school, Role.VIEWER)
    OidcIdentity.objects.create(user=user, issuer="i", subject="s", last_organisation=f"establishment-{school.urn}")
    client.force_login(user)
    response = client.get(reverse("accounts:signed_in"))
    assert response["Location"] == reverse("accounts:account")
    assert "You are working on <strong>Landing School</strong>" in client.get(response["Location"]).content.decode()


def test_provider_logout_url_carries_the_id_token_and_where_to_return(settings):
    settings.OIDC_OP_LOGOUT_ENDPOINT = "https://oidc.signin.education.gov.uk/session/end"
    request = RequestFactory().post("/oidc/logout/")
    request.session = {"oidc_id_token": "the.id.token"}
    url = provider_logout_url(request)
    assert url.startswith("https://oidc.signin.education.gov.uk/session/end?")
    assert "id_token_hint=the.id.token" in url
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Faccount%2Fsigned-out" in url


class _FakeDfeSignInApi(BaseHTTPRequestHandler):
    secret = "api-secret"
    seen: list = []

    def do_GET(self):
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"], audience="signin.education.gov.uk")
        except jwt.InvalidTokenError:
            self.send_response(401)
            self.end_headers()
            return
        self.seen.append((self.path, claims["iss"]))
        if self.path == "/services/svc/organisations/org-1/users/user-1":
            body = json.dumps(
                {"roles": [{"id": "r1", "name": "Approver", "code": "schooltech_approver", "numericId": "7"}]}
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def dfe_api():
    server = HTTPServer(("127.0.0.1", 0), _FakeDfeSignInApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_http_gateway_signs_its_requests_and_reads_roles(dfe_api, settings):
    settings.DFE_SIGNIN_API_URL = dfe_api
    settings.DFE_SIGNIN_API_SECRET = "api-secret"
    settings.DFE_SIGNIN_SERVICE_ID = "svc"
    gateway = dfe_signin.gateway()
    assert isinstance(gateway, dfe_signin.HttpDfeSignInGateway)
    [role] = gateway.user_roles(user_id="user-1", organisation_id="org-1")
    assert (role.code, role.numeric_id) == ("schooltech_approver", "7")
    assert gateway.user_roles(user_id="someone-else", organisation_id="org-1") == []
    assert _FakeDfeSignInApi.seen[0][1] == settings.OIDC_RP_CLIENT_ID


def test_http_gateway_with_the_wrong_secret_is_an_error(dfe_api, settings):
    settings.DFE_SIGNIN_API_URL = dfe_api
    settings.DFE_SIGNIN_API_SECRET = "wrong"
    with pytest.raises(dfe_signin.DfeSignInError):
        dfe_signin.gateway().user_roles(user_id="user-1", organisation_id="org-1")
