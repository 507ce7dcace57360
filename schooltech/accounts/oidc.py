"""OpenID Connect sign-in (mozilla-django-oidc): find or create the user from the claims, map
DfE Sign-in's `organisation` claim to our organisations, and sign out of the provider too."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from schooltech.accounts import services
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


class ServiceOIDCBackend(OIDCAuthenticationBackend):
    """Users are found by (issuer, sub); a first sign-in links a user already invited by email."""

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
