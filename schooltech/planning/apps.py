from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "schooltech.planning"
    verbose_name = "Technology plans"

    def ready(self) -> None:
        from schooltech.accounts import audit
        from schooltech.planning import models, reminders

        for model in models.HISTORY_TRACKED:
            audit.register(model)
        reminders.register()
