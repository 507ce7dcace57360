from django import forms

from schooltech.notifications import registry, templates
from schooltech.notifications.models import Frequency, OutboxMessage


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *OutboxMessage.Status.choices],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    template = forms.ChoiceField(
        label="Email", required=False, error_messages={"invalid_choice": "Select an email from the list"}
    )
    email = forms.CharField(label="Email address contains", required=False, max_length=320)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [
            ("", "Any email"),
            *((key, key.replace("_", " ").capitalize()) for key in templates.template_keys()),
        ]


class PreferencesForm(forms.Form):
    """One radios question per kind of reminder."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in registry.reminder_kinds():
            label = kind.label
            self.fields[kind.key] = forms.ChoiceField(
                label=label,
                choices=Frequency.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select how often you want emails about {label.lower()}"},
            )
