"""For every URL pattern (and so every API route mounted under it) and every demo person, another
organisation's data is never shown or changed.

The test reads the routes, not a list: a new route is covered without editing this file. How:
- every route's view declares its access through schooltech.accounts.policy (`public`,
  `signed_in`, `staff_only`, `requires`); `test_every_route_declares_its_access` fails otherwise;
- URL kwargs follow the convention in docs/architecture-accounts.md (`organisation`, `urn`, `uid`,
  `code`/`la_code`, and `<name>_id` object ids declared in `requires(objects=...)`), so the test
  can fill each one with another organisation's identifiers;
- for each person and route, GET and POST must not show any marker of the other organisations'
  data (member emails, request reasons, invitation emails), must not change their rows, and
  organisation-scoped routes must answer 403 or 404.
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from schooltech.accounts import policy
from schooltech.accounts.models import AccessRequest, Invitation, Membership
from schooltech.accounts.policy import AccessRule
from schooltech.demo import people as demo
from schooltech.organisations.reference import DEPARTMENT, OrganisationRef
from tests.factories import (
    AcademyFactory,
    EstablishmentFactory,
    LocalAuthorityFactory,
    TrustFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Routes that predate the policy. Each must gain a policy declaration; remove it from here when it does.
UNDECLARED_ALLOWED: set[str] = set()
# Third-party routes with their own checks: sign-in (mozilla-django-oidc), the Django admin (is_staff,
# checked separately below), static files.
THIRD_PARTY_PREFIXES = ("mozilla_django_oidc.", "django.contrib.admin.", "django.views.static.", "ninja.openapi.")
NAMESPACES_SKIPPED = {"admin"}


@dataclass
class Route:
    path_template: str
    pattern: URLPattern
    converters: dict

    @property
    def callback(self):
        return self.pattern.callback

    @property
    def dotted_name(self) -> str:
        callback = getattr(self.callback, "view_class", self.callback)
        while isinstance(callback, functools.partial):  # django-ninja's OpenAPI views are partials
            callback = callback.func
        return f"{callback.__module__}.{callback.__qualname__}"


def _routes(resolver: URLResolver | None = None, prefix: str = "", converters: dict | None = None) -> list[Route]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        route = prefix + str(pattern)
        merged = {**(converters or {}), **getattr(pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            if entry.namespace in NAMESPACES_SKIPPED:
                continue
            found += _routes(entry, route, merged)
        else:
            found.append(Route(route, entry, merged))
    return found


def _declared_rules(callback) -> list[AccessRule | None]:
    """The access rules of a view, or of each django-ninja operation behind one route."""
    owner = getattr(callback, "__self__", None)
    operations = getattr(owner, "operations", None)
    if operations:
        return [getattr(op.view_func, "access_rule", None) for op in operations]
    view = getattr(callback, "view_class", callback)
    return [getattr(callback, "access_rule", None) or getattr(view, "access_rule", None)]


def _isolation_factories() -> dict:
    factories = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tests.isolation")
        except ModuleNotFoundError:
            continue
        factories.update(getattr(module, "FACTORIES", {}))
    return factories


@pytest.fixture
def world():
    """The demo people's organisations (made by factories) and a set of other organisations."""
    camden = LocalAuthorityFactory(code="202", name="Camden")
    city = LocalAuthorityFactory(code="201", name="City of London")
    EstablishmentFactory(urn="100000", name="The Aldgate School", local_authority=city)
    EstablishmentFactory(urn="100049", name="Haverstock School", local_authority=camden)
    EstablishmentFactory(urn="100050", name="Camden Maintained Primary", local_authority=camden)
    trust = TrustFactory(uid=demo.DEMO_TRUST_UID, name=demo.DEMO_TRUST_NAME)
    AcademyFactory.create_batch(demo.DEMO_TRUST_SIZE, trust=trust, local_authority=camden)
    AcademyFactory(urn=demo.DEMO_HELPER_URN, name="George Mitchell School", trust=trust, local_authority=camden)
    call_command("load_demo_accounts", stdout=None)

    other_la = LocalAuthorityFactory(code="998", name="Elsewhere Borough")
    others = [
        EstablishmentFactory(urn="800001", name="Other Maintained School", local_authority=other_la),
        TrustFactory(uid="OTHER1", name="Other Trust"),
        other_la,
    ]
    AcademyFactory(urn="800002", trust=others[1], local_authority=other_la)
    factories = _isolation_factories()
    objects: dict[type, object] = {}
    for organisation in others:
        for model, make in factories.items():
            objects.setdefault(model, make(organisation))
    people = {
        person["email"]: UserFactory._meta.model.objects.get(email=person["email"]) for person in demo.DEMO_PEOPLE
    }
    return {"others": others, "objects": objects, "people": people, "factories": factories}


def _markers(world) -> list[str]:
    markers = [f"secret-member-{o.pk}@other.example" for o in world["others"]]
    markers += [f"SECRET-REASON-{o.pk}" for o in world["others"]]
    markers += [f"secret-invite-{o.pk}@other.example" for o in world["others"]]
    markers += [f"SECRET-KEY-{o.pk}" for o in world["others"]]
    return markers


def _snapshot(world) -> list:
    rows = []
    for model in (Membership, AccessRequest, Invitation, *world["factories"]):
        rows += sorted(map(str, model._default_manager.values_list()))
    return rows


