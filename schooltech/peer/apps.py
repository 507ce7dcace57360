from django.apps import AppConfig


class PeerConfig(AppConfig):
    name = "schooltech.peer"
    verbose_name = "Peer support"

    def ready(self) -> None:
        from schooltech.accounts import audit
        from schooltech.peer import models, reminders

        audit.register(models.Offer)
        audit.register(models.HelpRequest)
        reminders.register()
