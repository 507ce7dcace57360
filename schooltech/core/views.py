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


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/errors/403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/errors/400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/errors/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/errors/403.html", {"csrf_failure": True}, status=403)


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
def layout_floor(request: HttpRequest) -> HttpResponse:
    """Benchmark only: the base layout with a 20-row table, no data and no queries (the floor for a page)."""
    return render(request, "core/layout_floor.html", {"rows": FLOOR_ROWS})
