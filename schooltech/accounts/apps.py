from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "schooltech.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from schooltech.accounts import (
            middleware,  # noqa: F401  (connects the sign-in stamp)
            reminders,
            support,
        )

        reminders.register()
        post_migrate.connect(support.support_group_sync, sender=self, dispatch_uid="accounts-support-group")
