"""The trust and local authority estate overview: totals across schools, "No data yet" instead of
zeros, and CSV and XLSX exports of the same lines (no live formulas)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.core.tests.spreadsheet_checks import (
    assert_csv_has_no_live_formula,
    assert_xlsx_has_no_live_formula,
    csv_cells,
    typed_formula,
)
from tests.factories import (
    AcademyFactory,
    AssetFactory,
    ContractFactory,
    EstablishmentFactory,
    LocalAuthorityFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust_world(client):
    trust = TrustFactory(name="Hill Trust")
    busy = AcademyFactory(trust=trust, name="Busy Academy")
    quiet = AcademyFactory(trust=trust, name="Quiet Academy")  # nothing recorded
    contracts_only = AcademyFactory(trust=trust, name=typed_formula(1))
    AssetFactory.create_batch(3, establishment=busy, operating_system="Windows 11 Education", os_version="24H2")
    ContractFactory(establishment=busy, annual_cost=Decimal("1200"))
    ContractFactory(establishment=contracts_only, annual_cost=Decimal("300"))
    director = UserFactory()
    make_membership(director, trust, Role.VIEWER)
    client.force_login(director)
    return trust, busy, quiet, contracts_only


def _slug(trust):
    return {"organisation": f"trust-{trust.uid}"}


def test_the_overview_totals_the_schools_with_data_and_says_no_data_yet_for_the_rest(client, trust_world):
    trust, *_ = trust_world
    html = client.get(reverse("estate:overview", kwargs=_slug(trust))).content.decode()
    assert "2 of 3 schools have recorded something" in html
    assert "No data yet" in html
    assert "Total</strong> (2 of 3 schools)" in html
    assert "<strong>£1,500</strong>" in html  # 1,200 + 300
    assert 'role="region"' in html and 'tabindex="0"' in html
    assert reverse("estate:overview_csv", kwargs=_slug(trust)) in html
    assert reverse("estate:overview_xlsx", kwargs=_slug(trust)) in html


def test_the_overview_exports_say_no_data_yet_total_and_carry_no_formula(client, trust_world):
    trust, busy, quiet, _ = trust_world
    response = client.get(reverse("estate:overview_csv", kwargs=_slug(trust)))
    assert response["Content-Disposition"].startswith(f'attachment; filename="ict-estate-trust-{trust.uid}-')
    rows = csv_cells(response.content)
    assert_csv_has_no_live_formula(response.content)
    assert rows[0][:3] == ["URN", "School", "Devices in use"]
    by_urn = {row[0]: row for row in rows[1:]}
    assert by_urn[quiet.urn][2] == "No data yet"
    assert by_urn[busy.urn][2:] == ["3", "0", "0", "0", "1200.00"] or by_urn[busy.urn][2] == "3"
    assert rows[-1][1] == "Total (2 of 3 schools with data)" and rows[-1][-1] in {"1500", "1500.00"}
    workbook_bytes = client.get(reverse("estate:overview_xlsx", kwargs=_slug(trust))).content
    assert_xlsx_has_no_live_formula(workbook_bytes)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [quiet.urn, "Quiet Academy", "No data yet"] == values[[r[0] for r in values].index(quiet.urn)][:3]
    assert values[-1][2] == 3 and float(values[-1][-1]) == 1500


def test_a_local_authority_overview_and_exports_too(client):
    camden = LocalAuthorityFactory(code="202", name="Camden")
    EstablishmentFactory(local_authority=camden, name="Maintained Primary")
    officer = UserFactory()
    make_membership(officer, camden, Role.VIEWER)
    client.force_login(officer)
    slug = {"organisation": "local-authority-202"}
    assert "0 of 1 schools have recorded" in client.get(reverse("estate:overview", kwargs=slug)).content.decode()
    assert client.get(reverse("estate:overview_csv", kwargs=slug)).status_code == 200


def test_the_exports_are_refused_to_other_organisations(client, trust_world):
    other = TrustFactory()
    AcademyFactory(trust=other)
    assert client.get(reverse("estate:overview_csv", kwargs=_slug(other))).status_code == 403
    assert client.get(reverse("estate:overview_xlsx", kwargs=_slug(other))).status_code == 403
