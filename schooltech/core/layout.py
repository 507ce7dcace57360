"""The base layout's header, phase banner and footer, each rendered once per state and kept.

Calling the GOV.UK macros for them on every request was most of the cost of the cheapest page.
What they show depends only on the values passed here (the navigation's links and which one is
current, the service name, the feedback link) and the URL prefix, so each state is rendered once
per process through the same macro calls (core/layout/*.html) and the HTML is unchanged. Each of
those files ends with a blank line because Jinja drops a template's last newline and the layout's
blocks kept it.
"""

from __future__ import annotations

from typing import Any

from django.urls import get_script_prefix
from jinja2 import Environment, pass_environment
from markupsafe import Markup

from schooltech.core.html import Unkeyable, frozen
from schooltech.core.kept import Kept

HEADER = "core/layout/header.html"
PHASE_BANNER = "core/layout/phase_banner.html"
FOOTER = "core/layout/footer.html"
MAX_STATES = 256  # a few dozen in practice: signed in or out, staff or not, the current section

_rendered = Kept(limit=MAX_STATES)


@pass_environment
def header(env: Environment, *, service_name: str, navigation: list[dict]) -> Markup:
    return render_once(env, HEADER, {"service_name": service_name, "navigation": navigation})


@pass_environment
def phase_banner(env: Environment, *, feedback_url: str) -> Markup:
    return render_once(env, PHASE_BANNER, {"feedback_url": feedback_url})


@pass_environment
def footer(env: Environment) -> Markup:
    return render_once(env, FOOTER, {})


def render_once(env: Environment, template_name: str, context: dict[str, Any]) -> Markup:
    def render() -> Markup:
        return Markup(env.get_template(template_name).render(context))

    try:
        key = (id(env), template_name, get_script_prefix(), frozen(context))
    except Unkeyable:
        return render()
    return _rendered.get_or_make(key, render)


def forget_rendered() -> None:
    _rendered.clear()
