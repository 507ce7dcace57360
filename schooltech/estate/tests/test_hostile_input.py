"""Values a careless or hostile editor can type or upload get a clear error and change nothing,
and values already stored (however odd) never take a page down."""

import datetime

import pytest

from schooltech.estate import importers, registers
from schooltech.estate.models import Connection, Contract
from tests.factories import AssetFactory, ContractFactory

pytestmark = pytest.mark.django_db


def _base(school) -> str:
    return f"/schools/{school.urn}/estate"


CONNECTION = {"provider": "Openreach", "technology": "full_fibre", "role": "primary"}

NOT_NUMBERS = ["NaN", "nan", "inf", "-inf", "Infinity", "1e400", "-1", "100001", "9" * 40]


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_a_line_speed_that_is_not_a_real_number_is_refused(editor_client, school, typed):
    response = editor_client.post(_base(school) + "/connections/add", {**CONNECTION, "download_mbps_contracted": typed})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and 'href="#id_download_mbps_contracted"' in body
    assert not Connection.objects.exists()


CONTRACT = {"supplier": "Broadband Co", "title": "Internet"}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("notice_days", "99999999", "Enter a number from 0 days to 1,825 days"),
        ("notice_days", "99999999999999999999999", ""),
        ("annual_cost", "NaN", ""),
        ("annual_cost", "Infinity", ""),
        ("annual_cost", "-5", "Enter a number from £0"),
    ],
)
def test_a_contract_number_out_of_range_is_refused(editor_client, school, field, typed, message):
    response = editor_client.post(_base(school) + "/contracts/add", {**CONTRACT, field: typed})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_{field}"' in body
    assert message in body
    assert not Contract.objects.exists()


@pytest.mark.parametrize("year", ["0001", "1969", "2100", "9999"])
def test_a_date_outside_1970_to_2099_is_refused(editor_client, school, year):
    response = editor_client.post(
        _base(school) + "/contracts/add",
        {**CONTRACT, "end_date-day": "31", "end_date-month": "12", "end_date-year": year},
    )
    assert response.status_code == 200
    assert "Enter a date between 1970 and 2099" in response.content.decode()
    assert not Contract.objects.exists()


def test_a_future_purchase_date_is_a_fact_every_estate_page_handles(client, viewer, school):
    AssetFactory(establishment=school, purchase_date=datetime.date.today() + datetime.timedelta(days=400))
    client.force_login(viewer)
    summary = client.get(_base(school) + "/")
    assert summary.status_code == 200
    assert "Purchase date in the future" in summary.content.decode()
    assert client.get(_base(school) + "/assets/").status_code == 200


def test_a_stored_absurd_notice_period_does_not_take_pages_down(client, viewer, school):
    # Written straight to the table, as data from before today's bounds could be.
    contract = ContractFactory(establishment=school, end_date=datetime.date(2027, 3, 31))
    Contract.objects.filter(pk=contract.pk).update(notice_days=10**9)
    contract.refresh_from_db()
    assert contract.notice_deadline is None
    client.force_login(viewer)
    for path in ["/", "/ending-soon", "/contracts/", f"/contracts/{contract.pk}/"]:
        assert client.get(_base(school) + path).status_code == 200, path


CONTRACTS_HEADER = "Supplier,Title,End date,Notice period in days,Annual cost (£)\n"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("Co,Internet,31/03/2027,99999999,100", "Notice period in days"),
        ("Co,Internet,31/03/2027,30,NaN", "Annual cost (£)"),
        ("Co,Internet,31/03/2027,30,Infinity", "Annual cost (£)"),
        ("Co,Internet,31/03/2999,30,100", "End date"),
    ],
)
def test_an_imported_cell_out_of_bounds_is_a_row_error(school, editor, row, column):
    batch = importers.import_batch_create(
        register=registers.CONTRACTS,
        establishment=school,
        user=editor,
        content=(CONTRACTS_HEADER + row + "\n").encode(),
        filename="contracts.csv",
    )
    assert [(error["row"], error["column"]) for error in batch.errors] == [(2, column)]


@pytest.mark.parametrize("typed", ["nan", "inf", "1e400", "100001"])
def test_an_imported_line_speed_that_is_not_a_real_number_is_a_row_error(school, editor, typed):
    content = f"Provider,Technology,Contracted download (Mbps)\nOpenreach,Full fibre,{typed}\n"
    batch = importers.import_batch_create(
        register=registers.CONNECTIONS, establishment=school, user=editor, content=content.encode(), filename="c.csv"
    )
    assert [(error["row"], error["column"]) for error in batch.errors] == [(2, "Contracted download (Mbps)")]


@pytest.mark.parametrize("chosen", ["²", "١٢", "9" * 30, "-1", ""])
def test_asset_ids_that_are_not_ids_choose_nothing_to_dispose_of(editor_client, school, chosen):
    asset = AssetFactory(establishment=school)
    response = editor_client.post(_base(school) + "/assets/dispose", {"asset": [chosen]})
    assert response.status_code in (200, 302)
    asset.refresh_from_db()
    assert asset.status != "disposed"
