from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "schooltech.standards"
    label = "standards"
    verbose_name = "Digital and technology standards"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from schooltech.accounts import audit
        from schooltech.standards import kept, reminders, selectors
        from schooltech.standards.models import (
            Answer,
            Assessment,
            CatalogueVersion,
            Duty,
            Question,
            Recommendation,
            Requirement,
            SharedAssessment,
            Standard,
        )

        for catalogue_model in (CatalogueVersion, Standard, Requirement, Duty, Question, Answer):
            post_save.connect(kept.catalogue_changed, sender=catalogue_model, dispatch_uid=f"kept-{catalogue_model}")
            post_delete.connect(kept.catalogue_changed, sender=catalogue_model, dispatch_uid=f"kept-{catalogue_model}")
        request_started.connect(kept.request_started, dispatch_uid="kept-catalogue-request-started")
        request_finished.connect(kept.request_finished, dispatch_uid="kept-catalogue-request-finished")

        audit.register(Recommendation)
        audit.register(Assessment, describe=selectors.assessment_changes)
        audit.register(SharedAssessment, describe=selectors.assessment_changes)
        reminders.register()
