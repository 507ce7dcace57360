from django.apps import AppConfig
from django.db.models.signals import post_save


class OrganisationsConfig(AppConfig):
    name = "schooltech.organisations"
    verbose_name = "Organisations (GIAS)"

    def ready(self) -> None:
        from schooltech.organisations.models import Establishment
        from schooltech.organisations.signals import refresh_search_tokens

        post_save.connect(refresh_search_tokens, sender=Establishment, dispatch_uid="establishment_search_tokens")
