"""Form components kept per set of parameters give exactly the GOV.UK macro's HTML, never another
set's: text and Markup with the same characters, typed values and errors each get their own."""

import pytest
from django import forms
from django.template import engines
from django.utils.safestring import mark_safe
from markupsafe import Markup

from schooltech.core import components


@pytest.fixture(autouse=True)
def _empty_store():
    components.forget_rendered()
    yield
    components.forget_rendered()


def env():
    return engines["jinja2"].env


def macro_html(name: str, params: dict) -> str:
    return str(components.macro(env(), name)(params))


def kept_html(name: str, params: dict) -> str:
    return str(components.govuk_component(env(), name, params))


SELECT = {
    "id": "status",
    "name": "status",
    "label": {"text": "Status"},
    "items": [{"value": "", "text": "Any"}, {"value": "done", "text": "Done", "selected": True}],
}
EXAMPLES = [
    ("select", SELECT),
    ("input", {"id": "name", "name": "name", "label": {"text": "<script>"}, "hint": {"text": "As on GIAS"}}),
    ("input", {"id": "cost", "name": "cost", "label": {"text": "Cost"}, "errorMessage": {"text": "Enter a cost"}}),
    ("radios", {"name": "yes", "fieldset": {"legend": {"text": "Yes?"}}, "items": [{"value": "1", "text": "Yes"}]}),
    ("checkboxes", {"name": "kit", "items": [{"value": "a", "text": "A", "checked": True}]}),
    ("textarea", {"id": "note", "name": "note", "label": {"text": "Note"}, "rows": 4}),
    ("dateInput", {"id": "d", "namePrefix": "d", "fieldset": {"legend": {"text": "Date"}}}),
    ("fileUpload", {"id": "f", "name": "f", "label": {"text": "File"}}),
    ("button", {"text": "Filter", "classes": "govuk-button--secondary"}),
    ("button", {"text": "Add an asset", "href": "/schools/100000/estate/assets/add/"}),
]


@pytest.mark.parametrize(("name", "params"), EXAMPLES)
def test_a_kept_component_is_the_macros_html_the_first_time_and_after(name, params):
    expected = macro_html(name, params)
    assert kept_html(name, params) == expected
    assert kept_html(name, params) == expected
    assert len(components._rendered) == 1


def test_text_and_markup_with_the_same_characters_are_kept_apart():
    as_text = {**SELECT, "label": {"text": "<b>Status</b>"}}
    as_html = {**SELECT, "label": {"html": Markup("<b>Status</b>")}}
    as_django_safe = {**SELECT, "label": {"text": mark_safe("<b>Status</b>")}}
    escaped, bold = kept_html("select", as_text), kept_html("select", as_html)
    assert "&lt;b&gt;Status" in escaped and "<b>Status</b>" in bold
    assert kept_html("select", as_django_safe) == macro_html("select", as_django_safe)
    assert kept_html("select", as_text) == escaped


def test_a_changed_value_choice_or_error_is_rendered_again():
    first = kept_html("select", SELECT)
    other = {**SELECT, "items": [{"value": "", "text": "Any", "selected": True}, {"value": "done", "text": "Done"}]}
    assert kept_html("select", other) != first
    assert kept_html("select", {**SELECT, "errorMessage": {"text": "Choose"}}) != first
    assert kept_html("select", {**SELECT, "items": SELECT["items"][:1]}) != first
    assert len(components._rendered) == 4


def test_parameters_the_key_cannot_tell_apart_are_rendered_every_time_and_not_kept():
    class Label:
        def __str__(self):
            return "Status"

    params = {**SELECT, "label": {"text": Label()}}
    assert kept_html("select", params) == macro_html("select", params)
    assert components._rendered == {}


def test_the_store_starts_again_when_full(monkeypatch):
    monkeypatch.setattr(components._rendered, "limit", 3)
    for value in range(5):
        kept_html("select", {**SELECT, "items": [{"value": str(value), "text": str(value)}]})
    assert 1 <= len(components._rendered) <= 3


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("input", {"id": "n", "name": "n", "label": {"text": "Note"}, "value": "<script>my words"}),
        ("textarea", {"id": "t", "name": "t", "label": {"text": "Note"}, "value": "a\nb"}),
        ("dateInput", {"id": "d", "namePrefix": "d", "items": [{"name": "day", "value": "12"}]}),
    ],
)
def test_what_someone_typed_is_rendered_but_never_kept(name, params):
    assert kept_html(name, params) == macro_html(name, params)
    assert components._rendered == {}


class TheForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any"), ("done", "Done")], required=False)
    note = forms.CharField(required=True)


def test_a_django_form_field_renders_as_the_macro_would():
    form = TheForm(data={"status": "done", "note": ""})
    form.is_valid()
    template = env().from_string(
        '{% from "core/macros/forms.html" import govuk_form_field %}'
        "{{ govuk_form_field(form['status']) }}|{{ govuk_form_field(form['note']) }}"
    )
    status_html, note_html = template.render(form=form).split("|")
    for bound, html in ((form["status"], status_html), (form["note"], note_html)):
        name, params = env().globals["govuk_field"](bound, {})
        assert html.strip() == macro_html(name, params).strip()
    assert "govuk-error-message" in note_html and 'value="done" selected' in status_html
