"""Small, escaped HTML fragments for macro parameters that take `html` (links in tables and summary lists)."""

from markupsafe import Markup, escape


def link(href: str, text: str, visually_hidden: str = "") -> Markup:
    hidden = Markup(' <span class="govuk-visually-hidden">{}</span>').format(visually_hidden) if visually_hidden else ""
    return Markup('<a class="govuk-link" href="{}">{}{}</a>').format(href, text, hidden)


def lines(*parts: str | None) -> Markup:
    """Non-empty parts, escaped, one per line (an address, say)."""
    return Markup("<br>").join(escape(part) for part in parts if part)
