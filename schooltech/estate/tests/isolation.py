"""Rows owned by another organisation, for the isolation test (docs/architecture-accounts.md).

Text fields carry the SECRET markers the isolation test looks for in every response.
"""

from django.contrib.auth import get_user_model

from schooltech.estate import models
from schooltech.organisations.models import Establishment
from tests import factories


def _school(organisation) -> Establishment:
    """The organisation itself if it is a school, else one of its schools (made if needed)."""
    if isinstance(organisation, Establishment):
        return organisation
    return organisation.establishments.first() or factories.EstablishmentFactory()


def _marker(organisation) -> str:
    return f"SECRET-REASON-{organisation.pk}"


def _asset(organisation):
    return factories.AssetFactory(establishment=_school(organisation), assigned_to=_marker(organisation))


def _contract(organisation):
    return factories.ContractFactory(establishment=_school(organisation), title=_marker(organisation))


def _connection(organisation):
    return factories.ConnectionFactory(establishment=_school(organisation), provider=_marker(organisation))


def _service(organisation):
    return factories.ServiceFactory(establishment=_school(organisation), name=_marker(organisation))


def _information_asset(organisation):
    return factories.InformationAssetFactory(establishment=_school(organisation), name=_marker(organisation))


def _import_batch(organisation):
    user = get_user_model().objects.create(username=f"importer-{organisation.pk}-{organisation.__class__.__name__}")
    return models.ImportBatch.objects.create(
        establishment=_school(organisation),
        created_by=user,
        register="assets",
        filename=f"{_marker(organisation)}.csv",
        rows=[
            {
                "row": 2,
                "action": "create",
                "id": None,
                "values": {"category": "laptop", "asset_tag": _marker(organisation)},
            }
        ],
        created_count=1,
    )


FACTORIES = {
    models.Asset: _asset,
    models.Contract: _contract,
    models.Connection: _connection,
    models.Service: _service,
    models.InformationAsset: _information_asset,
    models.ImportBatch: _import_batch,
}
