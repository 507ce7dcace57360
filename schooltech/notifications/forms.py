from django import forms

from schooltech.notifications import registry, services, templates
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in registry.reminder_kinds(user=user):
            label = kind.label
            self.fields[kind.key] = forms.ChoiceField(
                label=label,
                choices=Frequency.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select how often you want emails about {label.lower()}"},
            )


class ShareForm(forms.Form):
    """Share a page by email: the addresses to send it to and a personal message."""

    recipients = forms.CharField(
        label="Email addresses",
        help_text="Up to 10, one on each line. Only these people are emailed.",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter at least one email address",
            "max_length": "Enter 10 email addresses or fewer",
        },
    )
    message = forms.CharField(
        label="Your message (optional)",
        help_text="Included at the top of the email.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Your message must be 1,000 characters or fewer"},
    )

    def clean_recipients(self) -> list[str]:
        from_text = self.cleaned_data["recipients"]
        try:
            return services.share_recipients(from_text)
        except services.ShareError as error:
            raise forms.ValidationError(str(error)) from None
