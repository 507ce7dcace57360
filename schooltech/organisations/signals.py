"""Keep the search tokens of an establishment saved through the ORM (admin, shell, test factories) in step.

Imports write establishments with bulk SQL, which sends no signals, and refresh tokens themselves.
"""

from schooltech.organisations import services
from schooltech.organisations.models import Establishment


def refresh_search_tokens(sender, instance: Establishment, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw:  # loaddata: the fixture's own rows are written as they are
        return
    if update_fields is not None and not set(update_fields) & set(services.TOKEN_SOURCE_FIELDS):
        return
    services.establishment_search_tokens_refresh(establishment_ids=[instance.pk])
