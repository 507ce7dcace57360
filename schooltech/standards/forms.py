"""Forms for the standards pages: one question per page, the phase question, recommendation progress."""

from django import forms
from django.utils import timezone

from schooltech.core.govuk_forms import GovUKDateField
from schooltech.standards.models import PhaseGroup, Question, Recommendation, Standard, Status


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(widget=forms.RadioSelect, error_messages={"required": "Select an answer"})

    def __init__(self, *args, question: Question, answers, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        field.label = question.text
        field.help_text = question.hint
        field.choices = [(answer.key, answer.text) for answer in answers]
        field.error_messages["invalid_choice"] = "Select an answer"


class LastDoneForm(forms.Form):
    """A "when did you last…" question: a date (and who did it), "Never", or "I don't know"."""

    ON_A_DATE = "on_date"

    answer = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=[(ON_A_DATE, "On a date (enter it below)"), ("never", "Never"), ("dont_know", "I don't know")],
        error_messages={"required": "Select when it was last done", "invalid_choice": "Select when it was last done"},
    )
    done_on = GovUKDateField(
        label="Date it was last done", help_text="If it was done on a date. For example, 27 3 2026", required=False
    )
    done_by = forms.CharField(
        label="Who did it (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Who did it must be 200 characters or fewer"},
    )

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = question.text
        self.fields["answer"].help_text = question.hint

    def clean(self):
        cleaned = super().clean()
        done_on = cleaned.get("done_on")
        if cleaned.get("answer") == self.ON_A_DATE and not self.has_error("done_on"):
            if done_on is None:
                self.add_error("done_on", "Enter the date it was last done")
            elif done_on > timezone.localdate():
                self.add_error("done_on", "The date it was last done must be today or in the past")
        return cleaned


class PhaseForm(forms.Form):
    phase_group = forms.ChoiceField(
        label="Which thresholds apply to your school?",
        help_text="Some standards, such as broadband speed, expect more of secondary schools and colleges.",
        widget=forms.RadioSelect,
        choices=PhaseGroup.choices,
        error_messages={"required": "Select which thresholds apply to your school"},
    )


class RecommendationForm(forms.Form):
    progress = forms.ChoiceField(
        label="Progress",
        widget=forms.RadioSelect,
        choices=Recommendation.Progress.choices,
        error_messages={"required": "Select the progress"},
    )
    notes = forms.CharField(
        label="Notes",
        help_text="For example who is doing it, quotes received or what is left to do.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Notes must be 5,000 characters or fewer"},
    )


class MatrixFilterForm(forms.Form):
    """Filter the schools-by-standards table (a GET form, so it works without JavaScript)."""

    standard = forms.ChoiceField(label="Standard", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])

    def __init__(self, *args, standards: list[Standard], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [("", "Any standard"), *[(s.key, s.title) for s in standards]]


class TogetherStandardForm(forms.Form):
    """Assess together: which standard the trust answers once for several schools."""

    standard = forms.ChoiceField(
        label="Which standard do you want to answer for several schools?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a standard", "invalid_choice": "Select a standard"},
    )

    def __init__(self, *args, standards: list[Standard], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [(s.key, s.title) for s in standards]


class TogetherSchoolsForm(forms.Form):
    """Assess together: the schools the answers are for (only those the trust looks after are offered
    or accepted)."""

    schools = forms.MultipleChoiceField(
        label="Which schools are these answers for?",
        help_text="Select all that apply. Each school gets its own assessment and results, which it can change later.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one school",
            "invalid_choice": "Select only schools from the list",
            "invalid_list": "Select only schools from the list",
        },
    )

    def __init__(self, *args, schools: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].choices = [(school.urn, school.name) for school in schools]
