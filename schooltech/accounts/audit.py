"""The audit trail: every change made through the services, read from django-simple-history.

Apps register their history-tracked models here (`register(Model)`); rows are organisation-scoped
either through OrganisationScoped's fields or through an `establishment` foreign key. Approvers see
their organisation's trail, support staff see all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model, Q

from schooltech.accounts.models import AccessRequest, ApiKey, Invitation, Membership, organisation_filter
from schooltech.core.dates import govuk_date_time
from schooltech.organisations.models import Establishment
from schooltech.organisations.reference import Organisation

_REGISTRY: list[type[Model]] = []
_ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def register(model: type[Model]) -> None:
    if model not in _REGISTRY:
        _REGISTRY.append(model)


for _model in (Membership, AccessRequest, Invitation, ApiKey):
    register(_model)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    organisation: str
    record: str
    action: str
    reason: str
    changes: list[Change]

    @property
    def when_display(self) -> str:
        return govuk_date_time(self.when, joiner=", ")


def _scope_filter(model: type[Model], organisation: Organisation | None) -> Q | None:
    if organisation is None:
        return Q()
    field_names = {f.name for f in model._meta.get_fields()}
    if "organisation_kind" in field_names:
        return organisation_filter(organisation)
    if "establishment" in field_names and isinstance(organisation, Establishment):
        return Q(establishment_id=organisation.pk)
    return None


def _display(value: Any) -> str:
    return "" if value is None else str(value)


def _changes(record: Any) -> list[Change]:
    previous = record.prev_record
    if record.history_type == "+" or previous is None:
        return []
    hidden = {"updated_at", "created_at"}
    delta = record.diff_against(previous)
    return [
        Change(field=c.field.replace("_", " "), before=_display(c.old), after=_display(c.new))
        for c in delta.changes
        if c.field not in hidden
    ]


def _who(record: Any) -> str:
    user = record.history_user
    if user is None:
        return "The service"
    return user.get_full_name() or user.email or user.username


def _organisation_name(record: Any) -> str:
    instance = record.instance
    name = getattr(instance, "organisation_name", None)
    if name:
        return name
    establishment = getattr(instance, "establishment", None)
    return establishment.name if establishment else ""


def audit_entries(*, organisation: Organisation | None = None, limit: int = 100) -> list[AuditEntry]:
    """The latest changes, newest first: for one organisation, or every one (organisation=None)."""
    records = []
    for model in _REGISTRY:
        scope = _scope_filter(model, organisation)
        if scope is None:
            continue
        history = model.history.filter(scope).select_related("history_user").order_by("-history_date")[:limit]
        records.extend(history)
    records.sort(key=lambda r: r.history_date, reverse=True)
    return [
        AuditEntry(
            when=record.history_date,
            who=_who(record),
            organisation=_organisation_name(record),
            record=f"{record.instance._meta.verbose_name.capitalize()}: {record.instance}",
            action=_ACTIONS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
            changes=_changes(record),
        )
        for record in records[:limit]
    ]
