"""Every register's CSV and XLSX export holds no live formula, whatever was typed into the register."""

import pytest

from schooltech.core.tests.spreadsheet_checks import (
    assert_csv_has_no_live_formula,
    assert_xlsx_has_no_live_formula,
    typed_formula,
    xlsx_texts,
)
from schooltech.estate import registers
from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = {
    registers.ASSETS: factories.AssetFactory,
    registers.CONNECTIONS: factories.ConnectionFactory,
    registers.SERVICES: factories.ServiceFactory,
    registers.CONTRACTS: factories.ContractFactory,
    registers.INFORMATION_ASSETS: factories.InformationAssetFactory,
}


def _item_with_formulas_typed_in(register: registers.Register, school):
    typed = {
        column.field: typed_formula(number, column.max_length)
        for number, column in enumerate(register.columns)
        if column.kind == "text"
    }
    FACTORIES[register](establishment=school, **typed)
    return typed


@pytest.mark.parametrize("register", registers.REGISTERS.values(), ids=lambda register: register.slug)
def test_the_csv_export_quotes_every_formula_typed_into_the_register(viewer_client, school, register):
    typed = _item_with_formulas_typed_in(register, school)
    response = viewer_client.get(f"/schools/{school.urn}/estate/{register.slug}/export.csv")
    assert response.status_code == 200
    header, row = assert_csv_has_no_live_formula(response.content)
    for field, text in typed.items():
        assert row[header.index(register.column_by_field[field].header)] == "'" + text


@pytest.mark.parametrize("register", registers.REGISTERS.values(), ids=lambda register: register.slug)
def test_the_xlsx_export_writes_every_formula_typed_into_the_register_as_text(viewer_client, school, register):
    typed = _item_with_formulas_typed_in(register, school)
    response = viewer_client.get(f"/schools/{school.urn}/estate/{register.slug}/export.xlsx")
    assert response.status_code == 200
    texts = xlsx_texts(assert_xlsx_has_no_live_formula(response.content))
    assert {text.replace("\r", "_x000D_") for text in typed.values()} <= texts
