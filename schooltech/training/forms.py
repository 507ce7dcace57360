"""Forms for training: the catalogue's filters, a school's training record, support's correction."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from schooltech.core.govuk_forms import GovUKDateField
from schooltech.core.validation import sane_date
from schooltech.training.models import MAX_PEOPLE, Audience, Cost, Course, CourseFormat

NOTES_HINT = "Optional. For example, which session or certificate. Do not write anyone's name."


class CourseFilterForm(forms.Form):
    audience = forms.ChoiceField(
        label="Who it is for",
        required=False,
        choices=[("", "Anyone"), *Audience.choices],
        error_messages={"invalid_choice": "Select who it is for from the list"},
    )
    cost = forms.ChoiceField(
        label="Cost",
        required=False,
        choices=[("", "Free or paid"), *Cost.choices],
        error_messages={"invalid_choice": "Select a cost from the list"},
    )
    standard = forms.ChoiceField(
        label="Standard",
        required=False,
        error_messages={"invalid_choice": "Select a standard from the list"},
    )

    def __init__(self, *args, standards: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [("", "Any standard"), *standards]


class TrainingRecordForm(forms.Form):
    course = forms.ChoiceField(
        label="Which course or guidance was completed?",
        error_messages={"required": "Select the course", "invalid_choice": "Select a course from the list"},
    )
    audience = forms.ChoiceField(
        label="Who completed it?",
        help_text="Record each group separately: for example, all staff, then governors.",
        widget=forms.RadioSelect,
        choices=Audience.choices,
        error_messages={"required": "Select who completed it", "invalid_choice": "Select who completed it"},
    )
    people = forms.IntegerField(
        label="How many people completed it?",
        min_value=1,
        max_value=MAX_PEOPLE,
        error_messages={
            "required": "Enter how many people completed it",
            "invalid": "Enter how many people completed it as a whole number, like 12",
            "min_value": "Enter a number of people of 1 or more",
            "max_value": f"Enter a number of people of {MAX_PEOPLE:,} or fewer",
        },
    )
    completed_on = GovUKDateField(label="Date completed", help_text="For example, 27 9 2026")
    notes = forms.CharField(
        label="Notes (optional)",
        help_text=NOTES_HINT,
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Notes must be 500 characters or fewer"},
    )

    def __init__(self, *args, courses: list[Course], **kwargs):
        super().__init__(*args, **kwargs)
        self.courses = {course.key: course for course in courses}
        self.fields["course"].choices = [("", "Select a course")] + [
            (course.key, f"{course.title} ({course.provider})") for course in courses
        ]

    def clean_course(self) -> Course:
        return self.courses[self.cleaned_data["course"]]

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value is not None:
            sane_date(value)
            if value > timezone.localdate():
                raise ValidationError("The date completed must be today or in the past")
        return value


class CourseForm(forms.Form):
    """Support's correction of a course in the catalogue."""

    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter the title"})
    provider = forms.CharField(label="Provider", max_length=200, error_messages={"required": "Enter the provider"})
    url = forms.URLField(
        label="Link",
        max_length=500,
        assume_scheme="https",
        error_messages={"required": "Enter the link", "invalid": "Enter a link like https://www.example.org/course"},
    )
    format = forms.ChoiceField(
        label="Format",
        widget=forms.RadioSelect,
        choices=CourseFormat.choices,
        error_messages={"required": "Select the format", "invalid_choice": "Select the format"},
    )
    cost = forms.ChoiceField(
        label="Cost",
        widget=forms.RadioSelect,
        choices=Cost.choices,
        error_messages={"required": "Select the cost", "invalid_choice": "Select the cost"},
    )
    cost_note = forms.CharField(label="Cost details (optional)", max_length=300, required=False)
    duration = forms.CharField(label="How long it takes (optional)", max_length=100, required=False)
    summary = forms.CharField(
        label="Summary",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter a summary", "max_length": "The summary must be 2,000 characters or fewer"},
    )
    audiences = forms.MultipleChoiceField(
        label="Who it is for",
        widget=forms.CheckboxSelectMultiple,
        choices=Audience.choices,
        error_messages={"required": "Select who it is for", "invalid_choice": "Select who it is for from the list"},
    )
    is_active = forms.ChoiceField(
        label="Offer this course to schools?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No, retire it")],
        error_messages={"required": "Select whether to offer it", "invalid_choice": "Select whether to offer it"},
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.startswith("https://"):
            raise ValidationError("Enter a link that starts with https://")
        return url

    def clean_is_active(self) -> bool:
        return self.cleaned_data["is_active"] == "yes"

    @staticmethod
    def initial_for(course: Course) -> dict:
        return {
            "title": course.title,
            "provider": course.provider,
            "url": course.url,
            "format": course.format,
            "cost": course.cost,
            "cost_note": course.cost_note,
            "duration": course.duration,
            "summary": course.summary,
            "audiences": course.audiences,
            "is_active": "yes" if course.is_active else "no",
        }
