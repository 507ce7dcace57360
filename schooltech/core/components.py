"""GOV.UK form components (and buttons) rendered once per set of parameters and kept.

A filter form of seven drop-downs spent a third of its page's time in the GOV.UK macros, and the
same form with the same choices and values is asked for again and again. The macros are pure
functions of their parameters, so `govuk_component("select", params)` calls the macro the first
time and returns the same HTML for equal parameters afterwards. Parameters the key cannot tell
apart safely (anything but text, numbers, booleans, None, lists and dicts of them) are rendered
every time, and so are boxes holding what someone typed (an input's, text area's or date's value):
those are seldom asked for twice, and people's words are not kept in memory. Markup and plain text
are kept apart in the key: the macros escape one and not the other.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, pass_environment
from markupsafe import Markup

from schooltech.core.html import Unkeyable, frozen
from schooltech.core.kept import Kept

MACROS = {
    "input": ("input", "govukInput"),
    "textarea": ("textarea", "govukTextarea"),
    "select": ("select", "govukSelect"),
    "radios": ("radios", "govukRadios"),
    "checkboxes": ("checkboxes", "govukCheckboxes"),
    "dateInput": ("date-input", "govukDateInput"),
    "fileUpload": ("file-upload", "govukFileUpload"),
    "button": ("button", "govukButton"),
    "table": ("table", "govukTable"),
}
MAX_KEPT = 2048  # errors and choices make new keys; a full store starts again

_rendered = Kept(limit=MAX_KEPT)


@pass_environment
def govuk_component(env: Environment, name: str, params: dict[str, Any]) -> Markup:
    render = macro(env, name)
    if _holds_typed_text(name, params):
        return render(params)  # unlikely to be asked for again, and what people type is not kept
    try:
        key = (id(env), name, frozen(params))
    except Unkeyable:
        return render(params)
    return _rendered.get_or_make(key, lambda: Markup(render(params)))


def forget_rendered() -> None:
    _rendered.clear()


@cache
def macro(env: Environment, name: str):
    """The GOV.UK macro itself, looked up once per environment."""
    folder, macro_name = MACROS[name]
    return getattr(env.get_template(f"govuk_frontend_jinja/components/{folder}/macro.html").module, macro_name)


def _holds_typed_text(name: str, params: dict[str, Any]) -> bool:
    if name in ("input", "textarea"):
        return bool(params.get("value"))
    if name == "dateInput":
        return any(isinstance(item, dict) and item.get("value") for item in params.get("items") or [])
    return False
