"""The one JSON API, mounted at /api/v1/. Each app adds its router here.

Every route is authenticated by `auth.KeyOrSession`, checked by its `operations.operation`
declaration, and answers errors with `errors.ErrorOut` (see docs/api.md).
"""

import json

from django.http import HttpResponse
from ninja import NinjaAPI

from schooltech.api import auth, errors
from schooltech.api.renderers import StrictJSONRenderer
from schooltech.estate import api as estate_api
from schooltech.insights import api as insights_api
from schooltech.legacy import api as legacy_api
from schooltech.peer import api as peer_api
from schooltech.planning import api as planning_api
from schooltech.standards import api as standards_api

api = NinjaAPI(
    title="Plan and manage school technology API",
    version="1",
    urls_namespace="api",
    auth=auth.KeyOrSession(),
    renderer=StrictJSONRenderer(),
    description=(
        "Read and write a school's registers, and read its standards results, technology plan and peer support. "
        "Send an API key as `Authorization: Bearer <key>`. Every route checks the same permission "
        "policy as the pages. Every error answers `{detail, errors}` (ErrorOut)."
    ),
)
errors.install(api)
api.add_router("/", estate_api.router)
api.add_router("/", standards_api.router)
api.add_router("/", planning_api.router)
api.add_router("/", insights_api.router)
api.add_router("/", legacy_api.router)
api.add_router("/", peer_api.router)


def _method_not_allowed(path_view):
    """A method no operation of the path has (HEAD, TRACE, OPTIONS on the open statistics): 405 in the
    error schema, `Allow` naming the documented methods, where django-ninja would answer plain text."""
    allowed = sorted({method for op in path_view.operations if op.include_in_schema for method in op.methods})

    def not_allowed() -> HttpResponse:
        body = {"detail": f"This address only answers {', '.join(allowed)}", "errors": []}
        response = HttpResponse(json.dumps(body), status=405, content_type="application/json; charset=utf-8")
        response["Allow"] = ", ".join(allowed)
        return response

    return not_allowed


def _with_path_views(urls):
    """Expose each route's PathView as `__self__` on its view, as a bound method would.

    django-ninja wraps each path in a plain function, so without this the isolation test
    (accounts/tests/test_isolation.py) and `auth` could not read every operation's policy declaration.
    """
    patterns, app_name, namespace = urls
    for pattern in patterns:
        for cell in getattr(pattern.callback, "__closure__", None) or ():
            if hasattr(cell.cell_contents, "operations"):
                pattern.callback.__self__ = cell.cell_contents
                cell.cell_contents._not_allowed = _method_not_allowed(cell.cell_contents)
    return patterns, app_name, namespace


urls = _with_path_views(api.urls)
