"""Every route that takes a POST is fuzzed by a test_form_properties.py (tests/hostile_forms.py), or is
listed in EXEMPT with the reason and where it is tested instead. Decided from the URL conf and the
source alone: no request is made, so the check is quick and gives the same answer every run.

Which routes take a POST (walking django.urls.get_resolver()):

- a view whose methods are declared (require_http_methods, require_POST; the list is read from the
  decorator's closure) takes a POST if POST is among them: require_GET and require_safe never do;
- a class-based view takes a POST if it has a post() method;
- a view that declares nothing takes a POST if its code, or a function of its own module that it
  calls, reads request.POST or request.FILES or looks at request.method (a view that never looks
  answers a POST as it answers a GET: there is no form behind it).

Django's admin and the API are left out as whole namespaces (EXEMPT_NAMESPACES).

Which routes are fuzzed (reading each schooltech/*/tests/test_form_properties.py with ast):

- the address given to post_anything(client, address, data) is worked out from the source: string
  literals and f-strings, `+`, the test's own assignments and the module's, the values its
  @pytest.mark.parametrize gives it, reverse("app:name", ...), and a helper whose body is
  `return <expression>` (in the file, or imported from another module of the project) followed into;
- anything the source cannot know (a fixture's attribute, a call's result) stands for part of one
  path segment, and a query string is dropped;
- the address then names every route whose pattern has as many segments, each matching: known text
  against the route's text or its converter's regex, a converter against an unknown value always;
  reverse() names its route. An address with no wholly known segment names nothing;
- a page reached only by following a redirect (its address is a response's Location) is named by
  the test module in FUZZED_BY_FOLLOWING_REDIRECTS = {"app:name": "which test"}.

EXEMPT entries must stay true: an entry for a route that is fuzzed, or that takes no POST, fails too.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import get_converters

FUZZ_FILES = "schooltech/*/tests/test_form_properties.py"

EXEMPT_NAMESPACES = {
    "admin": "Django's own admin, for support staff only: Django's forms and its tests",
    "api": "the API: fuzzed by schemathesis against its OpenAPI document in schooltech/api/tests/test_fuzz.py",
}

_BUTTON = "a button with no fields (nothing to draw): permission and effect tested in "
_CHECK = "a check-answers step, no fields: it posts the answers drafted on its form step, fuzzed as "
_UPLOAD = "file upload: hostile file corpus (schooltech/core/tests/hostile_files.py) in "
_NOT_YET = "NOT YET FUZZED, a form with fields (example-based hostile values only): "
_LEGACY_CHECK = _CHECK + "legacy:<form> in schooltech/legacy/tests/test_form_properties.py"
_ESTATE = "schooltech/estate/tests/test_views.py"

EXEMPT = {
    # Buttons: a form whose only field is the CSRF token.
    "accounts:cancel_invitation": _BUTTON + "schooltech/accounts/tests/test_services.py",
    "accounts:remove_member": _BUTTON + "schooltech/accounts/tests/test_views.py",
    "notifications:retry": _BUTTON + "schooltech/notifications/tests/test_views.py",
    "standards:start": _BUTTON + "schooltech/standards/tests/test_flow.py",
    "standards:check": _BUTTON
    + "schooltech/standards/tests/test_flow.py (submits the answers fuzzed on its questions)",
    "standards:together_check": _BUTTON + "schooltech/standards/tests/test_together.py",
    "training:remove": _BUTTON + "schooltech/training/tests/test_views.py",
    "planning:generate": _BUTTON + "schooltech/planning/tests",
    "planning:approve": _BUTTON + "schooltech/planning/tests",
    "estate:assets_remove": _BUTTON + _ESTATE,
    "estate:connections_remove": _BUTTON + _ESTATE,
    "estate:services_remove": _BUTTON + _ESTATE,
    "estate:contracts_remove": _BUTTON + _ESTATE,
    "estate:information-assets_remove": _BUTTON + _ESTATE,
    "legacy:service_delete": _BUTTON + "schooltech/legacy/tests/test_deleting.py",
    "legacy:software_delete": _BUTTON + "schooltech/legacy/tests/test_deleting.py",
    "legacy:vulnerability_delete": _BUTTON + "schooltech/legacy/tests/test_deleting.py",
    "legacy:contract_delete": _BUTTON + "schooltech/legacy/tests/test_deleting.py",
    "legacy:decision_delete": _BUTTON + "schooltech/legacy/tests/test_deleting.py",
    "legacy:milestone_delete": _BUTTON + "schooltech/legacy/tests/test_deleting.py",
    "legacy:milestone_done": _BUTTON + "schooltech/legacy/tests",
    "peer:offer_withdraw": _BUTTON + "schooltech/peer/tests/test_views.py",
    "peer:request_withdraw": _BUTTON + "schooltech/peer/tests/test_views.py",
    "peer:request_done": _BUTTON + "schooltech/peer/tests/test_views.py",
    # Check-answers steps: the answers were posted (and fuzzed) on the step before.
    "accounts:api_key_check": _CHECK + "accounts:api_key_new; schooltech/accounts/tests/test_api_keys.py",
    "peer:offer_check": _CHECK + "peer:offer_question",
    "legacy:score_check": _LEGACY_CHECK,
    "legacy:decision_new_check": _LEGACY_CHECK,
    "legacy:decision_edit_check": _LEGACY_CHECK,
    "legacy:milestone_new_check": _LEGACY_CHECK,
    "legacy:milestone_edit_check": _LEGACY_CHECK,
    "legacy:service_new_check": _LEGACY_CHECK,
    "legacy:service_edit_check": _LEGACY_CHECK,
    "legacy:software_new_check": _LEGACY_CHECK,
    "legacy:software_edit_check": _LEGACY_CHECK,
    "legacy:vulnerability_new_check": _LEGACY_CHECK,
    "legacy:vulnerability_edit_check": _LEGACY_CHECK,
    "legacy:contract_new_check": _LEGACY_CHECK,
    "legacy:contract_edit_check": _LEGACY_CHECK,
    "legacy:principle_assess_check": _LEGACY_CHECK,
    # File uploads, and what they lead to.
    "estate:assets_import": _UPLOAD + "schooltech/estate/tests/test_hostile_files.py",
    "estate:connections_import": _UPLOAD + "schooltech/estate/tests/test_hostile_files.py",
    "estate:services_import": _UPLOAD + "schooltech/estate/tests/test_hostile_files.py",
    "estate:contracts_import": _UPLOAD + "schooltech/estate/tests/test_hostile_files.py",
    "estate:information-assets_import": _UPLOAD + "schooltech/estate/tests/test_hostile_files.py",
    "estate:assets_import_preview": _BUTTON + "schooltech/estate/tests/test_hostile_files.py (commits the upload)",
    "estate:connections_import_preview": _BUTTON + "schooltech/estate/tests/test_hostile_files.py (commits the upload)",
    "estate:services_import_preview": _BUTTON + "schooltech/estate/tests/test_hostile_files.py (commits the upload)",
    "estate:contracts_import_preview": _BUTTON + "schooltech/estate/tests/test_hostile_files.py (commits the upload)",
    "estate:information-assets_import_preview": _BUTTON + "schooltech/estate/tests/test_hostile_files.py (commits it)",
    "legacy:import_upload": "file upload: hostile files in schooltech/legacy/tests/test_import_export.py",
    "legacy:import_confirm": _BUTTON + "schooltech/legacy/tests/test_import_export.py (imports the checked upload)",
    # The same form and code as a fuzzed route.
    "accounts:support_review": "the same review form and code (_review) as accounts:request_review, fuzzed there",
    # Forms with fields not yet fuzzed (outside this change): each has example-based hostile tests.
    "legacy:decision_edit": _NOT_YET + "DecisionForm is fuzzed on legacy:decision_new; test_editing.py",
    "legacy:milestone_edit": _NOT_YET + "MilestoneForm is fuzzed on legacy:milestone_new; test_editing.py",
    "legacy:vulnerability_edit": _NOT_YET + "its form is fuzzed on legacy:vulnerability_new; test_editing.py",
    # Not a person's form.
    "notifications:notify_callback": "GOV.UK Notify's receipts (JSON, bearer token): schooltech/notifications/tests",
    "oidc_logout": "mozilla-django-oidc's sign-out: no fields, the library's own tests",
}


# --- which routes take a POST ---


@dataclass(frozen=True)
class Route:
    name: str  # "app:name", as reverse() takes it
    pattern: str  # "schools/<str:urn>/training/record"
    view: object


def _routes(patterns=None, prefix: str = "", namespaces: tuple[str, ...] = ()):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(":".join((*namespaces, entry.name)), prefix + str(entry.pattern), entry.callback)


def _declared_methods(view) -> set[str] | None:
    """The methods a require_http_methods decorator (anywhere in the wrapping) lets through."""
    function = view
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = function.__closure__[code.co_freevars.index("request_method_list")]
            return {method.upper() for method in cell.cell_contents}
        function = getattr(function, "__wrapped__", None)
    return None


READS_THE_POST = re.compile(r"request\.(POST|FILES|method)\b")


def _innermost(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


def _reads_the_post(function, seen: set | None = None) -> bool:
    """The function, or a function of its own module it calls (and so on), reads the POST."""
    seen = set() if seen is None else seen
    if function in seen or not inspect.isfunction(function):
        return False
    seen.add(function)
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    if READS_THE_POST.search(source):
        return True
    called = {node.func.id for node in ast.walk(ast.parse(inspect.cleandoc("\n" + source))) if _calls_a_name(node)}
    module = function.__module__
    return any(
        _reads_the_post(helper, seen)
        for name in called
        if inspect.isfunction(helper := function.__globals__.get(name)) and helper.__module__ == module
    )


def _calls_a_name(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name)


def takes_a_post(view) -> bool:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    methods = _declared_methods(view)
    if methods is not None:
        return "POST" in methods
    return _reads_the_post(_innermost(view))


@cache
def post_routes() -> dict[str, Route]:
    return {
        route.name: route
        for route in _routes()
        if route.name.split(":")[0] not in EXEMPT_NAMESPACES and takes_a_post(route.view)
    }


# --- which routes the test_form_properties files post to ---

UNKNOWN = None  # a part of an address the source cannot know


@dataclass(frozen=True)
class Named:
    """An address made by reverse(): its route's name."""

    name: str


