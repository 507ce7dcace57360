from django.apps import AppConfig


class LegacyConfig(AppConfig):
    name = "schooltech.legacy"
    verbose_name = "The department's legacy technology"
