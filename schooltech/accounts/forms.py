from django import forms

from schooltech.accounts.models import API_KEY_LIFETIMES, ROLE_DESCRIPTIONS, ApiKey, Role

# Schools, trusts and authorities give the organisation roles; the department roles are given by support staff.
ORGANISATION_ROLES = [Role.VIEWER, Role.EDITOR, Role.APPROVER]
ROLE_CHOICES = [(role.value, role.label) for role in ORGANISATION_ROLES]


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label="Search for your organisation",
        help_text="Enter a name, URN, UKPRN, trust UID or local authority code",
        max_length=100,
        error_messages={"required": "Enter a name, URN, UKPRN, trust UID or local authority code"},
    )


class AccessRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need access?",
        help_text=(
            "For example, your job title and what you will use the service for. "
            "The organisation's approvers will see this."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={
            "required": "Enter why you need access",
            "max_length": "Why you need access must be 1000 characters or fewer",
        },
    )


class SwitchOrganisationForm(forms.Form):
    organisation = forms.ChoiceField(
        label="Which organisation do you want to work on?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select an organisation", "invalid_choice": "Select an organisation"},
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (m.organisation_ref.slug, f"{m.organisation_name} ({m.get_role_display().lower()})") for m in memberships
        ]


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="Use the email address they sign in to DfE Sign-in with",
        max_length=254,
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )


class ReviewForm(forms.Form):
    REJECT = "reject"
    decision = forms.ChoiceField(
        label="What do you want to do?",
        choices=[(role.value, f"Approve as {role.label.lower()}") for role in ORGANISATION_ROLES]
        + [(REJECT, "Reject the request")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to approve or reject the request"},
    )
    reason = forms.CharField(
        label="If you reject the request, tell them why",
        help_text="We will send this to them in an email",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter why you are rejecting the request")
        return cleaned


__all__ = ["ROLE_DESCRIPTIONS"]


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="What will use the key, for example ‘Intune sync’ or ‘Finance dashboard’",
        max_length=100,
        error_messages={
            "required": "Enter a name for the key",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    role = forms.ChoiceField(
        label="What can the key do?",
        choices=ApiKey.Access.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the key can do", "invalid_choice": "Select what the key can do"},
    )
    days = forms.TypedChoiceField(
        label="How long should the key work?",
        choices=list(API_KEY_LIFETIMES.items()),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how long the key works", "invalid_choice": "Select how long the key works"},
    )

    def __init__(self, *args, accesses: list[tuple[str, str]], **kwargs):
        """`accesses`: what this person may let a key do here (selectors.api_key_accesses_for)."""
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = accesses

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the key")
        return name
