from django import forms

from schooltech.core.calendar import FINANCIAL_YEAR_BASIS_CHOICES
from schooltech.core.govuk_forms import GovUKDateField
from schooltech.planning.models import Category, Plan, PlanAction, Priority


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="What is the status of this action?",
        choices=PlanAction.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status", "invalid_choice": "Select a status"},
    )


class DeferForm(forms.Form):
    reason = forms.CharField(
        label="Why is this action deferred?",
        help_text="For example, waiting for next year’s budget. Governors and auditors will read this.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why the action is deferred",
            "max_length": "Reason must be 1000 characters or fewer",
        },
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why the action is deferred")
        return reason


class ActionForm(forms.Form):
    title = forms.CharField(
        label="What needs doing?", max_length=300, error_messages={"required": "Enter what needs doing"}
    )
    why = forms.CharField(label="Why (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_date = GovUKDateField(label="Due date", help_text="For example, 27 3 2027")
    category = forms.ChoiceField(
        label="Category", choices=Category.choices, error_messages={"required": "Select a category"}
    )
    priority = forms.TypedChoiceField(
        label="Priority",
        choices=Priority.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a priority"},
    )
    estimated_cost = forms.DecimalField(
        label="Estimated cost in pounds (optional)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": "Estimated cost must be a number, like 1500 or 1500.50",
            "min_value": "Estimated cost must be £0 or more",
            "max_digits": "Estimated cost must be less than £10,000,000,000",
            "max_decimal_places": "Estimated cost must have no more than 2 decimal places",
        },
    )
    owner = forms.CharField(label="Owner (optional)", required=False, max_length=200)


class SettingsForm(forms.Form):
    horizon_years = forms.TypedChoiceField(
        label="How many years should the plan cover?",
        choices=Plan.Horizon.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how many years the plan covers"},
    )
    financial_year_basis = forms.ChoiceField(
        label="When does your financial year start?",
        choices=[("", "Use the usual year for the school’s type"), *FINANCIAL_YEAR_BASIS_CHOICES],
        required=False,
        widget=forms.RadioSelect,
    )


class FilterForm(forms.Form):
    priority = forms.ChoiceField(
        label="Priority",
        required=False,
        choices=[("", "All")] + [(str(value), label) for value, label in Priority.choices],
    )
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "All"), *PlanAction.Status.choices])
    category = forms.ChoiceField(label="Category", required=False, choices=[("", "All"), *Category.choices])
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "All"), ("action", "Things to do"), ("find_out", "Things to find out")],
    )
    source = forms.ChoiceField(label="Source", required=False, choices=[("", "All"), *PlanAction.Source.choices])
    cost = forms.ChoiceField(
        label="Cost", required=False, choices=[("", "All"), ("costed", "With a cost"), ("none", "No cost yet")]
    )
    year = forms.ChoiceField(label="Financial year", required=False, choices=[("", "All")])

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All"), *((str(y.start.year), y.label) for y in years)]


class BudgetForm(forms.Form):
    amount = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": "Budget must be an amount in pounds, like 15000 or 15000.50",
            "min_value": "Budget must be £0 or more",
            "max_digits": "Budget must be less than £10,000,000,000",
            "max_whole_digits": "Budget must be less than £10,000,000,000",
            "max_decimal_places": "Budget must have no more than 2 decimal places (pence)",
        },
    )

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = label
        self.fields["amount"].help_text = "Enter the amount in pounds. Leave it empty to remove the budget."
