"""govuk_table gives exactly govukTable's HTML, whatever the rows hold."""

import pytest
from django.template import engines
from markupsafe import Markup

from schooltech.core.tables import govuk_table

CELLS = [
    {"text": "Plain text"},
    {"text": 'Pupil\'s "loan" <laptop> & charger'},
    {"text": "__cell_0__ and __slot_x__ typed by someone"},
    {"text": 1234, "format": "numeric"},
    {"text": None},
    {"text": ""},
    {},
    {"html": Markup('<a class="govuk-link" href="/x?a=1&amp;b=2">Link</a>')},
    {"html": "", "text": "text when html is empty"},
    {"html": '<strong class="govuk-tag">Tag</strong>', "classes": "app-wide"},
    {"text": "Spans", "colspan": 2, "rowspan": 1},
    {"text": "With attributes", "attributes": {"data-sort-value": "3", "aria-label": "Three"}},
]


def _macro_html(params) -> str:
    env = engines["jinja2"].env
    return str(env.get_template("govuk_frontend_jinja/components/table/macro.html").module.govukTable(params))


def _fast_html(params) -> str:
    return str(govuk_table(engines["jinja2"].env, params))


@pytest.mark.parametrize("first_cell_is_header", [False, True])
def test_every_kind_of_cell_comes_out_as_the_macro_writes_it(first_cell_is_header):
    rows = [[cell, {"text": f"row {number}"}] for number, cell in enumerate(CELLS)]
    rows += [[{"text": f"Same shape {number}"}, {"text": number, "format": "numeric"}] for number in range(30)]
    rows += [[], [{"text": "after an empty row"}]]
    params = {
        "caption": "Everything",
        "captionClasses": "govuk-table__caption--m",
        "firstCellIsHeader": first_cell_is_header,
        "head": [{"text": "Name"}, {"text": "Value", "format": "numeric"}],
        "rows": rows,
        "classes": "app-table",
        "attributes": {"id": "t"},
    }
    assert _fast_html(params) == _macro_html(params)


def test_a_table_without_rows_or_head_is_the_macros_too():
    for params in ({"rows": []}, {"head": [{"text": "Only a head"}]}, {"caption": "c", "rows": [[{"text": "x"}]]}):
        assert _fast_html(params) == _macro_html(params)
