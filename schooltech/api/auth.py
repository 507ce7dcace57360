"""Who is calling the API: an API key, else the browser session; nobody else gets in.

- `Authorization: Bearer <key>`: `accounts.services.api_key_authenticate` confines the caller to
  the key's organisation and role, so the key reaches nothing its maker could not reach with that
  role. Writes say in the history that they were made with the key (core/history.py), and the
  request log names the key.
- No header: the signed-in browser session, with Django's CSRF check for writes.
- Neither: 401 with `WWW-Authenticate` (errors.py), never a redirect to the sign-in page.

Either way the operation's own policy declaration (operations.py) is checked here, before
django-ninja reads the body, so a refused caller learns nothing from validation errors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from schooltech.accounts import policy, services
from schooltech.core import history

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _check_declared_access(request: HttpRequest) -> None:
    """Run the operation's own policy declaration before django-ninja reads the body."""
    match = request.resolver_match
    path_view = getattr(match.func, "__self__", None)  # set by site.py
    operation = next((op for op in getattr(path_view, "operations", []) if request.method in op.methods), None)
    rule = getattr(getattr(operation, "view_func", None), "access_rule", None)
    if rule is not None and rule.kind == "department_role":  # the department's own technology
        if not policy.can_department(request.user, rule.action):
            raise PermissionDenied
        return
    if rule is None or rule.kind != "organisation":
        raise PermissionDenied
    probe = policy.requires(
        rule.action,
        organisation=rule.organisation_kwarg,
        establishment=rule.establishment_kwarg,
        objects=rule.objects,
    )(lambda request, **kwargs: None)
    probe(request, **dict(match.kwargs))


def _key_user(request: HttpRequest, header: str) -> Any:
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    found = services.api_key_authenticate(raw.strip())
    if found is None:
        return None
    user, api_key = found
    history.made_with_api_key(request, api_key_id=api_key.pk, name=api_key.name)
    return user


class KeyOrSession(AuthBase):
    """django-ninja auth for every route: an API key, else the signed-in browser session."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = "An API key made on the organisation's API keys page, or a signed-in browser session."
    csrf = True  # tells the docs page to send the CSRF token with a browser session's writes

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            user = _key_user(request, header)
            if user is None:
                return None  # 401
            request.user = user
        elif not request.user.is_authenticated:
            return None  # 401
        elif request.method not in SAFE_METHODS and check_csrf(request):
            raise HttpError(403, "CSRF check failed: send the CSRF token with writes from a browser session")
        _check_declared_access(request)
        return request.user
