from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "schooltech.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from schooltech.core import history

        pre_create_historical_record.connect(history.note_api_key, dispatch_uid="core.history.note_api_key")
