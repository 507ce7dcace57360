"""The register's forms. Bounds come from core/validation.py, the same as the models and the import."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone

from schooltech.core.dates import govuk_date
from schooltech.core.govuk_forms import GovUKDateField, first_input_id
from schooltech.core.validation import sane_date
from schooltech.legacy.models import (
    POUNDS,
    TRANSACTIONS,
    Criterion,
    Decision,
    Directorate,
    LegacyService,
    PrincipleAssessment,
    Value,
    Vulnerability,
)
from schooltech.legacy.scoring import MAX_IMPACT, MAX_LIKELIHOOD, SCORED_BY_PEOPLE


class SaneDateField(GovUKDateField):
    """A GOV.UK date from 1970 to 2099 (core/validation.py): GovUKDateField's clean runs no validators."""

    def clean(self, value):
        day = super().clean(value)
        sane_date(day)
        return day


class ServiceChoices(forms.ModelMultipleChoiceField):
    """Services picked by id: anything but a plausible id is refused before the database sees it."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not text.isascii() or not text.isdigit() or len(text) > 18:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super()._check_values(value)


class CriterionScoreForm(forms.Form):
    """A person's score for one of the criteria the register cannot show."""

    criterion = forms.ChoiceField(
        label="Which criterion",
        choices=[(criterion, Criterion(criterion).label) for criterion in SCORED_BY_PEOPLE],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the criterion you are scoring", "invalid_choice": "Select a criterion"},
    )
    score = forms.IntegerField(
        label="Score",
        help_text=f"From 1 (no concern) to {MAX_LIKELIHOOD} for a likelihood criterion, 1 to {MAX_IMPACT} for impact",
        min_value=1,
        max_value=MAX_LIKELIHOOD,
        error_messages={
            "required": "Enter a score",
            "invalid": "Enter a whole number",
            "min_value": "Enter a score of 1 or more",
            "max_value": f"Enter a score of {MAX_LIKELIHOOD} or less",
        },
    )
    reason = forms.CharField(
        label="Reason and evidence",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter the reason for the score", "max_length": "Enter 2,000 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("criterion") == Criterion.IMPACT and (cleaned.get("score") or 0) > MAX_IMPACT:
            self.add_error("score", f"Enter an impact of {MAX_IMPACT} or less")
        return cleaned


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Decision",
        choices=Decision.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision", "invalid_choice": "Select a decision"},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Enter the rationale", "max_length": "Enter 4,000 characters or fewer"},
    )
    approved_by = forms.CharField(
        label="Approved by",
        help_text="The name and role of the person who approved it",
        max_length=200,
        error_messages={"required": "Enter who approved it", "max_length": "Enter 200 characters or fewer"},
    )
    decided_on = SaneDateField(label="Date decided", help_text="For example, 27 3 2026")


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label="Milestone",
        max_length=200,
        error_messages={"required": "Enter the milestone", "max_length": "Enter 200 characters or fewer"},
    )
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        error_messages={"required": "Enter who owns it", "max_length": "Enter 200 characters or fewer"},
    )
    due_on = SaneDateField(label="Due date", help_text="For example, 27 3 2027")


# --- The register: a service and its components ---------------------------------------------------

DATE_HINT = "For example, 31 3 2027"


def _text(
    label: str, *, max_length: int, required: bool = True, textarea: bool = False, hint: str = ""
) -> forms.CharField:
    messages = {"max_length": f"Enter {max_length:,} characters or fewer"}
    if required:
        messages["required"] = f"Enter the {label.lower()}"
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=hint,
        widget=forms.Textarea if textarea else forms.TextInput,
        error_messages=messages,
    )


def _date(label: str, *, required: bool = False, hint: str = DATE_HINT) -> GovUKDateField:
    return GovUKDateField(label=label, required=required, help_text=hint)


