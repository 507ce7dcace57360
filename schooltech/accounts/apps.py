from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "schooltech.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from django.urls import register_converter

        from schooltech.accounts import (
            middleware,  # noqa: F401  (connects the sign-in stamp)
            reminders,
        )
        from schooltech.accounts.organisations import OrganisationRefConverter

        register_converter(OrganisationRefConverter, "organisation")
        reminders.register()
