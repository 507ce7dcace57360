"""Rows owned by another organisation, for the isolation test (docs/architecture-accounts.md).

Text fields carry the SECRET markers the isolation test looks for in every response.
"""

import datetime

from django.utils import timezone

from schooltech.organisations.models import Establishment
from schooltech.planning.models import Plan, PlanAction, PlanVersion
from tests.factories import EstablishmentFactory


def _school(organisation) -> Establishment:
    if isinstance(organisation, Establishment):
        return organisation
    return organisation.establishments.first() or EstablishmentFactory()


def _marker(organisation) -> str:
    return f"SECRET-REASON-{organisation.pk}"


def _plan(organisation) -> Plan:
    plan, _ = Plan.objects.get_or_create(establishment=_school(organisation))
    return plan


def _action(organisation) -> PlanAction:
    plan = _plan(organisation)
    return PlanAction.objects.create(
        plan=plan,
        establishment=plan.establishment,
        key=f"manual:isolation:{organisation.pk}:{type(organisation).__name__}",
        title=_marker(organisation),
        why=_marker(organisation),
        due_date=datetime.date(2027, 1, 1),
        source=PlanAction.Source.MANUAL,
    )


def _version(organisation) -> PlanVersion:
    plan = _plan(organisation)
    number = plan.versions.count() + 1
    return PlanVersion.objects.create(
        plan=plan,
        establishment=plan.establishment,
        number=number,
        approved_by_name=_marker(organisation),
        approved_at=timezone.now(),
        snapshot={"actions": [{"title": _marker(organisation)}], "budget": []},
    )


FACTORIES = {PlanAction: _action, PlanVersion: _version}