class ServiceForm(forms.Form):
    name = _text("Name", max_length=200)
    purpose = _text("Purpose", max_length=2000, textarea=True, hint="What the service does and for whom")
    directorate = forms.ChoiceField(
        label="Directorate",
        choices=Directorate.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the directorate", "invalid_choice": "Select a directorate"},
    )
    owner = _text("Service owner", max_length=200, hint="The name and role of the person accountable for it")
    users = _text("Who relies on it", max_length=2000, required=False, textarea=True)
    transactions_per_year = forms.IntegerField(
        label="Transactions a year",
        required=False,
        validators=[TRANSACTIONS],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        help_text="Leave blank if not known",
        error_messages={"invalid": "Transactions a year must be a whole number"},
    )
    supports = _text("What it supports", max_length=2000, required=False, textarea=True)
    value = forms.TypedChoiceField(
        label="Value to the department",
        choices=Value.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the value to the department", "invalid_choice": "Select a value"},
    )
    annual_cost = forms.DecimalField(
        label="Annual cost in pounds",
        required=False,
        max_digits=12,
        decimal_places=2,
        validators=[POUNDS],
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        help_text="Leave blank if not known",
        error_messages={
            "invalid": "Annual cost must be a number, like 125000",
            "max_digits": "Enter a number from £0 to £9,999,999,999",
            "max_whole_digits": "Enter a number from £0 to £9,999,999,999",
            "max_decimal_places": "Enter pounds and pence, with no more than 2 decimal places",
        },
    )
    hosting = _text(
        "Hosting", max_length=200, required=False, hint="For example, a public cloud, a supplier's data centre"
    )
    integrations = ServiceChoices(
        label="Integrations with other services in the register",
        queryset=LegacyService.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Select services from the list",
            "invalid_pk_value": "Select services from the list",
        },
    )

    def __init__(self, *args, instance: LegacyService | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        others = LegacyService.objects.all()
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        self.fields["integrations"].queryset = others
        if not others.exists():
            del self.fields["integrations"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = LegacyService.objects.filter(name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("Another service in the register already has this name")
        return name

    @staticmethod
    def initial_from(service: LegacyService) -> dict:
        initial = {name: getattr(service, name) for name in SERVICE_FIELDS}
        initial["integrations"] = list(service.integrations.all())
        return initial


SERVICE_FIELDS = (
    "name",
    "purpose",
    "directorate",
    "owner",
    "users",
    "transactions_per_year",
    "supports",
    "value",
    "annual_cost",
    "hosting",
)


class SoftwareForm(forms.Form):
    name = _text("Software", max_length=200, hint="The product, platform or language, for example Oracle Database")
    version = _text("Version", max_length=50, required=False)
    support_ends = _date(
        "Support ends", hint="When the supplier stops fixing it. Leave blank if not known. " + DATE_HINT
    )


class VulnerabilityForm(forms.Form):
    reference = _text("Reference", max_length=100, hint="For example a CVE number or a penetration test finding")
    severity = forms.ChoiceField(
        label="Severity",
        choices=Vulnerability.Severity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the severity", "invalid_choice": "Select a severity"},
    )
    fixed_on = _date("Date fixed", hint="Leave blank while it is not fixed. " + DATE_HINT)

    def clean_fixed_on(self):
        fixed_on = self.cleaned_data.get("fixed_on")
        if fixed_on and fixed_on > timezone.localdate():
            raise forms.ValidationError("The date fixed must be today or in the past")
        return fixed_on


class ContractForm(forms.Form):
    supplier = _text("Supplier", max_length=200)
    description = _text("What it is for", max_length=200, required=False)
    ends_on = _date("Contract ends")
    notice_by = _date("Notice must be given by", hint="The last date to give notice to end or change it. " + DATE_HINT)

    def clean(self):
        cleaned = super().clean()
        ends_on, notice_by = cleaned.get("ends_on"), cleaned.get("notice_by")
        if ends_on and notice_by and notice_by > ends_on:
            self.add_error("notice_by", "The notice date must be on or before the date the contract ends")
        return cleaned


def answers(form: forms.Form) -> list[dict]:
    """The check answers rows of a valid form: each field's label, its value in words, and its id."""
    rows = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if isinstance(field, forms.ModelMultipleChoiceField):
            text = ", ".join(str(row) for row in value) if value else "None"
        elif isinstance(field, forms.ChoiceField):
            text = str(dict(field.choices).get(value, value)) if value not in (None, "") else "Not recorded"
        elif isinstance(value, datetime.date):
            text = govuk_date(value)
        elif isinstance(value, Decimal):
            text = f"£{value:,.2f}"
        elif isinstance(value, int):
            text = f"{value:,}"
        else:
            text = str(value) if value not in (None, "") else "Not recorded"
        rows.append({"name": name, "label": str(field.label), "text": text, "id": first_input_id(form[name])})
    return rows


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV or XLSX file, 5MB or smaller, with one row for each service",
        error_messages={"required": "Select a CSV or XLSX file", "empty": "The selected file is empty"},
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or XLSX file")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The selected file must be smaller than 5MB")
        return upload


class PrincipleAssessmentForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Does the service meet it?",
        choices=PrincipleAssessment.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the service meets it", "invalid_choice": "Select an answer"},
    )
    evidence = _text("Evidence", max_length=2000, textarea=True, hint="What shows this, or what is missing")