def _value_sets(route: Route, rule: AccessRule | None, world, person) -> list[dict[str, str]]:
    """Kwarg values naming other organisations (and their objects), per the URL convention."""
    other_school, other_trust, other_la = world["others"]
    refs = [OrganisationRef.for_organisation(o) for o in world["others"]]
    if not any(m.organisation_kind == "department" for m in Membership.objects.filter(user=person)):
        refs.append(OrganisationRef.for_organisation(DEPARTMENT))
    names = re.findall(r"<(?:\w+:)?(\w+)>", route.path_template)
    declared_objects = rule.objects if rule else {}
    own = [m.organisation_ref for m in Membership.objects.filter(user=person)]
    sets = []
    for ref in refs + own:
        values = {}
        for name in names:
            if name == "organisation":
                values[name] = ref.slug
            elif name == "urn":
                values[name] = other_school.urn
            elif name == "uid":
                values[name] = other_trust.uid
            elif name in {"code", "la_code"}:
                values[name] = other_la.code
            elif name in declared_objects:
                model = declared_objects[name]
                assert model in world["objects"], (
                    f"{route.path_template}: add {model.__name__} to an app's tests/isolation.py FACTORIES"
                )
                values[name] = str(world["objects"][model].pk)
            else:
                values[name] = "999999"
        if ref in own and not (set(declared_objects) & set(names)):
            continue  # own organisation without a foreign object is the person's own business
        sets.append(values)
    return sets


def _path(route: Route, values: dict[str, str]) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route.path_template)
    return "/" + path.lstrip("^").rstrip("$")


def test_every_route_declares_its_access():
    undeclared = []
    for route in _routes():
        if route.dotted_name.startswith(THIRD_PARTY_PREFIXES) or route.dotted_name in UNDECLARED_ALLOWED:
            continue
        if not all(_declared_rules(route.callback)):
            undeclared.append(f"{route.path_template} ({route.dotted_name})")
    assert not undeclared, "Declare access with schooltech.accounts.policy on: " + ", ".join(undeclared)


def _distinct_requests(world, person) -> dict[tuple[str, str], bool]:
    """Each (method, path) the person should try, once, and whether an organisation-scoped rule covers it.

    Routes without organisation kwargs give the same path for every organisation, and a django-ninja
    path with several operations gives it once per operation: asking again would check nothing new.
    """
    requests: dict[tuple[str, str], bool] = {}
    for route in _routes():
        if route.dotted_name.startswith(THIRD_PARTY_PREFIXES):
            continue
        for rule in _declared_rules(route.callback):
            if person.is_staff and rule and (rule.kind == "staff" or rule.action == "view_audit"):
                continue  # support staff see every organisation's requests and audit trail by design
            organisation_scoped = bool(rule and rule.kind == "organisation")
            for values in _value_sets(route, rule, world, person):
                path = _path(route, values)
                for method in ("get", "post"):
                    requests[method, path] = requests.get((method, path), False) or organisation_scoped
    return requests


def test_no_demo_person_sees_or_changes_another_organisations_data(world):
    markers = _markers(world)
    before = _snapshot(world)
    checked = 0
    for email, person in world["people"].items():
        client = Client()
        client.force_login(person)
        for (method, path), organisation_scoped in _distinct_requests(world, person).items():
            response = getattr(client, method)(path)
            body = response.content.decode(errors="replace")
            leaked = [marker for marker in markers if marker in body]
            assert not leaked, f"{email} {method.upper()} {path} showed {leaked}"
            if organisation_scoped:
                assert response.status_code in (403, 404), (
                    f"{email} {method.upper()} {path} answered {response.status_code}"
                )
            checked += 1
    assert _snapshot(world) == before, "Another organisation's data was changed"
    assert checked > 100


def test_anonymous_visitors_are_sent_to_sign_in_for_every_protected_route(world):
    """Pages redirect to sign-in; the API answers 401 with WWW-Authenticate instead."""
    client = Client()
    for route in _routes():
        for rule in _declared_rules(route.callback):
            if not rule or rule.kind == "public":
                continue
            for values in _value_sets(route, rule, world, UserFactory())[:1]:
                path = _path(route, values)
                response = client.get(path)
                if path.startswith("/api/"):
                    assert response.status_code == 401 and "WWW-Authenticate" in response, route.path_template
                else:
                    assert response.status_code == 302 and "/oidc/authenticate/" in response["Location"], (
                        route.path_template
                    )


def test_the_django_admin_is_for_support_staff_only(world):
    for email, person in world["people"].items():
        client = Client()
        client.force_login(person)
        response = client.get("/support/admin/accounts/membership/")
        if person.is_staff:
            assert response.status_code in (200, 403)  # staff without model permissions get 403
        else:
            assert response.status_code == 302 and "/support/admin/login/" in response["Location"], email


def test_only_department_roles_reach_the_department_role_pages(world):
    """The legacy register's pages (and any other department-role page) refuse every school, trust and
    local authority person, and department members without the role, with 403."""
    checked = 0
    for email, person in world["people"].items():
        client = Client()
        client.force_login(person)
        for route in _routes():
            for rule in _declared_rules(route.callback):
                if not rule or rule.kind != "department_role" or policy.can_department(person, rule.action):
                    continue
                path = _path(route, dict.fromkeys(re.findall(r"<(?:\w+:)?(\w+)>", route.path_template), "1"))
                for method in ("get", "post"):
                    response = getattr(client, method)(path)
                    assert response.status_code == 403, (
                        f"{email} {method.upper()} {path} answered {response.status_code}"
                    )
                    checked += 1
    assert checked > 0
