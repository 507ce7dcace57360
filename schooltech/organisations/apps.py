from django.apps import AppConfig
from django.db.models.signals import post_save


class OrganisationsConfig(AppConfig):
    name = "schooltech.organisations"
    verbose_name = "Organisations (GIAS)"

    def ready(self) -> None:
        from django.urls import register_converter

        from schooltech.organisations.models import Establishment
        from schooltech.organisations.reference import OrganisationRefConverter
        from schooltech.organisations.signals import refresh_search_tokens

        post_save.connect(refresh_search_tokens, sender=Establishment, dispatch_uid="establishment_search_tokens")
        register_converter(OrganisationRefConverter, "organisation")
