"""The service navigation: one list, so every app adds its section here."""

import re

from django.http import HttpRequest
from django.urls import reverse

# (label, url name, the paths that mark the item as current). A school's own pages live under
# /schools/<urn>/<section>, so "Find a school" is current only on the GIAS pages themselves.
SECTIONS = [
    ("Find a school", "organisations:search", re.compile(r"^/(schools(/[^/]+)?/?|trusts/.*|local-authorities/.*)$")),
    (
        "Standards",
        "standards:home",
        re.compile(r"^/(standards|training/|schools/[^/]+/(standards|training)|organisations/[^/]+/standards)"),
    ),
    ("ICT estate", "estate:start", re.compile(r"^/(estate|schools/[^/]+/estate)")),
    ("Technology plan", "planning:start", re.compile(r"^/(plans?/|buying-routes|schools/[^/]+/plan)")),
    ("Peer support", "peer:start", re.compile(r"^/(peer-support|(schools|organisations)/[^/]+/peer-support)")),
    ("National picture", "insights:start", re.compile(r"^/(national-picture|insights/|schools/[^/]+/sharing)")),
]


def navigation_items(request: HttpRequest) -> list[dict]:
    return [
        {"href": reverse(url_name), "text": label, "active": bool(pattern.match(request.path))}
        for label, url_name, pattern in SECTIONS
    ] + _account_items(request)


def _account_items(request: HttpRequest) -> list[dict]:
    """Sign in, or the signed-in user's account, support pages and sign out (always last)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return [{"href": reverse("oidc_authentication_init"), "text": "Sign in", "active": False}]
    items = [
        {
            "href": reverse("accounts:account"),
            "text": "Your account",
            "active": request.path.startswith(("/account", "/manage")),
        }
    ]
    if user.is_staff:
        items.append(
            {
                "href": reverse("accounts:support"),
                "text": "Support",
                "active": request.path == "/support" or request.path.startswith("/support/"),
            }
        )
    items.append(
        {
            "href": reverse("accounts:sign_out"),
            "text": "Sign out",
            "active": request.path == reverse("accounts:sign_out"),
        }
    )
    return items
