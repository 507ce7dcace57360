"""Charts people can read, in a real browser: on the estate summary, a trust's own figures and the
plan budget, chart labels and values are the size of the page's body text (GOV.UK's 19 px scale), the page does
not scroll sideways at 320 px or at 200 % zoom (640 CSS px), the table with the same numbers sits
beside each chart, and axe finds nothing with JavaScript on and off."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.planning import services as planning_services
from tests.e2e.sessions import sign_in
from tests.factories import AcademyFactory, AssetFactory, ContractFactory, TrustFactory, UserFactory, make_membership

SIZES = [("320px", 320, 1), ("zoom-200", 640, 2), ("1280px", 1280, 1)]


@pytest.fixture
def charted(transactional_db):
    call_command("load_planning_data", stdout=None)
    trust = TrustFactory(uid="E2ECH", name="Chart Trust")
    school = AcademyFactory(urn="640001", name="Chart Academy", trust=trust, phase_code="2")
    AssetFactory.create_batch(3, establishment=school, operating_system="Windows 10 Pro", os_version="22H2")
    AssetFactory.create_batch(2, establishment=school, operating_system="Windows 11 Education", os_version="24H2")
    ContractFactory(establishment=school, annual_cost=1200)
    planning_services.plan_generate(establishment=school)
    user = UserFactory(email="charts@chart.example")
    make_membership(user, school, Role.VIEWER)
    make_membership(user, trust, Role.VIEWER)
    return school, trust, user


PAGES = [
    ("estate", "/schools/640001/estate/", "ICT estate"),
    ("budget", "/schools/640001/plan/budget", "Budget by financial year"),
    ("insights", "/insights/trust-E2ECH", "Your schools’ figures"),
]


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("size", SIZES, ids=[s[0] for s in SIZES])
@pytest.mark.parametrize("name, path, heading", PAGES, ids=[p[0] for p in PAGES])
def test_chart_labels_are_body_text_at_every_width(
    browser, live_server, charted, assert_accessible, name, path, heading, size, javascript
):
    _, width, scale = size
    *_, user = charted
    context = browser.new_context(
        viewport={"width": width, "height": 900}, device_scale_factor=scale, java_script_enabled=javascript
    )
    page = context.new_page()
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    body_px = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('main p.govuk-body')).fontSize)")
    assert body_px in {16, 19}
    charts = page.locator("figure.app-chart")
    assert charts.count() >= 1, "the page should have a chart"
    for index in range(charts.count()):
        chart = charts.nth(index)
        for part in (".app-chart__label", ".app-chart__value"):
            sizes = chart.locator(part).evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
            assert sizes and all(size == body_px for size in sizes), (part, sizes, body_px)
        # the same numbers in a table beside the chart: every value shown in the chart is in a table
        values = chart.locator(".app-chart__value").all_inner_texts()
        tables = " ".join(page.locator("table").all_inner_texts())
        assert all(value in tables for value in values), values
    widest = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('figure.app-chart, figure.app-chart *')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= width + 1, f"a chart on {path} reaches {widest}px in a {width}px window"
    if name != "budget":  # the budget page's own table (the plan pages' work) is not the chart's
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than the window"
    assert_accessible(page)
    context.close()


@pytest.fixture
def legacy_reviewer(transactional_db):
    from django.utils import timezone

    from schooltech.demo import legacy as demo_legacy
    from schooltech.organisations.reference import DEPARTMENT

    demo_legacy.load_examples(today=timezone.localdate())
    user = UserFactory(email="reviewer@education.example")
    make_membership(user, DEPARTMENT, Role.RISK_REVIEWER)
    return user


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("size", SIZES, ids=[s[0] for s in SIZES])
def test_the_risk_matrix_text_stays_readable_and_scrolls_on_narrow_screens(
    browser, live_server, legacy_reviewer, assert_accessible, size, javascript
):
    _, width, scale = size
    context = browser.new_context(
        viewport={"width": width, "height": 900}, device_scale_factor=scale, java_script_enabled=javascript
    )
    page = context.new_page()
    sign_in(page, live_server, legacy_reviewer)
    page.goto(f"{live_server.url}/department/legacy-technology/risk-against-value")
    svg = page.locator("svg.app-matrix")
    expect(svg).to_be_visible()
    rendered = svg.evaluate("element => element.getBoundingClientRect().width")
    assert rendered >= 580, "the matrix never shrinks so far that its text falls below 16 px"
    region = page.get_by_role("region", name=re.compile("a picture that scrolls sideways"))
    right = region.evaluate("element => element.getBoundingClientRect().right")
    assert right <= width + 1, "the matrix scrolls inside its own region, not the page"
    assert_accessible(page)
    context.close()
