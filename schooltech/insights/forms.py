from django import forms

from schooltech.insights.sharing import CATEGORIES


class SharingForm(forms.Form):
    """Which categories to share. No box ticked is a valid answer: it shares nothing."""

    shared = forms.MultipleChoiceField(
        label="What will your school share with the Department for Education?",
        help_text="Select all that apply. Leave them all unticked to share nothing.",
        choices=[(category.key, category.name) for category in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select only the choices listed"},
    )
