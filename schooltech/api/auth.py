"""Who is calling the API: an API key, else the browser session; nobody else gets in.

- `Authorization: Bearer <key>`: the key's organisation and role stand in for the caller's
  memberships, so the key reaches nothing its maker could not reach with that role.
- No header: the signed-in browser session, with Django's CSRF check for writes.
- Neither: 401 with `WWW-Authenticate` (errors.py), never a redirect to the sign-in page.

Either way the operation's own policy declaration (operations.py) is checked here, before
django-ninja reads the body, so a refused caller learns nothing from validation errors.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from schooltech.accounts import policy
from schooltech.accounts.models import Membership
from schooltech.estate.models import ApiToken

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _token_principal(raw: str):
    """The token's creator, confined to the token's one organisation and role, or None."""
    token = (
        ApiToken.objects.select_related("establishment", "trust")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    user = get_user_model().objects.filter(pk=token.created_by_id, is_active=True).first()
    action = "edit" if token.role == ApiToken.Role.EDITOR else "view"
    if user is None or not policy.can(user, action, token.organisation):
        return None  # people who lose access take their tokens' access with them
    membership = Membership(user=user, role=token.role)
    membership.set_organisation(token.organisation)
    policy.forget_memberships(user)
    # The policy reads a user's memberships from this per-request cache: the token's one stands in.
    setattr(user, policy._CACHE_ATTRIBUTE, [membership])
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return user


def _check_declared_access(request: HttpRequest) -> None:
    """Run the operation's own policy declaration before django-ninja reads the body."""
    match = request.resolver_match
    path_view = getattr(match.func, "__self__", None)  # set by site.py
    operation = next((op for op in getattr(path_view, "operations", []) if request.method in op.methods), None)
    rule = getattr(getattr(operation, "view_func", None), "access_rule", None)
    if rule is None or rule.kind != "organisation":
        raise PermissionDenied
    probe = policy.requires(
        rule.action,
        organisation=rule.organisation_kwarg,
        establishment=rule.establishment_kwarg,
        objects=rule.objects,
    )(lambda request, **kwargs: None)
    probe(request, **dict(match.kwargs))


class KeyOrSession(AuthBase):
    """django-ninja auth for every route: an API key, else the signed-in browser session."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = "An API key made on the organisation's API keys page, or a signed-in browser session."

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, raw = header.partition(" ")
            user = _token_principal(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
            if user is None:
                return None  # 401
            request.user = user
        elif not request.user.is_authenticated:
            return None  # 401
        elif request.method not in SAFE_METHODS and check_csrf(request):
            raise HttpError(403, "CSRF check failed: send the CSRF token with writes from a browser session")
        _check_declared_access(request)
        return request.user
