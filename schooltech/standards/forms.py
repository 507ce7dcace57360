"""Forms for the standards pages: one question per page, the phase question, recommendation progress."""

from django import forms

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
