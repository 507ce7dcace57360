"""Peer support forms. Every field is bounded and every choice is checked, so hostile input is an error
message, never a 500."""

from __future__ import annotations

from django import forms

from schooltech.peer.models import FEEDBACK_LENGTH, MAX_REQUESTS_PER_TERM, MESSAGE_LENGTH, NOTE_LENGTH, PhaseHelped
from schooltech.peer.selectors import SEARCH_DISTANCES_KM, MetRequirement


class OfferForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label="Which requirements can your school help with?",
        help_text="Only requirements your latest self-assessment meets. Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one requirement you can help with",
            "invalid_choice": "Select only requirements your school meets",
        },
    )
    requests_per_term = forms.IntegerField(
        label="How many requests can you take a term?",
        help_text=f"From 1 to {MAX_REQUESTS_PER_TERM}. When you have had this many, "
        "your offer is hidden until next term.",
        min_value=1,
        max_value=MAX_REQUESTS_PER_TERM,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
        error_messages={
            "required": "Enter how many requests you can take a term",
            "invalid": "Requests a term must be a whole number, like 2",
            "min_value": f"Requests a term must be between 1 and {MAX_REQUESTS_PER_TERM}",
            "max_value": f"Requests a term must be between 1 and {MAX_REQUESTS_PER_TERM}",
        },
    )
    phase = forms.ChoiceField(
        label="Which schools can you help?",
        choices=PhaseHelped.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select which schools you can help",
            "invalid_choice": "Select which schools you can help",
        },
    )
    note = forms.CharField(
        label="A short note for schools asking (optional)",
        help_text="For example what you did and when you can help. Do not include email addresses or phone numbers.",
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"The note must be {NOTE_LENGTH} characters or fewer"},
    )

    def __init__(self, *args, met: list[MetRequirement], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(m.key, f"{m.standard_title}: {m.requirement.title}") for m in met]

    def cleaned_topics(self) -> list[tuple[str, str]]:
        return [tuple(key.split("/", 1)) for key in self.cleaned_data["topics"]]


# The offer asks one question a page, in this order, then "Check your offer of help": page -> field.
OFFER_QUESTIONS = {"requirements": "topics", "requests": "requests_per_term", "schools": "phase", "note": "note"}


def offer_question_form(question: str, *args, met: list[MetRequirement], **kwargs) -> OfferForm:
    """The offer form cut down to the one field this page asks."""
    form = OfferForm(*args, met=met, **kwargs)
    asked = OFFER_QUESTIONS[question]
    for name in [name for name in form.fields if name != asked]:
        del form.fields[name]
    return form


class AskForm(forms.Form):
    message = forms.CharField(
        label="Your message",
        help_text="Say what you need help with and what you have tried. The other school will not see your email "
        "address until it accepts.",
        max_length=MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter a message to the school",
            "max_length": f"The message must be {MESSAGE_LENGTH:,} characters or fewer",
        },
    )


class AnswerForm(forms.Form):
    """Accept or decline a request (one question: the answer, with an optional reason to decline)."""

    answer = forms.ChoiceField(
        label="Can your school help?",
        choices=[("accept", "Yes, accept and share our contact details"), ("decline", "No, decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you can help", "invalid_choice": "Select whether you can help"},
    )
    reason = forms.CharField(
        label="If you decline, why? (optional)",
        required=False,
        max_length=FEEDBACK_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The reason must be {FEEDBACK_LENGTH} characters or fewer"},
    )


class FeedbackForm(forms.Form):
    helpful = forms.ChoiceField(
        label="Did the help make a difference?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no", "invalid_choice": "Select yes or no"},
    )
    feedback = forms.CharField(
        label="Anything to add? (optional)",
        required=False,
        max_length=FEEDBACK_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Feedback must be {FEEDBACK_LENGTH} characters or fewer"},
    )


class FindFilterForm(forms.Form):
    """The find-help filter: a GET form, so it works without JavaScript. Unknown values fall back to defaults."""

    within = forms.TypedChoiceField(
        label="Distance",
        choices=[*[(str(km), f"Within {km} km") for km in SEARCH_DISTANCES_KM], ("0", "Any distance")],
        coerce=int,
        required=False,
        empty_value=25,
    )
    same_phase = forms.BooleanField(label="Only schools of the same phase as mine", required=False)

    def filters(self) -> tuple[int, bool]:
        if self.is_valid():
            return self.cleaned_data["within"], self.cleaned_data["same_phase"]
        return 25, False
