"""The one JSON API, mounted at /api/v1/. Each app adds its router here."""

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI

from schooltech.estate import api as estate_api
from schooltech.planning import api as planning_api
from schooltech.standards import api as standards_api

api = NinjaAPI(
    title="Plan and manage school technology API",
    version="1",
    urls_namespace="api",
    description="Read and write a school's registers. Every route checks the same permission policy as the pages.",
)
api.add_router("/", estate_api.router)
api.add_router("/", standards_api.router)
api.add_router("/", planning_api.router)


@api.exception_handler(estate_api.SignInRequired)
def _sign_in_required(request, exc):
    return estate_api.handle_sign_in_required(request, exc)


@api.exception_handler(estate_api.InvalidValues)
def _invalid_values(request, exc):
    return estate_api.handle_invalid_values(api, request, exc)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return estate_api.handle_permission_denied(api, request, exc)


def _with_path_views(urls):
    """Expose each route's PathView as `__self__` on its view, as a bound method would.

    django-ninja wraps each path in a plain function, so without this the isolation test
    (accounts/tests/test_isolation.py) could not read every operation's policy declaration.
    """
    patterns, app_name, namespace = urls
    for pattern in patterns:
        for cell in getattr(pattern.callback, "__closure__", None) or ():
            if hasattr(cell.cell_contents, "operations"):
                pattern.callback.__self__ = cell.cell_contents
    return patterns, app_name, namespace


urls = _with_path_views(api.urls)
