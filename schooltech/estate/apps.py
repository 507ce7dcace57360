from django.apps import AppConfig


class EstateConfig(AppConfig):
    name = "schooltech.estate"
    verbose_name = "ICT estate registers"

    def ready(self) -> None:
        from schooltech.accounts import audit
        from schooltech.estate import models, reminders, selectors
        from schooltech.standards import register_facts

        for model in models.HISTORY_TRACKED:
            audit.register(model)
        register_facts.register_provider(selectors.standards_facts_for, many=selectors.standards_facts_for_many)
        reminders.register()
