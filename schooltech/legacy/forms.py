from django import forms

from schooltech.legacy.models import Criterion
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
