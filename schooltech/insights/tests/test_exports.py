"""Downloads of the trust, local authority and school dashboards: every table as CSV, XLSX and ODS, with
the page's own figures, for the people who see the page only, never a department-only figure of England
or another school, and never a live formula."""

import datetime
import io
from html.parser import HTMLParser

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from schooltech.accounts.models import Role
from schooltech.core import spreadsheets
from schooltech.core.tests.spreadsheet_checks import (
    assert_csv_has_no_live_formula,
    assert_xlsx_has_no_live_formula,
    ods_sheets,
    typed_formula,
)
from schooltech.estate.models import ConnectionTechnology
from schooltech.insights import exports, live, metrics, services
from schooltech.insights.models import Aggregate
from schooltech.insights.selectors import Figure
from schooltech.organisations.reference import DEPARTMENT
from tests.factories import (
    AcademyFactory,
    AssetFactory,
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
FORMATS = ("csv", "xlsx", "ods")
FORMULA_NAME = typed_formula(0)  # a name from GIAS could start like a formula: it must stay text
TRUST_FIGURES = "/insights/trust-7001/figures"
TRUST_SHARING = "/insights/trust-7001/sharing"
LA_FIGURES = "/insights/local-authority-202/figures"
LA_SHARING = "/insights/local-authority-202/sharing"


@pytest.fixture
def world():
    call_command("load_standards", stdout=None)  # the cyber security standard is department-only
    camden = LocalAuthorityFactory(code="202", name="Camden", region="London")
    hackney = LocalAuthorityFactory(code="204", name="Hackney", region="London")
    trust = TrustFactory(uid="7001", name="Seven Trust")
    other_trust = TrustFactory(uid="7002", name="Other Trust")
    schools = []
    for number in range(6):
        school = AcademyFactory(
            urn=f"71000{number}", name=f"Sharing School {number}", local_authority=camden, region="London",
            ofsted_phase="Primary", trust=trust, number_of_pupils=300 + number, idaci_quintile=3,
        )  # fmt: skip
        ConnectionFactory(establishment=school, technology=ConnectionTechnology.FTTP)
        ServiceFactory(establishment=school, mfa_enforced=True)
        services.sharing_choose(establishment=school, user=None, standards=False, estate=True, plans=False)
        schools.append(school)
    # One school shares its devices: England's figures of devices are made from 1 school, so they are hidden.
    secondary = AcademyFactory(
        urn="710100", name=FORMULA_NAME, local_authority=camden, region="London", ofsted_phase="Secondary",
        trust=trust, number_of_pupils=900,
    )  # fmt: skip
    ConnectionFactory(establishment=secondary, technology=ConnectionTechnology.FTTP)
    AssetFactory.create_batch(3, establishment=secondary)
    services.sharing_choose(establishment=secondary, user=None, standards=False, estate=True, plans=False)
    private = AcademyFactory(
        urn="719999", name="Private Academy", local_authority=hackney, region="London", ofsted_phase="Primary",
        trust=trust,
    )  # fmt: skip
    ConnectionFactory(establishment=private, technology=ConnectionTechnology.ADSL)
    maintained = EstablishmentFactory(
        urn="718888", name="Camden Maintained", local_authority=camden, region="London", ofsted_phase="Primary"
    )
    ConnectionFactory(establishment=maintained, technology=ConnectionTechnology.FTTC)
    elsewhere = AcademyFactory(urn="729999", name="Other Trust Academy", trust=other_trust, local_authority=hackney)
    services.snapshots_take(on=ON)
    return {
        "schools": schools, "secondary": secondary, "private": private, "maintained": maintained, "trust": trust,
        "other_trust": other_trust, "camden": camden, "elsewhere": elsewhere,
    }  # fmt: skip


def _client(organisation=None, role=Role.VIEWER) -> Client:
    client = Client()
    user = UserFactory()
    if organisation is not None:
        make_membership(user, organisation, role)
    client.force_login(user)
    return client


def _downloads(client: Client, path: str) -> dict[str, list[list[str]]]:
    """The file in each format, checked for live formulas, as rows of cell text (CSV's neutralising
    apostrophe taken off, numbers as the page writes them)."""
    found = {}
    for file_format in FORMATS:
        response = client.get(f"{path}.{file_format}")
        assert response.status_code == 200, (path, file_format, response.status_code)
        assert response["Content-Type"] == spreadsheets.CONTENT_TYPES[file_format]
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert response["Content-Disposition"].endswith(f'.{file_format}"')
        if file_format == "csv":
            rows = assert_csv_has_no_live_formula(response.content)
            found["csv"] = [[spreadsheets.unneutralised(cell) for cell in row] for row in rows]
        elif file_format == "xlsx":
            assert_xlsx_has_no_live_formula(response.content)
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            found["xlsx"] = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        else:
            [sheet] = ods_sheets(response.content).values()
            found["ods"] = [[text for _, _, text in row] for row in sheet]
    assert found["csv"] == found["xlsx"] == found["ods"], path
    return found


class _Tables(HTMLParser):
    """Each table of a page by its caption: its body rows as lists of cell text."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._in: str | None = None  # "caption" or "cell"
        self._text = ""
        self._row: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._in, self._text = "caption", ""
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._in, self._text = "cell", ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption, self._in = self._text.strip(), None
            self.tables[self._caption] = []
        elif tag in ("td", "th") and self._in == "cell":
            self._row.append(self._text.strip())
            self._in = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._caption].append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._in:
            self._text += data


def _page_tables(client: Client, path: str) -> dict[str, list[list[str]]]:
    response = client.get(path)
    assert response.status_code == 200
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def _department_only() -> set[str]:
    return {metric.name for metric in metrics.all_metrics(ON) if not metric.is_public}


FIGURE_TABLES = ("Standards met", "Estate", "Planned spending", "Requirements met")


def test_a_trust_downloads_its_own_schools_figures_in_every_format_exactly_as_its_page_shows_them(world):
    client = _client(world["trust"])
    page = _page_tables(client, "/insights/trust-7001")
    rows = _downloads(client, TRUST_FIGURES)["csv"]

    assert rows[0] == exports.OWN_SCHOOLS_FIGURES_HEADER
    assert {row[0] for row in rows[1:]} == {"Seven Trust"} and {row[7] for row in rows[1:]} == {"2026-3-autumn"}
    page_rows = [(title, *row) for title in FIGURE_TABLES for row in page[title]]
    assert [tuple(row[1:7]) for row in rows[1:]] == page_rows  # every table, every row, the page's words
    full_fibre = next(row for row in rows if row[2] == "Full fibre main connection")
    assert full_fibre[4:7] == ["8", "88%", "100%"]  # 7 of its 8 schools with a line, shared or not; England: 7 of 7


def test_a_trust_download_gives_no_department_only_figure_of_england_and_hides_what_the_page_hides(world):
    rows = _downloads(_client(world["trust"]), TRUST_FIGURES)["csv"]
    england = {row[2]: row[6] for row in rows[1:]}
    # The department sees England's figure for MFA; the trust sees its own schools' only, as on its page.
    department = _downloads(_client(DEPARTMENT), "/insights/department/areas/england/figures")["csv"]
    department_only = _department_only()
    assert {"MFA on every cloud service", "Meet the cyber security standard"} <= department_only
    assert any(row[3] == "MFA on every cloud service" and row[7] == "100%" for row in department)
    assert {england[name] for name in department_only if name in england} == {exports.NO_ENGLAND_FIGURE}
    assert "Department only" not in str(rows)
    assert england["Devices per pupil"] == "Hidden"  # England's cell is made from 1 school
    own = next(row for row in rows if row[2] == "Devices per pupil")
    assert own[4:6] == ["1", "0.00"]  # the trust's own school is not hidden from the trust, as on its page


def test_a_trust_downloads_what_each_of_its_schools_shares_as_its_page_shows_it(world):
    client = _client(world["trust"])
    page = _page_tables(client, "/insights/trust-7001")["Sharing, school by school"]
    rows = _downloads(client, TRUST_SHARING)["csv"]

    assert rows[0] == exports.OWN_SCHOOLS_SHARING_HEADER
    assert [[row[1], row[3], row[4]] for row in rows[1:]] == page
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Private Academy"][4] == "Nothing" and by_name["Sharing School 0"][4] == "estate"
    assert by_name[FORMULA_NAME][2] == "710100"  # the formula-like name came back as text (checked above)
    assert "Other Trust Academy" not in by_name and "Camden Maintained" not in by_name


def test_a_local_authority_downloads_its_maintained_schools_only(world):
    client = _client(world["camden"])
    figures = _downloads(client, LA_FIGURES)["csv"]
    sharing = _downloads(client, LA_SHARING)["csv"]

    assert [row[1] for row in sharing[1:]] == ["Camden Maintained"]  # academies are their trust's
    page = _page_tables(client, "/insights/local-authority-202")
    assert [tuple(row[1:7]) for row in figures[1:]] == [(t, *row) for t in FIGURE_TABLES for row in page[t]]
    assert next(row for row in figures if row[2] == "Full fibre main connection")[4:6] == ["1", "0%"]


@pytest.fixture
def compared():
    camden = LocalAuthorityFactory(code="202", name="Camden", region="London")
    school = EstablishmentFactory(
        urn="730000", name="Our Primary School", local_authority=camden, region="London", ofsted_phase="Primary",
        number_of_pupils=400, idaci_quintile=3,
    )  # fmt: skip
    ConnectionFactory(establishment=school, technology=ConnectionTechnology.FTTC)
    ServiceFactory(establishment=school, mfa_enforced=False)
    for number in range(6):
        neighbour = EstablishmentFactory(
            urn=f"73000{number + 1}", name=f"Secret Neighbour {number}", local_authority=camden, region="London",
            ofsted_phase="Primary", number_of_pupils=400 + number, idaci_quintile=3,
        )  # fmt: skip
        ConnectionFactory(establishment=neighbour, technology=ConnectionTechnology.FTTP)
        ServiceFactory(establishment=neighbour, mfa_enforced=True)
        services.sharing_choose(establishment=neighbour, user=None, standards=False, estate=True, plans=False)
    services.snapshots_take(on=ON)
    return school


def test_a_school_downloads_its_comparison_in_every_format_exactly_as_its_page_shows_it(compared):
    client = _client(compared)
    page = _page_tables(client, f"/insights/establishment-{compared.urn}")
    rows = _downloads(client, f"/insights/establishment-{compared.urn}/comparison")["csv"]

    assert rows[0] == exports.COMPARISON_HEADER
    assert [row[3:] for row in rows[1:]] == page["Your school and the similar schools’ quarters"]
    assert {tuple(row[:3]) for row in rows[1:]} == {("2026-3-autumn", "Our Primary School", "730000")}
    full_fibre = next(row for row in rows if row[3] == "Full fibre main connection")
    assert full_fibre[4:] == ["No", "100%", "100%", "100%", "Below three quarters of similar schools"]
    text = str(rows)
    assert "Secret Neighbour" not in text and "73000" not in text.replace("730000", "")
    assert not _department_only() & {row[3] for row in rows} and "MFA" not in text  # its own MFA is not compared


def test_a_school_with_nothing_to_compare_has_no_download_and_no_link(db):
    school = EstablishmentFactory(urn="730500", name="Lonely School", ofsted_phase="Primary", region="London")
    client = _client(school)
    assert "/comparison.csv" not in client.get(f"/insights/establishment-{school.urn}").content.decode()
    assert client.get(f"/insights/establishment-{school.urn}/comparison.csv").status_code == 404


def test_the_pages_link_to_their_downloads(world, compared):
    trust_page = _client(world["trust"]).get("/insights/trust-7001").content.decode()
    for path in (TRUST_FIGURES, TRUST_SHARING):
        for file_format in FORMATS:
            assert f'href="{path}.{file_format}"' in trust_page
    school_page = _client(compared).get(f"/insights/establishment-{compared.urn}").content.decode()
    for file_format in FORMATS:
        assert f'href="/insights/establishment-{compared.urn}/comparison.{file_format}"' in school_page


@pytest.mark.parametrize("file_format", FORMATS)
def test_whoever_sees_a_page_gets_its_downloads_and_no_one_else(world, compared, file_format):
    academy = world["schools"][0]
    people = {
        "trust": _client(world["trust"], Role.APPROVER),
        "other trust": _client(world["other_trust"], Role.APPROVER),
        "local authority": _client(world["camden"], Role.APPROVER),
        "academy": _client(academy, Role.APPROVER),
        "maintained school": _client(compared, Role.APPROVER),
        "department": _client(DEPARTMENT, Role.APPROVER),
    }
    pages = {
        "/insights/trust-7001": ["figures", "sharing"],
        "/insights/local-authority-202": ["figures", "sharing"],
        f"/insights/establishment-{academy.urn}": ["comparison"],
        f"/insights/establishment-{compared.urn}": ["comparison"],
    }
    seen = {}
    for who, client in people.items():
        for page, tables in pages.items():
            page_status = client.get(page).status_code
            for table in tables:
                status = client.get(f"{page}/{table}.{file_format}").status_code
                assert status == page_status, (who, page, table, status, page_status)
                seen[who, page, table] = status
    assert seen["other trust", "/insights/trust-7001", "figures"] == 403  # a trust for another trust
    assert seen["academy", f"/insights/establishment-{compared.urn}", "comparison"] == 403  # another school
    assert seen["maintained school", f"/insights/establishment-{compared.urn}", "comparison"] == 200
    assert seen["trust", f"/insights/establishment-{academy.urn}", "comparison"] == 200  # it looks after it
    assert seen["local authority", "/insights/trust-7001", "sharing"] == 403
    assert seen["department", "/insights/local-authority-202", "figures"] == 403
    not_there = {  # downloads a page does not have
        "trust": ["/insights/trust-7001/comparison", "/insights/trust-9999/figures"],
        "academy": [f"/insights/establishment-{academy.urn}/{table}" for table in ("figures", "sharing")],
        "department": [f"/insights/department/{table}" for table in ("figures", "sharing", "comparison")],
    }
    for who, paths in not_there.items():
        for path in paths:
            assert people[who].get(f"{path}.{file_format}").status_code == 404, (who, path)
    anonymous = Client().get(f"{TRUST_FIGURES}.{file_format}")
    assert anonymous.status_code == 302 and "/oidc/authenticate/" in anonymous["Location"]


def test_an_unknown_format_is_not_found(world, compared):
    trust = _client(world["trust"])
    assert trust.get(f"{TRUST_FIGURES}.xls").status_code == 404
    assert trust.get(f"{TRUST_SHARING}.pdf").status_code == 404
    assert _client(compared).get(f"/insights/establishment-{compared.urn}/comparison.html").status_code == 404


def test_the_figures_file_never_writes_englands_figure_of_a_department_only_metric_even_if_given_it():
    mfa = next(metric for metric in metrics.ESTATE_METRICS if metric.key == "estate.mfa_on_cloud_services")
    fibre = next(metric for metric in metrics.ESTATE_METRICS if metric.key == "estate.full_fibre")
    cell = Aggregate(schools=20, value=55.0, suppression="")
    england = {mfa.key: Figure(mfa, cell), fibre.key: Figure(fibre, cell)}
    own = [live.LiveFigure(mfa, 3, 100.0), live.LiveFigure(fibre, 3, 0.0)]
    table = exports.own_schools_figures_table(
        organisation_name="A Trust", groups=[("estate", "Estate", own)], england=england, term="2026-3-autumn"
    )
    assert [row[2:7] for row in table.rows] == [
        [mfa.name, mfa.unit, 3, "100%", "–"],
        [fibre.name, fibre.unit, 3, "0%", "55%"],
    ]
