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


class Unkeyable(TypeError):
    """Parameters `frozen` cannot tell apart from others safely."""


def frozen(value: Any) -> Any:
    """A hashable key for macro parameters: equal parameters share it and different ones never do.

    Dicts and lists become tuples; Markup (and Django's SafeString), which the macros insert as it
    is, is told apart from text, which they escape; each value keeps its type, so 1, 1.0 and True
    differ. Anything else (a lazy translation, a Decimal, a model) raises Unkeyable.
    """
    if hasattr(value, "__html__"):
        return ("markup", str(value))
    if value is None or type(value) in (str, bool, int, float):
        return (type(value).__name__, value)
    if type(value) is dict and all(type(key) is str for key in value):
        return ("dict", tuple(sorted((key, frozen(item)) for key, item in value.items())))
    if type(value) in (list, tuple):
        return ("list", tuple(frozen(item) for item in value))
    raise Unkeyable(type(value).__name__)
