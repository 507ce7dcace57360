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

MACROS = {
    "input": ("input", "govukInput"),
    "textarea": ("textarea", "govukTextarea"),
    "select": ("select", "govukSelect"),
    "radios": ("radios", "govukRadios"),
    "checkboxes": ("checkboxes", "govukCheckboxes"),
    "dateInput": ("date-input", "govukDateInput"),
    "fileUpload": ("file-upload", "govukFileUpload"),
    "button": ("button", "govukButton"),
}
MAX_KEPT = 2048  # typed values and errors make new keys; a full store starts again

_rendered: dict[tuple, Markup] = {}


class _Unkeyable(Exception):
    pass


@pass_environment
def govuk_component(env: Environment, name: str, params: dict[str, Any]) -> Markup:
    macro = _macro(env, name)
    if _holds_typed_text(name, params):
        return macro(params)  # unlikely to be asked for again, and what people type is not kept
    try:
        key = (id(env), name, _key(params))
    except _Unkeyable:
        return macro(params)
    html = _rendered.get(key)
    if html is None:
        if len(_rendered) >= MAX_KEPT:
            _rendered.clear()
        html = _rendered[key] = Markup(macro(params))
    return html


def forget_rendered() -> None:
    _rendered.clear()


@cache
def _macro(env: Environment, name: str):
    folder, macro_name = MACROS[name]
    return getattr(env.get_template(f"govuk_frontend_jinja/components/{folder}/macro.html").module, macro_name)


def _holds_typed_text(name: str, params: dict[str, Any]) -> bool:
    if name in ("input", "textarea"):
        return bool(params.get("value"))
    if name == "dateInput":
        return any(isinstance(item, dict) and item.get("value") for item in params.get("items") or [])
    return False


def _key(value: Any) -> Any:
    if hasattr(value, "__html__"):  # Markup, Django's SafeString: inserted as they are
        return ("markup", str(value))
    if value is None or type(value) in (str, bool, int, float):
        return (type(value).__name__, value)
    if type(value) is dict and all(type(key) is str for key in value):
        return ("dict", tuple(sorted((key, _key(item)) for key, item in value.items())))
    if type(value) in (list, tuple):
        return ("list", tuple(_key(item) for item in value))
    raise _Unkeyable(type(value).__name__)
