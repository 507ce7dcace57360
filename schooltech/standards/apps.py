from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "schooltech.standards"
    label = "standards"
    verbose_name = "Digital and technology standards"

    def ready(self) -> None:
        from schooltech.accounts import audit
        from schooltech.standards import reminders
        from schooltech.standards.models import Recommendation

        audit.register(Recommendation)
        reminders.register()
