from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "schooltech.notifications"
    verbose_name = "Notifications (GOV.UK Notify)"
