from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "schooltech.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from schooltech.accounts import (
            middleware,  # noqa: F401  (connects the sign-in stamp)
            reminders,
        )

        reminders.register()
