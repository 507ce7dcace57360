"""Rows owned by another organisation, for the isolation test (docs/architecture-accounts.md)."""

import datetime

from schooltech.organisations.models import Establishment, Group
from schooltech.standards import services as standards_services
from schooltech.training import services
from schooltech.training.models import Course, TrainingRecord
from tests.factories import AcademyFactory, EstablishmentFactory


def _establishment(organisation) -> Establishment:
    if isinstance(organisation, Establishment):
        return organisation
    if isinstance(organisation, Group):
        return AcademyFactory(trust=organisation, local_authority=None)
    return EstablishmentFactory(local_authority=organisation)


def _record(organisation) -> TrainingRecord:
    if not Course.objects.exists():
        standards_services.catalogue_load()
        services.catalogue_load()
    return TrainingRecord.objects.create(
        establishment=_establishment(organisation),
        course=Course.objects.get(key="ncsc-staff-cyber-training"),
        audience="governors",
        people=3,
        completed_on=datetime.date(2026, 10, 1),
        notes=f"SECRET-REASON-{organisation.pk}",
    )


FACTORIES = {TrainingRecord: _record}
