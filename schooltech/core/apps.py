from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "schooltech.core"
    verbose_name = "Core"
