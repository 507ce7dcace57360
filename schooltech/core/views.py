"""Service-wide pages: start page, legal pages, error pages and the healthcheck."""

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from schooltech.accounts import policy

logger = logging.getLogger(__name__)


@policy.public
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "core/start.html")


@policy.public
@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@policy.public
@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


@policy.public
@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@policy.public
@never_cache
@require_GET
def healthcheck(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthcheck database check failed")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error(request: HttpRequest, status: int, template: str, api_detail: str, context: dict | None = None):
    """The error page, or for an API address the API's error schema (docs/api.md) rather than HTML."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": api_detail, "errors": []}, status=status)
    return render(request, template, context or {}, status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "core/errors/404.html", "Not found: there is no API route at this address")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "core/errors/403.html", "You do not have access to this")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "core/errors/400.html", "The request could not be understood")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "core/errors/500.html", "Sorry, there is a problem with the service. Try again later.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request, 403, "core/errors/403.html", "CSRF check failed: send the CSRF token", {"csrf_failure": True}
    )


FLOOR_ROWS = [
    [
        {"text": f"School {n}"},
        {"text": f"{100000 + n}"},
        {"text": "Primary"},
        {"text": f"{200 + n}", "format": "numeric"},
    ]
    for n in range(20)
]


@policy.public
@require_GET
def layout_bare(request: HttpRequest) -> HttpResponse:
    """Benchmark only: the base layout with a heading and nothing else."""
    return render(request, "core/layout_bare.html", {})


@policy.public
@require_GET
def layout_floor(request: HttpRequest) -> HttpResponse:
    """Benchmark only: the base layout with a 20-row table, no data and no queries (the floor for a page)."""
    return render(request, "core/layout_floor.html", {"rows": FLOOR_ROWS})
