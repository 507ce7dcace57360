"""The audit trail: every change made through the services, read from django-simple-history.

Apps register their history-tracked models here (`register(Model)`); rows are organisation-scoped
either through OrganisationScoped's fields or through an `establishment` foreign key. Approvers see
their organisation's trail, support staff see all of it. The approvers of a trust or local
authority also see the records (registers, assessments, plans: every establishment-owned model) of
the schools it looks after, on each school's trail and together on their own; a school's people
records (this app's models, registered with `people=True`) stay with its own approvers and support.

A model whose fields do not read well as "before → after" (a JSON field of answers) registers a
`describe(record, previous) -> list[Change]` that says what changed in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db.models import Model, Q

from schooltech.accounts.models import AccessRequest, ApiKey, Invitation, Membership, organisation_filter
from schooltech.core.dates import govuk_date_time
from schooltech.organisations.models import Establishment, Group
from schooltech.organisations.reference import Organisation
from schooltech.organisations.selectors import establishments_looked_after

_REGISTRY: list[type[Model]] = []
_PEOPLE: set[type[Model]] = set()
_DESCRIBERS: dict[type[Model], Describe] = {}
_ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


class Describe(Protocol):
    def __call__(self, record: Any, previous: Any) -> list[Change]: ...


def register(model: type[Model], *, people: bool = False, describe: Describe | None = None) -> None:
    """Show the model's history in the audit trail. `people`: records about people and access,
    seen only by the organisation's own approvers and support; `describe`: says what changed."""
    if model not in _REGISTRY:
        _REGISTRY.append(model)
    if people:
        _PEOPLE.add(model)
    if describe is not None:
        _DESCRIBERS[model] = describe


for _model in (Membership, AccessRequest, Invitation, ApiKey):
    register(_model, people=True)


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    organisation: str
    record: str
    action: str
    reason: str
    changes: list[Change]
    school_urn: str = ""  # the establishment whose record changed, if it is one

    @property
    def when_display(self) -> str:
        return govuk_date_time(self.when, joiner=", ")


def _scope_filter(
    model: type[Model], organisation: Organisation | None, *, include_people: bool, include_schools: bool
) -> Q | None:
    if organisation is None:
        return Q()
    if model in _PEOPLE and not include_people:
        return None
    field_names = {f.name for f in model._meta.get_fields()}
    if "organisation_kind" in field_names:
        return organisation_filter(organisation)
    if "establishment" in field_names and isinstance(organisation, Establishment):
        return Q(establishment_id=organisation.pk)
    if "trust" in field_names and isinstance(organisation, Group):  # a trust's own rows (answers given together)
        return Q(trust_id=organisation.pk)
    if "establishment" in field_names and include_schools:
        schools = establishments_looked_after(organisation=organisation, include_closed=True)
        return Q(establishment_id__in=schools.values("pk"))
    return None


def _display(value: Any) -> str:
    return "" if value is None else str(value)


def _changes(record: Any) -> list[Change]:
    previous = record.prev_record
    describe = _DESCRIBERS.get(record.instance_type)
    if describe is not None:
        return describe(record, None if record.history_type == "+" else previous)
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


def _organisation_name(record: Any, school_names: dict[int, str]) -> str:
    establishment_id = getattr(record, "establishment_id", None)
    if establishment_id in school_names:
        return school_names[establishment_id]
    instance = record.instance
    name = getattr(instance, "organisation_name", None)
    if name:
        return name
    owner = getattr(instance, "establishment", None) or getattr(instance, "organisation", None)
    return str(getattr(owner, "name", "")) if owner else ""


def audit_entries(
    *,
    organisation: Organisation | None = None,
    include_people: bool = True,
    include_schools: bool = False,
    limit: int = 100,
) -> list[AuditEntry]:
    """The latest changes, newest first: for one organisation, or every one (organisation=None).

    include_people=False leaves out the people records (for a trust's approvers reading a school's
    trail); include_schools=True adds, for a trust or authority, the records of every school it
    looks after (closed ones too).
    """
    records = []
    for model in _REGISTRY:
        scope = _scope_filter(model, organisation, include_people=include_people, include_schools=include_schools)
        if scope is None:
            continue
        history = model.history.filter(scope).select_related("history_user").order_by("-history_date")[:limit]
        records.extend(history)
    records.sort(key=lambda r: r.history_date, reverse=True)
    records = records[:limit]
    ids = {getattr(record, "establishment_id", None) for record in records} - {None}
    rows = Establishment.objects.filter(pk__in=ids).values_list("pk", "name", "urn")
    schools = {pk: (name, urn) for pk, name, urn in rows}
    school_names = {pk: name for pk, (name, _) in schools.items()}
    return [
        AuditEntry(
            when=record.history_date,
            who=_who(record),
            organisation=_organisation_name(record, school_names),
            record=f"{record.instance._meta.verbose_name.capitalize()}: {record.instance}",
            action=_ACTIONS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
            changes=_changes(record),
            school_urn=schools.get(getattr(record, "establishment_id", None), ("", ""))[1],
        )
        for record in records
    ]
