from django.apps import AppConfig


class LegacyConfig(AppConfig):
    name = "schooltech.legacy"
    verbose_name = "The department's legacy technology"

    def ready(self) -> None:
        from schooltech.legacy import reminders

        reminders.register()