class _Module:
    """A module's source: its functions, its module-level assignments and what it imports."""

    def __init__(self, path: Path):
        self.tree = ast.parse(path.read_text(), filename=str(path))
        self.functions = {node.name: node for node in self.tree.body if isinstance(node, ast.FunctionDef)}
        self.assignments: dict[str, list[ast.expr]] = {}
        self.imports: dict[str, tuple[str, str]] = {}
        for node in self.tree.body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.assignments.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = (node.module, alias.name)


@cache
def _module(dotted: str) -> _Module | None:
    """A module of the project (or its tests), parsed; None for anything outside it."""
    if not dotted.startswith(("schooltech", "tests")):
        return None
    spec = importlib.util.find_spec(dotted)
    return _Module(Path(spec.origin)) if spec and spec.origin and spec.origin.endswith(".py") else None


class _Addresses:
    """Works out, from the source, the addresses an expression can be: each a Named, or a tuple of
    parts (text, or UNKNOWN for what the source cannot know)."""

    MAX_DEPTH = 8

    def __init__(self, module: _Module):
        self.module = module

    def of(self, node: ast.expr, scope: dict[str, list], depth: int = 0) -> list:
        if depth > self.MAX_DEPTH:
            return [(UNKNOWN,)]
        if isinstance(node, ast.Constant):
            return [(node.value,)] if isinstance(node.value, str) else [(UNKNOWN,)]
        if isinstance(node, ast.JoinedStr):
            results = [()]
            for part in node.values:
                value = part.value if isinstance(part, ast.FormattedValue) else part
                results = [done + more for done in results for more in self._text(value, scope, depth)]
            return results
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self._text(node.left, scope, depth), self._text(node.right, scope, depth)
            return [one + other for one in left for other in right]
        if isinstance(node, ast.Name):
            return self._name(node.id, scope, depth)
        if isinstance(node, ast.Call):
            return self._call(node, scope, depth)
        return [(UNKNOWN,)]

    def _text(self, node, scope, depth) -> list[tuple]:
        return [value if isinstance(value, tuple) else (UNKNOWN,) for value in self.of(node, scope, depth + 1)]

    def _name(self, name: str, scope: dict[str, list], depth: int) -> list:
        if name in scope:
            return scope[name]
        if name in self.module.assignments:
            return [value for node in self.module.assignments[name] for value in self.of(node, {}, depth + 1)]
        if name in self.module.imports:
            dotted, imported = self.module.imports[name]
            other = _module(dotted)
            if other is not None:
                return _Addresses(other)._name(imported, {}, depth + 1)
        return [(UNKNOWN,)]

    def _call(self, node: ast.Call, scope: dict[str, list], depth: int) -> list:
        if not isinstance(node.func, ast.Name):
            return [(UNKNOWN,)]
        if node.func.id == "reverse" and node.args:
            names = self.of(node.args[0], scope, depth + 1)
            return [Named("".join(parts)) if UNKNOWN not in parts else (UNKNOWN,) for parts in names]
        found = self._function(node.func.id)
        if found is None:
            return [(UNKNOWN,)]
        addresses, function = found
        returned = [statement for statement in function.body if isinstance(statement, ast.Return)]
        if len(returned) != 1 or returned[0].value is None:
            return [(UNKNOWN,)]
        parameters = [argument.arg for argument in function.args.args]
        bound = {
            parameter: self.of(argument, scope, depth + 1)
            for parameter, argument in zip(parameters, node.args, strict=False)
        }
        bound |= {word.arg: self.of(word.value, scope, depth + 1) for word in node.keywords if word.arg}
        return addresses.of(returned[0].value, bound, depth + 1)

    def _function(self, name: str):
        if name in self.module.functions:
            return self, self.module.functions[name]
        if name in self.module.imports:
            dotted, imported = self.module.imports[name]
            other = _module(dotted)
            if other is not None:
                return _Addresses(other)._function(imported)
        return None

    def values(self, node: ast.expr, depth: int = 0) -> list:
        """The values a parametrize list, tuple, set or dict (its keys) gives; through module names."""
        if isinstance(node, ast.Name) and node.id in self.module.assignments and depth < self.MAX_DEPTH:
            return [value for found in self.module.assignments[node.id] for value in self.values(found, depth + 1)]
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return [value for element in node.elts for value in self.of(element, {})]
        if isinstance(node, ast.Dict):
            return [value for key in node.keys if key is not None for value in self.of(key, {})]
        return [(UNKNOWN,)]


