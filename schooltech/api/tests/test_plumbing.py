"""The API's shared plumbing: authentication, the error schema and the policy on every route."""

import json

import pytest
from django.test import Client

from schooltech.accounts import services
from schooltech.accounts.models import Role
from tests.factories import AssetFactory, EstablishmentFactory, UserFactory, make_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return EstablishmentFactory(name="Hilltop Primary School")


@pytest.fixture
def editor(school):
    user = UserFactory(email="editor@hilltop.example")
    make_membership(user, school, Role.EDITOR)
    return user


def _is_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"} and isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.mark.parametrize(
    "path", ["/schools/{urn}/estate/assets", "/schools/{urn}/standards", "/schools/{urn}/plan", "/plans/school-{urn}"]
)
def test_anonymous_calls_get_401_json_with_www_authenticate_not_a_redirect(school, path):
    response = Client().get("/api/v1" + path.format(urn=school.urn))
    _is_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer ")


def test_a_key_is_accepted_by_every_app_s_routes(editor, school):
    _, raw = services.api_key_create(actor=editor, organisation=school, role="viewer", name="Reports")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    assert client.get(f"/api/v1/schools/{school.urn}/estate/assets", **auth).status_code == 200
    assert client.get(f"/api/v1/schools/{school.urn}/standards/recommendations", **auth).status_code == 200
    _is_error(client.get(f"/api/v1/schools/{school.urn}/plan", **auth), 404)  # reached: no plan yet


def test_every_error_has_the_one_schema(client, editor, school):
    client.force_login(editor)
    other = EstablishmentFactory()
    _is_error(client.get(f"/api/v1/schools/{other.urn}/estate/assets"), 403)
    _is_error(client.get("/api/v1/schools/999999/estate/assets"), 404)
    not_allowed = _is_error(client.put(f"/api/v1/schools/{school.urn}/standards"), 405)
    assert not_allowed["detail"] and client.put(f"/api/v1/schools/{school.urn}/standards")["Allow"] == "GET"
    body = _is_error(
        client.post(
            f"/api/v1/schools/{school.urn}/estate/assets",
            json.dumps({"category": "not-a-category"}),
            content_type="application/json",
        ),
        422,
    )
    assert body["errors"][0]["field"] == "category"
    assert _is_error(client.get(f"/api/v1/schools/{school.urn}/estate/assets?limit=lots"), 422)["errors"] == [
        {"field": "limit", "message": "Input should be a valid integer, unable to parse string as an integer"}
    ]


def test_writes_from_a_browser_session_need_the_csrf_token(editor, school):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(
        f"/api/v1/schools/{school.urn}/estate/assets",
        json.dumps({"category": "laptop"}),
        content_type="application/json",
    )
    _is_error(response, 403)


def test_the_openapi_document_describes_the_key_and_the_error_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    scheme = next(iter(schema["components"]["securitySchemes"].values()))
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {"detail", "errors"}
    plan = schema["paths"]["/api/v1/schools/{urn}/plan"]["get"]
    assert {"401", "403", "404"} <= set(plan["responses"])


def test_the_docs_page_uses_swagger_ui_from_the_installed_package_under_the_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in page and 'href="/static/ninja/swagger-ui.css"' in page
    assert "cdn" not in page.lower() and "http" not in page.split("<body", 1)[1]
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in page  # no inline script: the settings are JSON, started by a script file


def test_methods_and_addresses_the_api_does_not_have_answer_with_the_schema_too(client, editor, school):
    client.force_login(editor)
    put = client.put(f"/api/v1/schools/{school.urn}/estate/assets")
    assert _is_error(put, 405) and put["Allow"] == "GET, POST"
    _is_error(client.get("/api/v1/no-such-route"), 404)
    _is_error(Client().get("/api/v1/no-such-route"), 404)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("options", "/schools/{urn}/estate/assets/{asset}", "GET, POST, PATCH, DELETE"),
        ("options", "/schools/{urn}/standards", "GET"),
        ("head", "/schools/{urn}/estate/assets", "GET, POST"),
        ("options", "/statistics/terms", "GET"),
        ("post", "/statistics/figures", "GET"),
    ],
)
def test_every_method_a_route_does_not_have_is_a_405_in_the_schema_naming_the_documented_ones(
    client, editor, school, method, path, allow
):
    client.force_login(editor)
    asset = AssetFactory(establishment=school)
    response = getattr(client, method)("/api/v1" + path.format(urn=school.urn, asset=asset.pk))
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == sorted(allow.split(", "))
    if method != "head":
        _is_error(response, 405)


def _models_in(annotation, found: set) -> None:
    """Every pydantic model an annotation names, through lists, unions and nested fields."""
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models_in(argument, found)


@pytest.mark.django_db(databases=[])
def test_no_two_schemas_share_a_name_in_the_openapi_document():
    """The document names each schema once: two apps' `ServiceOut` would silently become one, and the
    API would then be described (and checked by the fuzz run) against the other app's schema."""
    from schooltech.api.site import api

    found: set = set()
    for _, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    _models_in(model, found)
    by_name: dict[str, set] = {}
    for model in found:
        if not model.__name__.startswith(("Ninja", "PathParams", "QueryParams", "BodyParams", "Response")):
            by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    shared = {name: places for name, places in by_name.items() if len(places) > 1}
    assert not shared, shared
