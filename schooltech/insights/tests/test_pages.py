"""The dashboards, the methodology and the open statistics: who sees what."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from schooltech.accounts.models import Role
from schooltech.core.tests.spreadsheet_checks import ods_sheets
from schooltech.estate.models import ConnectionTechnology
from schooltech.insights import services
from schooltech.insights.models import Aggregate
from schooltech.insights.views import forget_area_pages
from schooltech.organisations.reference import DEPARTMENT
from tests.factories import (
    AcademyFactory,
    ConnectionFactory,
    EstablishmentFactory,
    LocalAuthorityFactory,
    ServiceFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 11, 30)
DEPARTMENT_ONLY_NAME = "MFA on every cloud service"


@pytest.fixture
def world():
    camden = LocalAuthorityFactory(code="202", name="Camden", region="London")
    hackney = LocalAuthorityFactory(code="204", name="Hackney", region="London")
    trust = TrustFactory(uid="7001", name="Seven Trust")
    schools = []
    for number in range(6):
        school = AcademyFactory(
            urn=f"71000{number}", name=f"Sharing School {number}", local_authority=camden, region="London",
            ofsted_phase="Primary", trust=trust, number_of_pupils=300,
        )  # fmt: skip
        ConnectionFactory(establishment=school, technology=ConnectionTechnology.FTTP)
        ServiceFactory(establishment=school, mfa_enforced=True)
        services.sharing_choose(establishment=school, user=None, standards=False, estate=True, plans=False)
        schools.append(school)
    private = AcademyFactory(
        urn="719999", name="Private Academy", local_authority=hackney, region="London", ofsted_phase="Primary",
        trust=trust,
    )  # fmt: skip
    ConnectionFactory(establishment=private, technology=ConnectionTechnology.ADSL)
    services.snapshots_take(on=ON)
    return {"schools": schools, "private": private, "trust": trust, "camden": camden}


def _client(organisation=None, role=Role.VIEWER) -> Client:
    client = Client()
    user = UserFactory()
    if organisation is not None:
        make_membership(user, organisation, role)
    client.force_login(user)
    return client


def test_the_department_drills_down_from_england_to_a_region_and_a_local_authority(world):
    client = _client(DEPARTMENT)
    assert client.get("/insights/department")["Location"] == "/insights/department/areas/england"
    england = client.get("/insights/department/areas/england").content.decode()
    assert "England" in england and "/insights/department/areas/region-london" in england
    assert DEPARTMENT_ONLY_NAME in england  # the department sees cyber figures, as totals
    london = client.get("/insights/department/areas/region-london?metric=estate.full_fibre").content.decode()
    assert "/insights/department/areas/la-202" in london and "<svg" in london
    camden = client.get("/insights/department/areas/la-202").content.decode()
    assert "Camden" in camden
    for school in [*world["schools"], world["private"]]:
        assert school.name not in england + london + camden  # never names a school


def test_a_school_that_does_not_share_never_reaches_the_department(world):
    # Hackney's only school shares nothing: the department has no figure of it, only Hackney's (hidden) coverage.
    assert not Aggregate.objects.filter(area_key="204").exclude(metric_key="coverage.sharing").exists()
    page = _client(DEPARTMENT).get("/insights/department/areas/la-204").content.decode()
    assert "Private Academy" not in page and "100%" not in page
    body = _client(DEPARTMENT).get("/insights/department/areas/england/figures.csv").content.decode("utf-8-sig")
    full_fibre = [row for row in csv.DictReader(io.StringIO(body)) if row["Metric"] == "Full fibre main connection"]
    assert full_fibre[0]["Schools"] == "6" and full_fibre[0]["Figure"] == "100%"  # the ADSL school is not in it


def test_department_pages_are_only_for_the_department(world):
    for organisation in (world["schools"][0], world["trust"], world["camden"]):
        client = _client(organisation, Role.APPROVER)
        for path in ("/insights/department", "/insights/department/areas/england",
                     "/insights/department/areas/england/figures.xlsx"):  # fmt: skip
            assert client.get(path).status_code == 403, (organisation, path)


def test_the_trust_sees_its_own_schools_shared_or_not_but_no_department_only_england_figure(world):
    page = _client(world["trust"]).get("/insights/trust-7001").content.decode()
    assert "Private Academy" in page and "Nothing" in page  # it shares nothing, and the trust sees it
    assert "Your schools’ figures" in page
    cell = f'<td class="govuk-table__cell">{DEPARTMENT_ONLY_NAME}</td>'
    row = page[page.rindex(cell) :].split("</tr>")[0]
    assert row.rstrip().endswith("–</td>")  # no England figure for a department-only metric


def test_the_local_authority_sees_its_maintained_schools(world):
    maintained = EstablishmentFactory(urn="718888", name="Camden Maintained", local_authority=world["camden"])
    page = _client(world["camden"]).get("/insights/local-authority-202").content.decode()
    assert maintained.name in page
    assert "Sharing School 0" not in page  # academies are their trust's, not the authority's


def test_open_statistics_are_public_suppressed_and_never_department_only(world):
    client = Client()
    assert client.get("/national-picture/statistics").status_code == 200
    assert client.get("/national-picture/methodology").status_code == 200
    body = client.get("/national-picture/statistics/figures.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and not any(row["Metric"] == "estate.mfa_on_cloud_services" for row in rows)
    assert not any(row["Area type"] == "Trust" for row in rows)
    for row in rows:
        if row["Note"]:
            assert row["Schools"] == "" and row["Figure"] == ""
        else:
            assert int(row["Schools"]) >= 5
    api = client.get("/api/v1/statistics/figures").json()
    assert len(api) == len(rows)
    assert not any(item["metric"].startswith("estate.mfa") for item in api)
    assert all(item["figure"] is None for item in api if item["note"])
    assert client.get("/api/v1/statistics/terms").json() == ["2026-3-autumn"]
    assert "/api/v1/statistics/figures" in client.get("/api/v1/openapi.json").content.decode()


@pytest.mark.parametrize(
    ("person", "path"),
    [
        (None, "/national-picture/statistics/figures"),
        (DEPARTMENT, "/insights/department/areas/england/figures"),
    ],
)
def test_every_figures_download_comes_as_csv_xlsx_and_ods_with_the_same_rows(world, person, path):
    client = _client(person) if person else Client()
    csv_rows = list(csv.reader(io.StringIO(client.get(f"{path}.csv").content.decode("utf-8-sig"))))
    xlsx = openpyxl.load_workbook(io.BytesIO(client.get(f"{path}.xlsx").content)).active
    ods = client.get(f"{path}.ods")
    assert ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    [ods_rows] = ods_sheets(ods.content).values()
    assert len(csv_rows) == xlsx.max_row == len(ods_rows) > 1
    assert [text for _, _, text in ods_rows[0]] == csv_rows[0]
    assert client.get(f"{path}.xls").status_code == 404


def test_no_figures_yet_is_said_not_a_crash(db):
    assert Client().get("/national-picture/statistics").status_code == 200
    assert Client().get("/national-picture/statistics/figures.csv").status_code == 404
    assert _client(DEPARTMENT).get("/insights/department/areas/england").status_code == 404


def test_unknown_choices_in_the_address_fall_back_rather_than_fail(world):
    client = _client(DEPARTMENT)
    response = client.get("/insights/department/areas/england?term=x&phase=<b>&metric=nope")
    assert response.status_code == 200
    assert client.get("/insights/department/areas/region-atlantis").status_code == 404
    assert client.get("/insights/department/areas/england/figures.pdf").status_code == 404


def test_national_picture_in_the_navigation_goes_to_each_persons_own_page(world):
    assert Client().get("/national-picture")["Location"] == "/national-picture/statistics"
    assert _client(DEPARTMENT).get("/national-picture")["Location"] == "/insights/department"
    assert _client(world["trust"]).get("/national-picture")["Location"] == "/insights/trust-7001"
    school = world["schools"][0]
    assert _client(school).get("/national-picture")["Location"] == f"/insights/establishment-{school.urn}"


def test_the_area_page_reads_a_fixed_number_of_queries_whatever_the_catalogue(world, django_assert_max_num_queries):
    call_command("load_standards", stdout=None)
    client = _client(DEPARTMENT)
    client.get("/insights/department/areas/england")
    forget_area_pages()  # the page worked out afresh, not the kept one
    with django_assert_max_num_queries(12):  # not one per standard or requirement
        assert client.get("/insights/department/areas/england").status_code == 200


def test_an_area_page_is_kept_until_its_figures_are_computed_again(world, django_assert_max_num_queries):
    client, other_analyst = _client(DEPARTMENT), _client(DEPARTMENT)
    first = client.get("/insights/department/areas/england?metric=estate.full_fibre").content.decode()
    assert "6 schools" in first or ">6<" in first
    with django_assert_max_num_queries(4):  # who is asking and which figures are current: nothing more
        kept = other_analyst.get("/insights/department/areas/england?metric=estate.full_fibre").content.decode()
    assert _main(kept) == _main(first)
    assert _main(client.get("/insights/department/areas/england?phase=primary").content.decode()) != _main(first)
    newcomer = AcademyFactory(urn="710009", local_authority=world["camden"], region="London", ofsted_phase="Primary")
    ConnectionFactory(establishment=newcomer, technology=ConnectionTechnology.FTTP)
    services.sharing_choose(establishment=newcomer, user=None, standards=False, estate=True, plans=False)
    services.snapshots_take(on=ON)  # the figures computed again, as the scheduled run does
    again = client.get("/insights/department/areas/england?metric=estate.full_fibre").content.decode()
    assert _main(again) != _main(first) and (">7<" in again or "7 schools" in again)


def _main(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]
