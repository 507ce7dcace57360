"""The one error schema of the JSON API, and the handlers that answer every error with it.

Every error response is JSON of this shape (documented in docs/api.md and in the OpenAPI file):

    {"detail": "A sentence for the person reading it",
     "errors": [{"field": "serial_number", "message": "Another asset ... has this value"}]}

`errors` lists each value that was refused (422) and is empty otherwise.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger(__name__)

AUTHENTICATE = 'Bearer realm="schooltech", charset="UTF-8"'


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class InvalidValues(Exception):
    """Values a service or the import rules refuse: answered 422 with every problem."""

    def __init__(self, errors: list[dict]):
        super().__init__("Invalid values")
        self.errors = errors


class MethodNotAllowed(Exception):
    def __init__(self, allowed: list[str]):
        super().__init__("Method not allowed")
        self.allowed = allowed


# Error responses every operation may give, for its `response=` in the OpenAPI description.
COMMON_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
# ...and those of an operation with query parameters (422: a value refused), or with a JSON body
# (400: the body is not JSON; 422: a value refused by the schema or the register rules).
QUERY_ERRORS = {422: ErrorOut}
BODY_ERRORS = {400: ErrorOut, 422: ErrorOut}


def _field_of(location: list | tuple) -> str:
    """('body', 'payload', 'purchase_date') -> 'purchase_date'; ('query', 'limit') -> 'limit'."""
    parts = [str(part) for part in location if part not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    """Register the handlers that answer each error with ErrorOut."""

    def answer(request, status: int, detail: str, errors: list[dict] | None = None) -> HttpResponse:
        return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = answer(request, 401, "Send a valid API key as 'Authorization: Bearer <key>', or sign in")
        response["WWW-Authenticate"] = AUTHENTICATE
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return answer(request, 403, "You do not have access to this organisation")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, 404, str(exc) or "Not found")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return answer(request, exc.status_code, str(exc))

    @api.exception_handler(MethodNotAllowed)
    def method_not_allowed(request: HttpRequest, exc: MethodNotAllowed) -> HttpResponse:
        response = answer(request, 405, f"This address only answers {', '.join(exc.allowed)}")
        response["Allow"] = ", ".join(exc.allowed)
        return response

    @api.exception_handler(InvalidValues)
    def invalid_values(request: HttpRequest, exc: InvalidValues) -> HttpResponse:
        return answer(request, 422, "Some values are not valid", exc.errors)

    @api.exception_handler(ValidationError)
    def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"field": _field_of(error.get("loc", ())), "message": error.get("msg", "")} for error in exc.errors]
        return answer(request, 422, "Some values are not valid", errors)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return answer(request, 500, "Sorry, there is a problem with the service. Try again later.")
