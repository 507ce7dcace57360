from django import forms

from schooltech.core.govuk_forms import GovUKDateField
from schooltech.legacy.models import Criterion, Decision
from schooltech.legacy.scoring import MAX_IMPACT, MAX_LIKELIHOOD, SCORED_BY_PEOPLE


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
    decided_on = GovUKDateField(label="Date decided", help_text="For example, 27 3 2026")


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
    due_on = GovUKDateField(label="Due date", help_text="For example, 27 3 2027")
