from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "schooltech.organisations"
    verbose_name = "Organisations (GIAS)"
