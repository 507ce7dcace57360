import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.core.tests.spreadsheet_checks import (
    assert_csv_has_no_live_formula,
    assert_xlsx_has_no_live_formula,
    typed_formula,
    xlsx_texts,
)
from schooltech.estate.models import ConnectionTechnology
from schooltech.planning import services
from schooltech.planning.models import BuyingRoute, PlanAction, PlanVersion
from tests import factories as estate
from tests.factories import AcademyFactory, TrustFactory, UserFactory, make_membership

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 11)


@pytest.fixture
def plan(reference_data, school):
    contract = estate.ContractFactory(establishment=school, title="Broadband", end_date=datetime.date(2027, 7, 11))
    estate.ConnectionFactory(establishment=school, technology=ConnectionTechnology.FTTC, contract=contract)
    estate.AssetFactory.create_batch(2, establishment=school, operating_system="Windows 10", os_version="22H2")
    plan, _ = services.plan_generate(establishment=school, today=TODAY)
    return plan


def _url(name, school, **kwargs):
    return reverse(f"planning:{name}", kwargs={"urn": school.urn, **kwargs})


def test_every_plan_page_renders_for_a_viewer(client, viewer, plan, school):
    client.force_login(viewer)
    for name in ("overview", "timeline", "list", "budget", "versions", "governor_report"):
        response = client.get(_url(name, school))
        assert response.status_code == 200, name
        assert b"style=" not in response.content and b"<script>" not in response.content
    action = plan.actions.get(rule_key="contract_notice")
    page = client.get(_url("action", school, action_id=action.pk)).content.decode()
    assert "Give notice by 12 April 2027" in page and "How the plan worked this out" in page
    assert "Contract notice deadlines" in page and "Contracts register" in page
    assert "Everything ICT" in page


def test_the_budget_shows_the_same_numbers_in_the_chart_and_the_table(client, viewer, plan, school):
    client.force_login(viewer)
    page = client.get(_url("budget", school)).content.decode()
    assert '<figure class="app-chart"' in page
    assert page.count("£1,200") >= 2  # two Windows 10 laptops at £600: once in the chart, once in the table


def test_filters_narrow_the_list(client, viewer, plan, school):
    client.force_login(viewer)
    everything = client.get(_url("list", school)).content.decode()
    find_outs = client.get(_url("list", school), {"kind": "find_out", "priority": "99"}).content.decode()
    total = plan.actions.filter(is_active=True).count()
    expected = plan.actions.filter(is_active=True, is_find_out=True).count()
    assert 0 < expected < total
    assert f'role="status">{total} actions' in everything
    assert f'role="status">{expected} actions' in find_outs
    assert "Clear filters" in find_outs and "Clear filters" not in everything


def test_long_lists_are_paged_and_every_page_keeps_the_filters(client, viewer, plan, school):
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=plan,
            establishment=school,
            key=f"manual-{number}",
            title=f"Check room {number:03}",
            why="",
            due_date=TODAY + datetime.timedelta(days=number),
            source=PlanAction.Source.MANUAL,
        )
        for number in range(70)
    )
    client.force_login(viewer)
    first = client.get(_url("list", school), {"source": "manual"}).content.decode()
    assert 'role="status">70 actions, showing 1 to 50' in first
    assert first.count("Check room") == 50
    assert f'href="{_url("list", school)}?source=manual&amp;page=2"' in first
    second = client.get(_url("list", school), {"source": "manual", "page": "2"}).content.decode()
    assert second.count("Check room") == 20
    assert "Check room 069" in second and "Check room 000" not in second


def test_a_viewer_cannot_change_anything(client, viewer, plan, school):
    client.force_login(viewer)
    action = plan.actions.first()
    assert client.post(_url("action_status", school, action_id=action.pk), {"status": "done"}).status_code == 403
    assert client.post(_url("generate", school)).status_code == 403
    assert PlanAction.objects.get(pk=action.pk).status == "planned"


