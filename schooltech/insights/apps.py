from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "schooltech.insights"
    verbose_name = "National picture"

    def ready(self) -> None:
        from schooltech.accounts import audit
        from schooltech.insights import models, scheduled

        audit.register(models.SharingChoice)
        scheduled.register()
