import logging
import time

from django.utils.cache import patch_cache_control

logger = logging.getLogger("schooltech.request")


class RequestLogMiddleware:
    """Log one structured line per request: method, path, status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": getattr(getattr(request, "user", None), "pk", None),
                "api_key_id": getattr(request, "api_key_id", None),
            },
        )
        return response


class PrivateNoStoreMiddleware:
    """Tell browsers and proxies not to keep what a signed-in person saw, or any API answer.

    A shared school laptop's back button or a proxy must not replay someone's registers,
    plan or exports: every response to a signed-in request, and every API response, is `no-store`.
    Public pages for anonymous visitors keep whatever caching their view chose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/") or _signed_in(request):
            patch_cache_control(response, private=True, no_store=True, max_age=0)
            response.headers.pop("Expires", None)
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
