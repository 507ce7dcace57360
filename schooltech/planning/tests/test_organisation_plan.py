"""A trust's and a local authority's plan overview: totals, "No plan yet" instead of zeros, the
financial year named for each kind of organisation, buy-together opportunities grouped by category
with their schools and dates, and CSV and XLSX exports without live formulas."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.core.tests.spreadsheet_checks import (
    assert_csv_has_no_live_formula,
    assert_xlsx_has_no_live_formula,
    csv_cells,
)
from schooltech.estate.models import ConnectionTechnology, Contract
from schooltech.planning import selectors, services
from schooltech.planning.models import PlanAction
from tests import factories as estate
from tests.factories import (
    AcademyFactory,
    EstablishmentFactory,
    LocalAuthorityFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 11)


@pytest.fixture
def trust_plans(client, reference_data):
    trust = TrustFactory(name="Hill Trust")
    schools = [AcademyFactory(trust=trust, name=f"Academy {letter}") for letter in "ABC"]
    for index, academy in enumerate(schools):
        contract = estate.ContractFactory(
            establishment=academy, title="Broadband", end_date=datetime.date(2027, 3 + 2 * index, 28)
        )
        estate.ConnectionFactory(establishment=academy, technology=ConnectionTechnology.FTTC, contract=contract)
        estate.AssetFactory.create_batch(2, establishment=academy, operating_system="Windows 10 Pro", os_version="22H2")
    services.plans_generate(establishments=schools, today=TODAY)
    AcademyFactory(trust=trust, name="Academy Without Plan")
    director = UserFactory()
    make_membership(director, trust, Role.VIEWER)
    client.force_login(director)
    return trust, schools


def _slug(trust):
    return {"organisation": f"trust-{trust.uid}"}


def test_the_trust_page_totals_says_no_plan_yet_and_names_the_trusts_years(client, trust_plans):
    trust, _ = trust_plans
    html = client.get(reverse("planning:organisation", kwargs=_slug(trust))).content.decode()
    assert "3 of 4 schools have a plan" in html
    assert "No plan yet" in html
    assert "Total (3 of 4 schools)" in html
    assert "Academy trusts’ financial years run September to August" in html
    assert "April to March" not in html
    data = selectors.organisation_plan(organisation=trust, today=TODAY)
    assert data.total_open_actions == sum(line.open_actions for line in data.lines) > 0
    assert f"<strong>{data.total_open_actions}</strong>" in html
    assert 'role="region"' in html and 'aria-label="Schools’ plans by financial year' in html


def test_buy_together_is_grouped_by_category_with_dates_and_schools(client, trust_plans):
    trust, _ = trust_plans
    data = selectors.organisation_plan(organisation=trust, today=TODAY)
    groups = data.opportunities_by_category
    labels = [label for label, _ in groups]
    assert len(labels) == len(set(labels)) and "Broadband" in labels
    (broadband,) = dict(groups)["Broadband"]
    assert broadband.when == "March 2027 to July 2027"
    assert sorted(s.name for s in broadband.schools) == ["Academy A", "Academy B", "Academy C"]
    html = client.get(reverse("planning:organisation", kwargs=_slug(trust))).content.decode()
    assert '<caption class="govuk-table__caption govuk-table__caption--s">Broadband</caption>' in html
    assert "March 2027 to July 2027" in html
    for _label, opportunities in groups:
        assert [o.first for o in opportunities] == sorted(o.first for o in opportunities)


def test_the_local_authority_page_says_april_to_march_and_never_trusts(client, reference_data):
    camden = LocalAuthorityFactory(code="202", name="Camden")
    EstablishmentFactory(local_authority=camden)
    officer = UserFactory()
    make_membership(officer, camden, Role.VIEWER)
    client.force_login(officer)
    html = client.get(reverse("planning:organisation", kwargs={"organisation": "local-authority-202"})).content.decode()
    assert "Maintained schools’ financial years run April to March" in html
    assert "for trusts" not in html and "September to August" not in html
    assert "0 of 1 schools have a plan" in html


def test_the_trust_plan_exports_schools_and_buy_together_without_formulas(client, trust_plans):
    trust, _ = trust_plans
    response = client.get(reverse("planning:organisation_csv", kwargs=_slug(trust)))
    assert response["Content-Disposition"].startswith(f'attachment; filename="plans-schools-trust-{trust.uid}-')
    rows = assert_csv_has_no_live_formula(response.content) or csv_cells(response.content)
    assert rows[0][:4] == ["URN", "School", "Open actions", "Statutory or security"]
    assert any(row[1] == "Academy Without Plan" and row[2] == "No plan yet" for row in rows)
    assert rows[-1][1] == "Total (3 of 4 schools with a plan)"
    together = csv_cells(client.get(reverse("planning:organisation_buy_together_csv", kwargs=_slug(trust))).content)
    assert together[0][:4] == ["Category", "First due", "Last due", "What"]
    broadband = next(row for row in together if row[0] == "Broadband")
    assert broadband[4] == "3" and "Academy A" in broadband[5] and "Academy C" in broadband[5]
    workbook_bytes = client.get(reverse("planning:organisation_xlsx", kwargs=_slug(trust))).content
    assert_xlsx_has_no_live_formula(workbook_bytes)
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    assert workbook.sheetnames == ["Schools", "Buy together"]
    dates = [row[1].value for row in workbook["Buy together"].iter_rows(min_row=2)]
    assert all(isinstance(value, datetime.datetime) for value in dates)


def test_the_exports_are_refused_to_other_organisations_and_the_department(client, trust_plans):
    other = TrustFactory()
    for name in ("planning:organisation_csv", "planning:organisation_buy_together_csv", "planning:organisation_xlsx"):
        assert client.get(reverse(name, kwargs=_slug(other))).status_code == 403


def _open_and_cost(trust):
    data = selectors.organisation_plan(organisation=trust, today=TODAY)
    return data.total_open_actions, data.total_cost, len(data.opportunities)


def test_the_trust_figures_are_kept_until_an_action_changes(trust_plans, django_assert_max_num_queries):
    trust, _schools = trust_plans
    first = _open_and_cost(trust)
    with django_assert_max_num_queries(4):  # schools, the actions' stamp, plans: no sums again
        assert _open_and_cost(trust) == first


def test_a_status_set_by_a_person_shows_at_once(trust_plans):
    trust, schools = trust_plans
    open_actions, _, _ = _open_and_cost(trust)
    action = PlanAction.objects.filter(establishment=schools[0], is_active=True).first()
    services.action_status_set(action=action, status=PlanAction.Status.DONE, user=None)
    assert _open_and_cost(trust)[0] == open_actions - 1


def test_a_plan_update_that_retires_actions_shows_at_once(trust_plans):
    trust, schools = trust_plans
    _open_and_cost(trust)
    retiring = {
        action.pk: action.updated_at
        for action in PlanAction.objects.filter(establishment=schools[1], is_active=True, key__contains="contract")
    }
    Contract.objects.filter(establishment=schools[1]).delete()  # its notice actions are no longer called for
    services.plans_generate(establishments=[schools[1]], today=TODAY)
    open_after, _, _ = _open_and_cost(trust)
    retired = PlanAction.objects.filter(pk__in=retiring, is_active=False)
    assert retired  # the notice to give on the deleted contract
    assert all(action.updated_at > retiring[action.pk] for action in retired)  # what the kept figures check
    assert (
        open_after
        == PlanAction.objects.filter(establishment__in=schools, is_active=True)
        .exclude(status=PlanAction.Status.DONE)
        .count()
    )
    groups = dict(selectors.organisation_plan(organisation=trust, today=TODAY).opportunities_by_category)
    (broadband,) = groups["Broadband"]
    assert sorted(s.name for s in broadband.schools) == ["Academy A", "Academy C"]  # B's line has gone