def _parametrized(addresses: _Addresses, function: ast.FunctionDef) -> dict[str, list]:
    """The test's parameters given by @pytest.mark.parametrize (directly or through a module name)."""
    scope: dict[str, list] = {}
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id in addresses.module.assignments:
            decorator = addresses.module.assignments[decorator.id][-1]
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == "parametrize"
            and len(decorator.args) >= 2
            and isinstance(decorator.args[0], ast.Constant)
            and "," not in decorator.args[0].value
        ):
            scope[decorator.args[0].value.strip()] = addresses.values(decorator.args[1])
    return scope


def _locals(addresses: _Addresses, function: ast.FunctionDef, scope: dict[str, list]) -> dict[str, list]:
    """The test's own `name = expression` assignments (every one, wherever in the test)."""
    assigned: dict[str, list] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned.setdefault(node.targets[0].id, []).extend(addresses.of(node.value, scope))
    return scope | assigned


def posted_addresses(path: Path) -> list:
    """Every address the module's post_anything calls can be, worked out from its source."""
    module = _Module(path)
    addresses = _Addresses(module)
    found = []
    for function in (node for node in ast.walk(module.tree) if isinstance(node, ast.FunctionDef)):
        scope = _locals(addresses, function, _parametrized(addresses, function))
        for call in ast.walk(function):
            if _calls_a_name(call) and call.func.id == "post_anything" and len(call.args) >= 2:
                found.extend(addresses.of(call.args[1], scope))
    return found


