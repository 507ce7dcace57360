"""OpenID Connect sign-in (mozilla-django-oidc): find or create the user from the claims, map
DfE Sign-in's `organisation` claim to our organisations, and sign out of the provider too."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from schooltech.accounts import policy, services
from schooltech.organisations.models import Establishment, Group, LocalAuthority
from schooltech.organisations.reference import DEPARTMENT, Organisation

logger = logging.getLogger(__name__)

# DfE Sign-in organisation category ids (domain notes §4).
CATEGORY_ESTABLISHMENT = "001"
CATEGORY_LOCAL_AUTHORITY = "002"
CATEGORY_MULTI_ACADEMY_TRUST = "010"
CATEGORY_GOVERNMENT = "011"
CATEGORY_SINGLE_ACADEMY_TRUST = "013"
CATEGORY_FURTHER_EDUCATION = "051"


def organisation_claim(claims: dict[str, Any]) -> dict[str, Any] | None:
    """The `organisation` claim as a dict (DfE Sign-in may send it as a JSON string)."""
    value = claims.get("organisation")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) and value else None


def _category_id(claim: dict[str, Any]) -> str:
    category = claim.get("category")
    if isinstance(category, dict):
        return str(category.get("id", ""))
    return str(category or "")


def organisation_from_claim(claim: dict[str, Any] | None) -> Organisation | None:
    """Our establishment, trust, local authority or the department for a DfE Sign-in organisation."""
    if not claim:
        return None
    category = _category_id(claim)
    urn, ukprn, uid = (str(claim.get(key) or "").strip() for key in ("urn", "ukprn", "uid"))
    if category in {CATEGORY_ESTABLISHMENT, CATEGORY_FURTHER_EDUCATION}:
        if urn:
            return Establishment.objects.filter(urn=urn).first()
        if ukprn:
            return Establishment.objects.filter(ukprn=ukprn).order_by("-status").first()
        return None
    if category in {CATEGORY_MULTI_ACADEMY_TRUST, CATEGORY_SINGLE_ACADEMY_TRUST} and uid:
        return Group.objects.filter(uid=uid).first()
    if category == CATEGORY_LOCAL_AUTHORITY:
        code = str(claim.get("establishmentNumber") or claim.get("laCode") or "").strip()
        return LocalAuthority.objects.filter(code=code).first() if code else None
    if category == CATEGORY_GOVERNMENT and str(claim.get("name", "")).strip().lower() == DEPARTMENT.name.lower():
        return DEPARTMENT
    return None


class IdentityProviderError(Exception):
    """The identity provider failed: it did not answer, answered an error, or sent something we cannot trust."""


# One pooled HTTP session for every call to the provider: the token, JWKS and userinfo requests
# of a sign-in reuse one kept-alive connection instead of each opening its own (and its TLS).
_http = requests.Session()
JWKS_CACHE_SECONDS = 60 * 60


def _jwks_cache_key() -> str:
    return f"oidc-jwks:{settings.OIDC_OP_JWKS_ENDPOINT}"


class ServiceOIDCBackend(OIDCAuthenticationBackend):
    """Users are found by (issuer, sub); a first sign-in links a user already invited by email.

    Every call to the provider goes through one pooled session, and the provider's signing keys
    (JWKS) are kept for an hour and fetched again only when a token names a key we do not have (a
    key rotation). Any failure of the provider (no answer, an error status, a body that is not the
    JSON we expect, a token whose signature or nonce does not check) becomes `IdentityProviderError`,
    which `authenticate` turns into "not signed in": the callback then redirects to the sign-in
    failed page, which offers to try again.
    """

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except IdentityProviderError as error:
            logger.warning("Sign-in failed at the identity provider: %s", error, exc_info=error.__cause__)
            return None

    def _call(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            response = _http.request(
                method,
                url,
                verify=self.get_settings("OIDC_VERIFY_SSL", True),
                timeout=self.get_settings("OIDC_TIMEOUT", None),
                proxies=self.get_settings("OIDC_PROXY", None),
                **kwargs,
            )
        except requests.RequestException as error:
            raise IdentityProviderError(f"{method} {url} did not answer ({type(error).__name__})") from error
        if response.status_code != 200:
            raise IdentityProviderError(f"{method} {url} answered {response.status_code}")
        return response

    @staticmethod
    def _json_object(response: requests.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError as error:
            raise IdentityProviderError(f"{response.url} did not answer JSON") from error
        if not isinstance(body, dict):
            raise IdentityProviderError(f"{response.url} answered JSON that is not an object")
        return body

    def get_token(self, payload: dict[str, Any]) -> dict[str, Any]:
        token_info = self._json_object(self._call("POST", self.OIDC_OP_TOKEN_ENDPOINT, data=payload))
        if not isinstance(token_info.get("id_token"), str) or not isinstance(token_info.get("access_token"), str):
            raise IdentityProviderError("The token endpoint's answer has no id_token or access_token")
        return token_info

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        response = self._call("GET", self.OIDC_OP_USER_ENDPOINT, headers={"Authorization": f"Bearer {access_token}"})
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            return self.verify_token(response.text)
        return self._json_object(response)

    def _jwks(self, *, refresh: bool = False) -> list[dict[str, Any]]:
        keys = None if refresh else cache.get(_jwks_cache_key())
        if keys is None:
            keys = self._json_object(self._call("GET", self.OIDC_OP_JWKS_ENDPOINT)).get("keys")
            if not isinstance(keys, list) or not all(isinstance(key, dict) for key in keys):
                raise IdentityProviderError("The JWKS endpoint's answer has no list of keys")
            cache.set(_jwks_cache_key(), keys, JWKS_CACHE_SECONDS)
        return keys

    def retrieve_matching_jwk(self, token: str) -> jwt.PyJWK:
        """The provider's key for this token, from the kept JWKS (fetched again once if the kid is new)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise IdentityProviderError("The ID token is not a JWT") from error
        for refresh in (False, True):
            for key in self._jwks(refresh=refresh):
                if key.get("kid") != header.get("kid") or key.get("alg", header.get("alg")) != header.get("alg"):
                    continue
                try:
                    return jwt.PyJWK(key)
                except jwt.PyJWTError as error:
                    raise IdentityProviderError("The provider's signing key cannot be read") from error
        raise IdentityProviderError(f"No key in the provider's JWKS matches kid {header.get('kid')!r}")

    def verify_token(self, token: str, **kwargs) -> dict[str, Any]:
        if not isinstance(token, str):
            raise IdentityProviderError("No ID token")
        try:
            return super().verify_token(token, **kwargs)
        except (SuspiciousOperation, jwt.PyJWTError) as error:
            raise IdentityProviderError(f"The ID token does not check: {error}") from error

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub")) and bool(claims.get("email"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet:
        by_subject = self.UserModel.objects.filter(
            oidc_identities__issuer=settings.OIDC_ISSUER, oidc_identities__subject=claims["sub"]
        )
        if by_subject.exists():
            return by_subject
        # Provisioned in advance (demo accounts, support) and never signed in with this provider.
        return self.UserModel.objects.filter(email__iexact=claims["email"]).exclude(
            oidc_identities__issuer=settings.OIDC_ISSUER
        )

    def create_user(self, claims: dict[str, Any]):
        return self._signed_in(services.user_create_from_claims(issuer=settings.OIDC_ISSUER, claims=claims), claims)

    def update_user(self, user, claims: dict[str, Any]):
        services.user_update_from_claims(user=user, issuer=settings.OIDC_ISSUER, claims=claims)
        return self._signed_in(user, claims)

    def _signed_in(self, user, claims: dict[str, Any]):
        claim = organisation_claim(claims)
        services.user_sign_in_sync(
            user=user,
            issuer=settings.OIDC_ISSUER,
            subject=claims["sub"],
            organisation=organisation_from_claim(claim),
            dfe_signin_organisation_id=str((claim or {}).get("id", "")),
        )
        return user


@policy.public  # the provider's redirect back; it shows no organisation's data
class ServiceOIDCCallbackView(OIDCAuthenticationCallbackView):
    """A callback whose state is not in the session (an old tab, the back button, a second click)
    ends on the sign-in failed page too, not on a 400."""

    @property
    def failure_url(self) -> str:
        # mozilla-django-oidc redirects to the setting as it is; ours is a URL name.
        return resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except SuspiciousOperation:
            logger.warning("Sign-in callback with a state this session did not start")
            return self.login_failure()


def provider_logout_url(request: HttpRequest) -> str:
    """RP-initiated logout: DfE Sign-in's /session/end with id_token_hint and where to come back."""
    params = {
        "post_logout_redirect_uri": request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL)),
        "client_id": settings.OIDC_RP_CLIENT_ID,
    }
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(params)}"
