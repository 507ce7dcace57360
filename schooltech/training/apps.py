from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "schooltech.training"
    label = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from schooltech.accounts import audit
        from schooltech.training import reminders
        from schooltech.training.models import TrainingRecord

        audit.register(TrainingRecord)
        reminders.register()
