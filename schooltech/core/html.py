"""Small, escaped HTML fragments for macro parameters that take `html` (links in tables and summary lists)."""

import re
from typing import Any

from markupsafe import Markup, escape


def link(href: str, text: str, visually_hidden: str = "") -> Markup:
    hidden = Markup(' <span class="govuk-visually-hidden">{}</span>').format(visually_hidden) if visually_hidden else ""
    return Markup('<a class="govuk-link" href="{}">{}{}</a>').format(href, text, hidden)


def lines(*parts: str | None) -> Markup:
    """Non-empty parts, escaped, one per line (an address, say)."""
    return Markup("<br>").join(escape(part) for part in parts if part)


def slot(name: str) -> str:
    """A placeholder to pass to a GOV.UK macro once, then `fill` for each row (see `fill`)."""
    return f"__slot_{name}__"


def fill(stamp: str, **values) -> Markup:
    """A macro's output rendered once with `slot`s, with each slot replaced by its value, escaped.

    A list with a macro per row (a checkbox, a tag) calls the macro once instead of once a row; the
    HTML is the same as long as the macro only copies those values into the HTML.
    """
    slots = re.compile("__slot_(" + "|".join(re.escape(name) for name in values) + ")__")
    return Markup(slots.sub(lambda match: str(escape(values[match[1]])), str(stamp)))


def frozen(value: Any) -> Any:
    """A hashable copy of macro parameters: dicts and lists become sorted tuples and tuples."""
    if isinstance(value, dict):
        return tuple(sorted((key, frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(frozen(item) for item in value)
    return value
