"""Browser tests: Playwright driving Debian's Chromium against a live server, with axe-core.

Every page a test visits should be checked with `assert_accessible(page)`. Browser tests never
skip silently: if Chromium or the built assets are missing they fail with the reason.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told it is safe (the test owns the thread, so it is).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs it) or set CHROMIUM_PATH")
    if not AXE_SOURCE.exists() or not (ROOT / "static" / "css" / "main.css").exists():
        pytest.fail("Front-end packages or assets are missing: run `make assets`")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _watch(page, problems: list[str]) -> None:
    """Record CSP violations, script errors and failed assets (a 4xx/5xx document is a page's own business)."""

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", on_response)


@pytest.fixture
def page(page, console_problems):
    _watch(page, console_problems)
    yield page
    assert not console_problems, f"Browser console errors (CSP or JavaScript): {console_problems}"


@pytest.fixture
def console_problems() -> list[str]:
    return []


@pytest.fixture
def no_js_page(browser, console_problems):
    """A page in a context with JavaScript turned off, to prove journeys work without it."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _watch(page, console_problems)
    yield page
    context.close()
    assert not console_problems, f"Browser console errors: {console_problems}"


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def _axe_violations(page, axe_source: str) -> list[str]:
    # evaluate() runs through the DevTools protocol, so the page's strict CSP stays on.
    page.evaluate(axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    assert result["passes"], f"axe ran no passing checks on {page.url}: was the page empty?"
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]


def _javascript_ran(page) -> bool:
    return page.evaluate("() => document.body.classList.contains('js-enabled')")


@pytest.fixture
def assert_accessible(axe_source, browser):
    """Run axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) on the current page and assert no violations.

    axe needs timers, which do not run with JavaScript off, so a JavaScript-off page is checked
    by serving its exact DOM, scripts removed, to a JavaScript-on page at the same address.
    """

    def check(page) -> None:
        # A click that navigates returns before the new document exists; check the page it lands on.
        page.wait_for_load_state("load")
        page.wait_for_function("() => document.readyState === 'complete' && document.body !== null")
        if _javascript_ran(page):
            violations = _axe_violations(page, axe_source)
        else:
            html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.DOTALL)
            context = browser.new_context()
            copy = context.new_page()
            address = page.url.split("#")[0]  # a route never matches a fragment (#year-2027): leave it off
            copy.route(address, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
            copy.goto(address)
            violations = _axe_violations(copy, axe_source)
            context.close()
        assert not violations, f"axe found violations on {page.url}:\n" + "\n".join(violations)

    return check
