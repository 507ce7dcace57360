"""The form adapter renders Django fields through the GOV.UK macros, with working error links."""

import datetime

import pytest
from django import forms
from django.template import engines

from schooltech.core.govuk_forms import GovUKDateField, error_summary_params, field_params


class ExampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As it appears on your ID")
    email = forms.EmailField(label="Email address", required=False)
    pupils = forms.IntegerField(label="Number of pupils", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    phase = forms.ChoiceField(
        label="Phase", choices=[("", "Choose"), ("primary", "Primary"), ("secondary", "Secondary")]
    )
    answer = forms.ChoiceField(
        label="Do you have a backup line?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No"), ("unknown", "I don't know")],
    )
    kit = forms.MultipleChoiceField(
        label="Which do you have?",
        widget=forms.CheckboxSelectMultiple,
        choices=[("switch", "Switch"), ("firewall", "Firewall")],
        required=False,
    )
    agree = forms.BooleanField(label="I agree", required=False)
    ends_on = GovUKDateField(label="Contract end date")
    upload = forms.FileField(label="Upload a file", required=False)


def render(template_source: str, **context) -> str:
    return (
        engines["jinja2"]
        .from_string('{% from "core/macros/forms.html" import govuk_form_field, govuk_form_errors %}' + template_source)
        .render(context)
    )


def test_each_widget_maps_to_its_govuk_component():
    form = ExampleForm()
    components = {name: field_params(form[name])[0] for name in form.fields}
    assert components == {
        "name": "input",
        "email": "input",
        "pupils": "input",
        "notes": "textarea",
        "phase": "select",
        "answer": "radios",
        "kit": "checkboxes",
        "agree": "checkboxes",
        "ends_on": "dateInput",
        "upload": "fileUpload",
    }


def test_text_input_renders_label_hint_and_value():
    form = ExampleForm(initial={"name": "Ada"})
    html = render('{{ govuk_form_field(form["name"]) }}', form=form)
    assert '<label class="govuk-label" for="id_name">' in html
    assert 'id="id_name-hint"' in html and "As it appears on your ID" in html
    assert 'name="name"' in html and 'value="Ada"' in html


def test_number_field_uses_numeric_inputmode_not_type_number():
    _, params = field_params(ExampleForm()["pupils"])
    assert params["type"] == "text"
    assert params["inputmode"] == "numeric"


def test_overrides_merge_into_nested_params():
    _, params = field_params(ExampleForm()["name"], {"label": {"isPageHeading": True, "classes": "govuk-label--l"}})
    assert params["label"] == {"text": "Full name", "isPageHeading": True, "classes": "govuk-label--l"}


def test_radios_render_in_a_fieldset_with_the_chosen_value_checked():
    form = ExampleForm(data={"answer": "unknown"})
    form.is_valid()
    html = render('{{ govuk_form_field(form["answer"]) }}', form=form)
    assert "<fieldset" in html and "Do you have a backup line?" in html
    assert 'id="id_answer"' in html  # the first radio carries the idPrefix, so error links land on it
    assert 'value="unknown" checked' in html


def test_checkboxes_keep_every_selected_value():
    form = ExampleForm(data={"kit": ["switch", "firewall"]})
    form.is_valid()
    html = render('{{ govuk_form_field(form["kit"]) }}', form=form)
    assert html.count("checked") == 2


def test_select_marks_the_selected_option():
    form = ExampleForm(data={"phase": "secondary"})
    form.is_valid()
    html = render('{{ govuk_form_field(form["phase"]) }}', form=form)
    assert '<option value="secondary" selected>' in html


def test_errors_show_inline_and_in_a_summary_linking_to_the_first_input():
    form = ExampleForm(data={"name": "", "answer": "", "ends_on-day": "", "ends_on-month": "", "ends_on-year": ""})
    assert not form.is_valid()
    html = render('{{ govuk_form_errors(form) }}{{ govuk_form_field(form["name"]) }}', form=form)
    assert "There is a problem" in html
    assert 'href="#id_name"' in html
    assert 'href="#id_answer"' in html
    assert 'href="#id_ends_on-day"' in html
    assert 'class="govuk-error-message"' in html
    assert "govuk-input--error" in html


def test_error_summary_is_absent_for_a_valid_or_unbound_form():
    assert error_summary_params(ExampleForm()) is None


def test_non_field_errors_appear_in_the_summary_without_a_link():
    class WithClean(forms.Form):
        name = forms.CharField(required=False)

        def clean(self):
            raise forms.ValidationError("Enter a name or a URN")

    form = WithClean(data={})
    form.is_valid()
    assert error_summary_params(form)["errorList"] == [{"text": "Enter a name or a URN"}]


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("14", "10", "2025", datetime.date(2025, 10, 14)),
        ("1", "2", "2027", datetime.date(2027, 2, 1)),
    ],
)
def test_date_input_parses_day_month_year(day, month, year, expected):
    form = ExampleForm(
        data={
            "name": "A",
            "phase": "primary",
            "answer": "yes",
            "ends_on-day": day,
            "ends_on-month": month,
            "ends_on-year": year,
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ends_on"] == expected


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the contract end date"),
        ("14", "", "2025", "The contract end date must include a month"),
        ("31", "2", "2025", "The contract end date must be a real date"),
        ("1", "1", "25", "The contract end date must be a real date"),
        ("x", "1", "2025", "The contract end date must be a real date"),
        ("0", "2147483648", "2026", "The contract end date must be a real date"),  # beyond a C integer
        ("99999999999999999999", "1", "2026", "The contract end date must be a real date"),
    ],
)
def test_date_input_gives_govuk_error_messages(day, month, year, message):
    form = ExampleForm(data={"ends_on-day": day, "ends_on-month": month, "ends_on-year": year})
    form.is_valid()
    assert form.errors["ends_on"] == [message]


def test_date_input_redisplays_what_was_typed_after_an_error():
    form = ExampleForm(data={"ends_on-day": "31", "ends_on-month": "2", "ends_on-year": "2025"})
    form.is_valid()
    html = render('{{ govuk_form_field(form["ends_on"]) }}', form=form)
    assert 'name="ends_on-day"' in html and 'value="31"' in html
    assert 'id="ends_on-day"' not in html and 'id="id_ends_on-day"' in html


def test_date_input_shows_an_initial_date():
    form = ExampleForm(initial={"ends_on": datetime.date(2027, 3, 31)})
    html = render('{{ govuk_form_field(form["ends_on"]) }}', form=form)
    assert 'value="31"' in html and 'value="2027"' in html


def test_file_upload_and_textarea_render():
    form = ExampleForm()
    html = render('{{ govuk_form_field(form["upload"]) }}{{ govuk_form_field(form["notes"]) }}', form=form)
    assert 'type="file"' in html and "<textarea" in html
