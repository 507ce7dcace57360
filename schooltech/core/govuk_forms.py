"""Render Django forms through the GOV.UK Frontend macros.

`field_params(bound_field)` returns the macro to call and its parameters; the Jinja macro
`govuk_form_field` in core/macros/forms.html calls it. `error_summary_params(form)` builds the
error summary whose links point at each field's first input, as the Design System requires.
Nothing else in the service writes GOV.UK form markup by hand.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class GovUKDateWidget(forms.MultiWidget):
    """Day, month and year boxes named `<name>-day`, `<name>-month`, `<name>-year`."""

    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}-{part}", "").strip() for part in self.parts]

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}-{part}" not in data for part in self.parts)


class GovUKDateField(forms.MultiValueField):
    """A date entered as three boxes, with the GOV.UK error wording."""

    widget = GovUKDateWidget

    def __init__(self, **kwargs):
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def clean(self, value):
        day, month, year = (value or ["", "", ""])[:3]
        label = (self.label or "date").lower()
        if not any([day, month, year]):
            if self.required:
                raise ValidationError(f"Enter the {label}", code="required")
            return None
        missing = [name for name, part in zip(("day", "month", "year"), (day, month, year), strict=True) if not part]
        if missing:
            raise ValidationError(f"The {label} must include a {' and '.join(missing)}", code="incomplete")
        try:
            if len(year) != 4:
                raise ValueError
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # OverflowError: a day or month beyond a C integer
            raise ValidationError(f"The {label} must be a real date", code="invalid") from None

    def compress(self, data_list):  # pragma: no cover - clean() is overridden
        return data_list


def _deep_merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def field_id(bound_field: forms.BoundField) -> str:
    return bound_field.auto_id or f"id_{bound_field.html_name}"


def first_input_id(bound_field: forms.BoundField) -> str:
    """The id of the element an error summary link should focus."""
    widget = bound_field.field.widget
    if isinstance(widget, GovUKDateWidget):
        return f"{field_id(bound_field)}-day"
    return field_id(bound_field)


def _error_message(bound_field: forms.BoundField) -> dict[str, str] | None:
    if bound_field.errors:
        return {"text": " ".join(str(error) for error in bound_field.errors)}
    return None


def _choice_items(bound_field: forms.BoundField, selected: set[str]) -> list[dict[str, Any]]:
    items = []
    for value, text in bound_field.field.choices:
        value = "" if value is None else str(value)
        items.append({"value": value, "text": str(text), "checked": value in selected})
    return items


def _selected_values(bound_field: forms.BoundField) -> set[str]:
    value = bound_field.value()
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


def _label(bound_field: forms.BoundField) -> dict[str, Any]:
    return {"text": str(bound_field.label)}


def _hint(bound_field: forms.BoundField) -> dict[str, str] | None:
    return {"text": str(bound_field.help_text)} if bound_field.help_text else None


def _input_type(widget: forms.Widget) -> str:
    return getattr(widget, "input_type", None) or "text"


def field_params(bound_field: forms.BoundField, overrides: dict[str, Any] | None = None) -> tuple[str, dict]:
    """Return (component, params) for a bound field; component names a GOV.UK macro."""
    widget = bound_field.field.widget
    common: dict[str, Any] = {
        "hint": _hint(bound_field),
        "errorMessage": _error_message(bound_field),
    }
    attributes = {k: v for k, v in widget.attrs.items() if k not in {"class", "id"}}

    if isinstance(widget, GovUKDateWidget):
        value = bound_field.value()
        day, month, year = value if isinstance(value, list) else widget.decompress(value)
        has_error = bool(bound_field.errors)
        box = "govuk-input--error" if has_error else ""
        component = "dateInput"
        params = {
            **common,
            "id": field_id(bound_field),
            "namePrefix": bound_field.html_name,
            "fieldset": {"legend": _label(bound_field)},
            "items": [
                {"name": "day", "label": "Day", "classes": f"govuk-input--width-2 {box}".strip(), "value": day},
                {"name": "month", "label": "Month", "classes": f"govuk-input--width-2 {box}".strip(), "value": month},
                {"name": "year", "label": "Year", "classes": f"govuk-input--width-4 {box}".strip(), "value": year},
            ],
        }
    elif isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: test it first
        component = "checkboxes"
        params = {
            **common,
            "idPrefix": field_id(bound_field),
            "name": bound_field.html_name,
            "fieldset": {"legend": _label(bound_field)},
            "items": _choice_items(bound_field, _selected_values(bound_field)),
        }
    elif isinstance(widget, forms.RadioSelect):
        component = "radios"
        params = {
            **common,
            "idPrefix": field_id(bound_field),
            "name": bound_field.html_name,
            "fieldset": {"legend": _label(bound_field)},
            "items": _choice_items(bound_field, _selected_values(bound_field)),
        }
    elif isinstance(widget, forms.CheckboxInput):
        component = "checkboxes"
        params = {
            **common,
            "idPrefix": field_id(bound_field),
            "name": bound_field.html_name,
            "items": [{"value": "on", "text": str(bound_field.label), "checked": bool(bound_field.value())}],
        }
    elif isinstance(widget, forms.Select):
        component = "select"
        params = {
            **common,
            "id": field_id(bound_field),
            "name": bound_field.html_name,
            "label": _label(bound_field),
            "items": [
                {"value": item["value"], "text": item["text"], "selected": item["checked"]}
                for item in _choice_items(bound_field, _selected_values(bound_field))
            ],
        }
    elif isinstance(widget, forms.Textarea):
        component = "textarea"
        params = {
            **common,
            "id": field_id(bound_field),
            "name": bound_field.html_name,
            "label": _label(bound_field),
            "value": bound_field.value() or "",
            "attributes": attributes,
        }
    elif isinstance(widget, forms.FileInput):
        component = "fileUpload"
        params = {
            **common,
            "id": field_id(bound_field),
            "name": bound_field.html_name,
            "label": _label(bound_field),
            "attributes": attributes,
        }
    else:
        component = "input"
        input_type = _input_type(widget)
        params = {
            **common,
            "id": field_id(bound_field),
            "name": bound_field.html_name,
            "label": _label(bound_field),
            "value": bound_field.value() if bound_field.value() is not None else "",
            "type": "text" if input_type == "number" else input_type,
            "attributes": attributes,
        }
        if input_type == "number":
            params["inputmode"] = "numeric"
            params["spellcheck"] = False
        if input_type == "email":
            params["autocomplete"] = "email"
            params["spellcheck"] = False
    params = {key: value for key, value in params.items() if value is not None}
    return component, _deep_merge(params, overrides or {})


def error_summary_params(form: forms.BaseForm, title: str = "There is a problem") -> dict[str, Any] | None:
    """Params for govukErrorSummary, or None when the form has no errors."""
    if not form.is_bound or not form.errors:
        return None
    error_list: list[dict[str, str]] = [{"text": str(error)} for error in form.non_field_errors()]
    for name in form.fields:
        bound_field = form[name]
        for error in bound_field.errors:
            error_list.append({"text": str(error), "href": f"#{first_input_id(bound_field)}"})
    return {"titleText": title, "errorList": error_list}