def _segments(parts: tuple) -> list[tuple[str | None, str]] | None:
    """An address's path segments, each as its text if wholly known (else None) and as a regular
    expression (what the source cannot know matching within the segment); the query string dropped."""
    text = "".join(part if part is not UNKNOWN else "\x00" for part in parts).split("?")[0]
    segments = [
        (None if "\x00" in segment else segment, "[^/]*".join(re.escape(piece) for piece in segment.split("\x00")))
        for segment in text.strip("/").split("/")
    ]
    if all(known is None for known, _ in segments):
        return None  # nothing known: names no route
    return segments


def _route_segment(segment: str) -> str:
    """A route pattern's segment as a regular expression: each converter by its own regex."""
    converters = get_converters()
    parts = re.split(r"<(?:(\w+):)?\w+>", segment)
    pattern = re.escape(parts[0])
    for index in range(1, len(parts), 2):
        pattern += f"(?:{converters[parts[index] or 'str'].regex})" + re.escape(parts[index + 1])
    return pattern


def _segment_matches(route_segment: str, wanted: tuple[str | None, str]) -> bool:
    known, pattern = wanted
    if known is not None:  # wholly known: the route's text, or its converter, must take it
        return re.fullmatch(_route_segment(route_segment), known) is not None
    if "<" not in route_segment:  # the route's text against what is known of the address
        return re.fullmatch(pattern, route_segment) is not None
    return True  # a converter against a value the source cannot know