def test_deferring_asks_one_question_and_needs_a_reason(client, editor, plan, school):
    client.force_login(editor)
    action = plan.actions.first()
    response = client.post(_url("action_status", school, action_id=action.pk), {"status": "deferred"})
    assert response.url == _url("action_defer", school, action_id=action.pk)
    error = client.post(response.url, {"reason": "   "})
    assert error.status_code == 200 and "Error: " in error.content.decode()
    assert "Enter why the action is deferred" in error.content.decode()
    client.post(response.url, {"reason": "Waiting for the 2027 budget"})
    action.refresh_from_db()
    assert (action.status, action.deferred_reason) == ("deferred", "Waiting for the 2027 budget")
    assert "Waiting for the 2027 budget" in client.get(_url("action", school, action_id=action.pk)).content.decode()


def test_an_editor_adds_an_action_by_hand_and_bad_input_changes_nothing(client, editor, plan, school):
    client.force_login(editor)
    bad = client.post(
        _url("add", school), {"title": "", "due_date-day": "31", "due_date-month": "2", "due_date-year": "2027"}
    )
    assert "Enter what needs doing" in bad.content.decode() and "must be a real date" in bad.content.decode()
    assert not plan.actions.filter(source="manual").exists()
    data = {
        "title": "Buy visualisers", "why": "Science asked", "due_date-day": "10", "due_date-month": "1",
        "due_date-year": "2027", "category": "audio_visual", "priority": "4", "estimated_cost": "450", "owner": "Head",
    }  # fmt: skip
    response = client.post(_url("add", school), data)
    action = plan.actions.get(source="manual")
    assert response.url == _url("action", school, action_id=action.pk)
    assert action.estimated_cost == Decimal("450.00")


def test_only_approvers_approve_and_versions_are_kept(client, editor, approver, plan, school):
    client.force_login(editor)
    assert client.post(_url("approve", school)).status_code == 403
    assert not PlanVersion.objects.exists()
    client.force_login(approver)
    response = client.post(_url("approve", school))
    version = PlanVersion.objects.get()
    assert response.url == _url("version", school, version_id=version.pk)
    page = client.get(response.url).content.decode()
    assert "Approved by Hana Head" in page
    assert "Approved by Hana Head" in client.get(_url("overview", school)).content.decode()


def test_a_trust_approver_can_approve_a_schools_plan(client, reference_data):
    trust = TrustFactory()
    academy = AcademyFactory(trust=trust)
    director = UserFactory()
    make_membership(director, trust, Role.APPROVER)
    services.plan_generate(establishment=academy, today=TODAY)
    client.force_login(director)
    client.post(_url("approve", academy))
    assert PlanVersion.objects.filter(establishment=academy).exists()


def test_exports_open_as_csv_xlsx_and_pdf(client, viewer, plan, school):
    client.force_login(viewer)
    csv_text = client.get(_url("export_csv", school)).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Due date,Term,Financial year,Priority,What to do")
    assert "Give notice by 12 April 2027" in csv_text
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(_url("export_xlsx", school)).content))
    sheet = workbook.active
    assert sheet.cell(1, 5).value == "What to do"
    assert sheet.max_row == plan.actions.filter(is_active=True).count() + 1
    pdf = client.get(_url("governor_report_pdf", school))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_plan_exports_hold_no_live_formula_whatever_people_typed(client, viewer, plan, school):
    typed = {"title": typed_formula(0), "why": typed_formula(1), "owner": typed_formula(2)}
    typed |= {"cost_basis": typed_formula(3), "deferred_reason": typed_formula(4)}
    plan.actions.filter(is_active=True).update(**typed)
    client.force_login(viewer)
    header, *rows = assert_csv_has_no_live_formula(client.get(_url("export_csv", school)).content)
    assert rows and all(row[header.index("What to do")] == "'" + typed["title"] for row in rows)
    texts = xlsx_texts(assert_xlsx_has_no_live_formula(client.get(_url("export_xlsx", school)).content))
    assert set(typed.values()) <= texts


