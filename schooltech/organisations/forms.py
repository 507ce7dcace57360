from django import forms


class EstablishmentSearchForm(forms.Form):
    q = forms.CharField(
        label="School, college or academy",
        help_text="Enter a name, town, postcode, URN or UKPRN",
        max_length=100,
        required=False,
    )
    include_closed = forms.BooleanField(label="Include closed establishments", required=False)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())
