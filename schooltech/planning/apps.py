from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "schooltech.planning"
    verbose_name = "Technology plans"

    def ready(self) -> None:
        from schooltech.accounts import audit
        from schooltech.core import changes
        from schooltech.planning import models, reminders, services

        for model in models.HISTORY_TRACKED:
            audit.register(model)
        reminders.register()
        # Keep each plan current: a register change or a finished self-assessment queues an update.
        changes.facts_changed.connect(services.plan_refresh_request, dispatch_uid="planning.plan_refresh_request")
        changes.many_facts_changed.connect(
            services.plans_refresh_request, dispatch_uid="planning.plans_refresh_request"
        )