def test_a_route_ending_before_the_purchase_is_warned_about(client, viewer, plan, school):
    BuyingRoute.objects.filter(key="everything-ict").update(end_date=datetime.date(2027, 1, 31))
    client.force_login(viewer)
    action = plan.actions.get(rule_key="contract_notice")
    page = client.get(_url("action", school, action_id=action.pk)).content.decode()
    assert "Everything ICT ends on 31 January 2027, before this purchase is due" in page


def test_every_suggested_route_shows_its_end_date_on_the_action_and_in_the_export(client, viewer, plan, school):
    BuyingRoute.objects.filter(key="everything-ict").update(end_date=datetime.date(2031, 3, 31))
    client.force_login(viewer)
    action = plan.actions.get(rule_key="contract_notice")
    page = client.get(_url("action", school, action_id=action.pk)).content.decode()
    assert "Open until 31 March 2031." in page
    assert "End date not recorded: check before you buy." in page  # the routes whose end is not recorded
    exported = client.get(_url("export_csv", school)).content.decode()
    assert "Everything ICT (ends 31 March 2031)" in exported
    assert "(end date not recorded: check before you buy)" in exported


def test_buying_route_pages_are_public(client, reference_data):
    assert "G-Cloud 15 (RM1557.15)" in client.get(reverse("planning:routes")).content.decode()
    page = client.get(reverse("planning:route", kwargs={"route_key": "g-cloud"})).content.decode()
    assert "How to buy through G-Cloud 15 (RM1557.15)" in page and "Digital Marketplace" in page
    assert "16 September 2030" in page
    assert client.get(reverse("planning:route", kwargs={"route_key": "nope"})).status_code == 404


def test_the_trust_view_shows_alignment_opportunities(client, reference_data):
    trust = TrustFactory(name="Hill Trust")
    director = UserFactory()
    make_membership(director, trust, Role.VIEWER)
    schools = AcademyFactory.create_batch(3, trust=trust)
    for index, academy in enumerate(schools):
        contract = estate.ContractFactory(
            establishment=academy,
            title="Broadband",
            end_date=datetime.date(2027, 3 + 2 * index, 31 if index != 1 else 30),
        )
        estate.ConnectionFactory(establishment=academy, technology=ConnectionTechnology.FTTC, contract=contract)
    services.plans_generate(establishments=schools, today=TODAY)
    client.force_login(director)
    page = client.get(reverse("planning:organisation", kwargs={"organisation": f"trust-{trust.uid}"})).content.decode()
    assert "3 schools’ broadband contracts end between March 2027 and July 2027: buy together" in page
    api = client.get(f"/api/v1/plans/trust-{trust.uid}").json()
    assert (
        api["opportunities"][0]["schools"] == sorted(s.urn for s in schools)
        or len(api["opportunities"][0]["schools"]) == 3
    )


def test_the_api_reads_a_schools_plan_and_refuses_others(client, viewer, plan, school):
    client.force_login(viewer)
    data = client.get(f"/api/v1/schools/{school.urn}/plan").json()
    assert data["urn"] == school.urn and data["financial_year_basis"] == "april"
    notice = next(a for a in data["actions"] if a["rule"] == "contract_notice")
    assert notice["due_date"] == "2027-04-12" and notice["facts"][0]["source"] == "Contracts register"
    other = AcademyFactory()
    assert client.get(f"/api/v1/schools/{other.urn}/plan").status_code == 403
    assert client.post(f"/api/v1/schools/{school.urn}/plan").status_code == 405


def test_start_sends_people_to_their_plan(client, viewer, school):
    client.force_login(viewer)
    assert client.get(reverse("planning:start")).url == _url("overview", school)
