"""govukTable for long tables: the GOV.UK macro's own HTML, with the macro called once per kind of row.

The macro is slow per cell (each cell's classes and attributes go through further macros), so a
50-row register list spent most of its time in it. Rows whose cells have the same options (format,
classes, attributes, spans, and whether they hold text or HTML) give the same markup apart from
the cells' contents; the macro renders such a row once with placeholders, and every row of that
kind is that markup with its own contents put in, escaped as the macro escapes them.
`core/tests/test_tables.py` checks the result equals the macro's for every kind of cell.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment, pass_environment
from markupsafe import Markup, escape

from schooltech.core import components
from schooltech.core.html import frozen

BODY = '<tbody class="govuk-table__body">\n'
CONTENT_KEYS = ("text", "html")
SLOT = re.compile(r"__cell_(\d+)__")


@pass_environment
def govuk_table(env: Environment, params: dict[str, Any]) -> Markup:
    macro = components.macro(env, "table")
    rows = params.get("rows") or []
    empty = str(macro({**params, "rows": []}))
    body_at = empty.find(BODY)
    if body_at < 0:
        return macro(params)
    body_at += len(BODY)
    stamps: dict[Any, str] = {}
    html_rows = []
    for row in rows:
        if not row:
            continue
        shape = _shape(row)
        if shape is None:
            return macro(params)  # a cell the stamps do not cover: let the macro do the whole table
        if shape not in stamps:
            stamps[shape] = _row_stamp(macro, params, row, empty, body_at)
        contents = [_content(cell) for cell in row]
        html_rows.append(SLOT.sub(lambda match, contents=contents: contents[int(match[1])], stamps[shape]))
    return Markup(empty[:body_at] + "".join(html_rows) + empty[body_at:])


def _shape(row: list) -> tuple | None:
    try:
        return tuple(
            (
                "html" if cell.get("html") else "text",
                frozen({key: value for key, value in cell.items() if key not in CONTENT_KEYS}),
            )
            for cell in row
        )
    except (AttributeError, TypeError):
        return None


def _row_stamp(macro, params: dict, row: list, empty: str, body_at: int) -> str:
    placeholders = [
        {**cell, **({"html": Markup(f"__cell_{index}__")} if cell.get("html") else {"text": f"__cell_{index}__"})}
        for index, cell in enumerate(row)
    ]
    one_row = str(macro({**params, "rows": [placeholders]}))
    stamp = one_row[body_at : body_at + len(one_row) - len(empty)]
    assert one_row == empty[:body_at] + stamp + empty[body_at:], "govukTable's rows no longer stand alone"
    return stamp


def _content(cell: dict) -> str:
    """What the macro writes in a cell: `html` unescaped if it has any, else `text` escaped."""
    if cell.get("html"):
        return str(cell["html"])
    if "text" not in cell:
        return ""
    return str(escape(cell["text"]))
