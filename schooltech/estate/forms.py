"""Forms for the register pages, built from the register specs so every register has one."""

from __future__ import annotations

from django import forms
from django.db import models as db_models

from schooltech.core.govuk_forms import GovUKDateField
from schooltech.estate import asset_questions, registers
from schooltech.estate.models import Asset, AssetCategory, AssetStatus, Contract, Service
from schooltech.organisations.models import Establishment

YES_NO_UNKNOWN = [("True", "Yes"), ("False", "No"), ("", "Not known")]
YES_NO = [("True", "Yes"), ("False", "No")]


def _coerce_bool(value: str) -> bool | None:
    return {"True": True, "False": False}.get(value)


def _form_field(model_field: db_models.Field, column: registers.Column) -> forms.Field:
    label = column.header
    if column.kind == "date":
        return GovUKDateField(label=label, required=False, help_text="For example, 31 8 2027")
    if column.kind == "bool":
        # Yes or no as radios (GOV.UK), "Not known" where the register may not know.
        if model_field.null:
            return forms.TypedChoiceField(
                label=label,
                choices=YES_NO_UNKNOWN,
                coerce=_coerce_bool,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        return forms.TypedChoiceField(
            label=label,
            choices=YES_NO,
            coerce=_coerce_bool,
            empty_value=False,
            required=False,
            widget=forms.RadioSelect,
        )
    field = model_field.formfield()
    field.label = label
    field.required = column.required
    if column.kind == "choice":
        options = list(column.choices.choices)
        if model_field.blank:
            options = [("", "Not known"), *options]
        elif not model_field.has_default():
            options = [("", "Select"), *options]
        field.choices = options
        field.error_messages["required"] = f"Select the {label.lower()}"
    else:
        field.error_messages["required"] = f"Enter the {label.lower()}"
    if column.kind in ("decimal", "int", "float"):
        field.widget = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})
        field.error_messages["invalid"] = f"{label} must be a number"
    return field


class RegisterItemForm(forms.ModelForm):
    register: registers.Register

    def __init__(self, *args, establishment: Establishment, category: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.establishment = establishment
        self.category = category
        if self.register is registers.ASSETS and category:
            self._ask_only_the_category_s_questions(category)
        if "contract" in self.fields:
            self.fields["contract"].queryset = Contract.objects.filter(establishment=establishment)
            self.fields["contract"].empty_label = "Not covered by a contract"
            self.fields["contract"].label = "Contract"
        if "service" in self.fields:
            self.fields["service"].queryset = Service.objects.filter(establishment=establishment)
            self.fields["service"].empty_label = "None"
            self.fields["service"].label = "Linked software or service"

    def _ask_only_the_category_s_questions(self, category: str) -> None:
        """The category was chosen on the page before: ask only its questions. A working asset is
        not asked about disposal, and is disposed of through "Mark as disposed" (which asks for the
        date and the WEEE reference), not by changing its status here."""
        disposed = bool(self.instance.pk) and self.instance.status == AssetStatus.DISPOSED
        asked = {
            "category",
            *asset_questions.questions_for(category, disposed=disposed),
            *LINK_FIELDS[registers.ASSETS.slug],
        }
        for name in list(self.fields):
            if name not in asked:
                del self.fields[name]
        del self.fields["category"]
        if not disposed and "status" in self.fields:
            status = self.fields["status"]
            status.choices = [(value, label) for value, label in status.choices if value != AssetStatus.DISPOSED]

    def clean(self):
        cleaned = super().clean()
        if self.register is registers.ASSETS:
            self._check_asset(cleaned)
        return cleaned

    def values(self) -> dict:
        """What to save: the answers, the chosen category, and the questions this category is not
        asked cleared (a switch that becomes a laptop keeps no port speeds)."""
        values = dict(self.cleaned_data)
        if self.register is registers.ASSETS and self.category:
            values["category"] = self.category
            for name in asset_questions.not_asked(self.category):
                field = Asset._meta.get_field(name)
                values[name] = None if field.null else ""
        return values

    def _check_asset(self, cleaned: dict) -> None:
        if cleaned.get("status") == "disposed" and not cleaned.get("disposal_date"):
            self.add_error("disposal_date", "Enter the date the asset was disposed of")
        if not cleaned.get("serial_number") and not cleaned.get("asset_tag"):
            self.add_error("asset_tag", "Enter an asset tag or a serial number")
        others = Asset.objects.filter(establishment=self.establishment).exclude(pk=self.instance.pk)
        for name in ("serial_number", "asset_tag"):
            value = cleaned.get(name)
            if value and others.filter(**{f"{name}__iexact": value}).exists():
                label = "serial number" if name == "serial_number" else "asset tag"
                self.add_error(name, f"Another asset in the register already has this {label}")


LINK_FIELDS = {
    registers.ASSETS.slug: ("contract",),
    registers.CONNECTIONS.slug: ("contract",),
    registers.SERVICES.slug: ("contract",),
    registers.INFORMATION_ASSETS.slug: ("service",),
}


def form_class_for(register: registers.Register) -> type[RegisterItemForm]:
    field_names = [column.field for column in register.columns] + list(LINK_FIELDS.get(register.slug, ()))
    overrides = {}
    for column in register.columns:
        overrides[column.field] = _form_field(register.model._meta.get_field(column.field), column)
    meta = type("Meta", (), {"model": register.model, "fields": field_names})
    return type(
        f"{register.model.__name__}Form", (RegisterItemForm,), {"Meta": meta, "register": register, **overrides}
    )


FORMS = {slug: form_class_for(register) for slug, register in registers.REGISTERS.items()}


class AssetCategoryForm(forms.Form):
    """The first question when adding an asset: the rest of the form depends on it."""

    category = forms.ChoiceField(
        label="What kind of asset is it?",
        choices=AssetCategory.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of asset it is",
            "invalid_choice": "Select what kind of asset it is",
        },
    )


class DisposeForm(forms.Form):
    disposal_date = GovUKDateField(label="Date disposed of", help_text="For example, 27 3 2026")
    weee_reference = forms.CharField(
        label="WEEE certificate reference",
        max_length=100,
        help_text="From the certificate of disposal and data destruction",
        error_messages={"required": "Enter the WEEE certificate reference"},
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV or XLSX file, 20MB or smaller",
        error_messages={"required": "Select a CSV or XLSX file"},
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or XLSX file")
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("The selected file must be smaller than 20MB")
        return upload
