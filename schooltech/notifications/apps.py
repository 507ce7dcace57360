from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "schooltech.notifications"
    verbose_name = "Notifications (GOV.UK Notify)"

    def ready(self) -> None:
        from schooltech.notifications import registry, reminders

        registry.register_job(reminders.OUTBOX_RETRIES)
        registry.register_job(reminders.WEEKLY_DIGESTS)
