from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demonstration and benchmark data: the demo people, generated registers, assessments and plans.

    Nothing in the service imports this app; it only adds management commands, and writes through
    the other apps' services.
    """

    name = "schooltech.demo"
    verbose_name = "Demonstration and benchmark data"