def routes_named_by(address, routes: dict[str, Route]) -> set[str]:
    if isinstance(address, Named):
        return {address.name} & routes.keys()
    segments = _segments(address)
    if segments is None:
        return set()
    named = set()
    for name, route in routes.items():
        pattern = route.pattern.strip("/").split("/")
        if len(pattern) == len(segments) and all(
            _segment_matches(segment, wanted) for segment, wanted in zip(pattern, segments, strict=True)
        ):
            named.add(name)
    return named


def _followed_redirects(path: Path) -> dict[str, str]:
    module = _Module(path)
    found = module.assignments.get("FUZZED_BY_FOLLOWING_REDIRECTS")
    return ast.literal_eval(found[-1]) if found else {}


@cache
def fuzzed_routes() -> dict[str, set[str]]:
    """Each fuzzed route's name, and the files that fuzz it."""
    routes = post_routes()
    fuzzed: dict[str, set[str]] = {}
    for path in sorted(Path(settings.BASE_DIR).glob(FUZZ_FILES)):
        named = set(_followed_redirects(path))
        for address in posted_addresses(path):
            named |= routes_named_by(address, routes)
        for name in named:
            fuzzed.setdefault(name, set()).add(str(path.relative_to(settings.BASE_DIR)))
    return fuzzed


# --- the checks ---


def test_every_route_that_takes_a_post_is_fuzzed_or_exempt():
    missing = sorted(set(post_routes()) - set(fuzzed_routes()) - set(EXEMPT))
    assert not missing, (
        "These routes take a POST but no test_form_properties.py posts to them (tests/hostile_forms.py):"
        f" fuzz them, or add them to EXEMPT in {Path(__file__).name} with the reason: "
        + ", ".join(f"{name} (/{post_routes()[name].pattern})" for name in missing)
    )


def test_every_exemption_is_still_needed():
    routes = post_routes()
    not_posted = sorted(name for name in EXEMPT if name not in routes)
    assert not not_posted, f"EXEMPT lists routes that take no POST (or no longer exist): {not_posted}"
    also_fuzzed = sorted(name for name in EXEMPT if name in fuzzed_routes())
    assert not also_fuzzed, f"EXEMPT lists routes that are fuzzed after all: {also_fuzzed}"


def test_every_page_named_as_reached_by_a_redirect_takes_a_post():
    named = {
        name: str(path)
        for path in Path(settings.BASE_DIR).glob(FUZZ_FILES)
        for name in _followed_redirects(path)
        if name not in post_routes()
    }
    assert not named, f"FUZZED_BY_FOLLOWING_REDIRECTS names routes that take no POST: {named}"


def test_the_rules_see_what_they_should():
    """The two readings, on routes whose answer is known: a guard against a rule that sees nothing."""
    routes = post_routes()
    assert {"training:record", "estate:assets_add", "legacy:score", "planning:budget_edit"} <= routes.keys()
    assert not {"training:catalogue", "estate:assets_list", "planning:overview"} & routes.keys()
    fuzzed = fuzzed_routes()
    assert "schooltech/estate/tests/test_form_properties.py" in fuzzed["estate:contracts_edit"]
    assert "schooltech/legacy/tests/test_form_properties.py" in fuzzed["legacy:contract_edit"]
    assert "schooltech/peer/tests/test_form_properties.py" in fuzzed["peer:offer_question"]
