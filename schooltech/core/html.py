"""Small, escaped HTML fragments for macro parameters that take `html` (links in tables and summary lists)."""

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
    html = str(stamp)
    for name, value in values.items():
        html = html.replace(slot(name), str(escape(value)))
    return Markup(html)
