from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "schooltech.standards"
    label = "standards"
    verbose_name = "Digital and technology standards"

    def ready(self) -> None:
        from schooltech.accounts import audit
        from schooltech.standards import reminders, selectors
        from schooltech.standards.models import Assessment, Recommendation, SharedAssessment

        audit.register(Recommendation)
        audit.register(Assessment, describe=selectors.assessment_changes)
        audit.register(SharedAssessment, describe=selectors.assessment_changes)
        reminders.register()
