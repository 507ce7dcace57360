"""The audit trail: every change made through the services, read from django-simple-history.

Apps register their history-tracked models here (`register(Model)`); rows are organisation-scoped
either through OrganisationScoped's fields or through an `establishment` foreign key. Approvers see
their organisation's trail, support staff see all of it. The approvers of a trust or local
authority also see the records (registers, assessments, plans: every establishment-owned model) of
the schools it looks after, on each school's trail and together on their own; a school's people
records (this app's models, registered with `people=True`) stay with its own approvers and support.

A model whose fields do not read well as "before → after" (a JSON field of answers) registers a
`describe(versions) -> list[list[Change]]` that says what each (record, previous) pair changed in
words.

The whole trail is read a page at a time (`AuditTrail`, paged by `core.pagination.page_of`): one
query counts it, one finds a page's history rows across every registered model (a UNION), and a
few read those rows, the rows before them and what their names need, whatever the trail's length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import IntegerField, JSONField, Model, OuterRef, Q, Subquery, Value

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
    """What each (record, previous) pair changed, in order; `previous` is None for a new record.
    Given a page's records of the model at once, so it can read what it needs in one query."""

    def __call__(self, versions: Sequence[tuple[Any, Any]]) -> list[list[Change]]: ...


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


def _changes(record: Any, previous: Any) -> list[Change]:
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


def _organisation_name(instance: Model, school_names: dict[int, str]) -> str:
    establishment_id = getattr(instance, "establishment_id", None)
    if establishment_id in school_names:
        return school_names[establishment_id]
    try:
        name = getattr(instance, "organisation_name", None)
        if name:
            return name
        owner = getattr(instance, "establishment", None) or getattr(instance, "organisation", None)
    except ObjectDoesNotExist:  # the organisation has since been deleted
        return ""
    return str(getattr(owner, "name", "")) if owner else ""


def _record_name(instance: Model) -> str:
    label = instance._meta.verbose_name.capitalize()
    try:
        return f"{label}: {instance}"
    except ObjectDoesNotExist:  # its name needs a row that has since been deleted
        return f"{label} {instance.pk}"


def _instance(record: Any) -> Model:
    """The record as it was, from its history row alone. (simple-history's `record.instance` reads
    the fields it does not keep from the live row, a query for each record, and builds a new
    instance at each reading.) Those fields are left deferred: read only if a name needs them."""
    model = record.instance_type
    names = [field.attname for field in record.tracked_fields]
    return model.from_db(None, names, [getattr(record, name) for name in names])


def _forward_keys(model: type[Model]) -> list[Any]:
    return [field for field in model._meta.concrete_fields if field.many_to_one or field.one_to_one]


def _load_related(instances: list[Model]) -> dict[tuple[type[Model], str], dict[Any, Model]]:
    """Give every instance the rows its foreign keys point to (which its name and organisation are
    read from), one query per kind of row however many instances: no query per record later. A row
    that has since been deleted is left out (reading it says so, and the callers fall back)."""
    wanted: dict[tuple[type[Model], str], set[Any]] = defaultdict(set)
    for instance in instances:
        for field in _forward_keys(type(instance)):
            value = getattr(instance, field.attname)
            if value is not None:
                wanted[field.related_model, field.target_field.attname].add(value)
    found = {}
    for (model, target), values in wanted.items():
        large = [f.name for f in model._meta.concrete_fields if isinstance(f, JSONField)]  # not needed for a name
        found[model, target] = model._default_manager.defer(*large).in_bulk(values, field_name=target)
    for instance in instances:
        for field in _forward_keys(type(instance)):
            related = found.get((field.related_model, field.target_field.attname), {}).get(
                getattr(instance, field.attname)
            )
            if related is not None:
                field.set_cached_value(instance, related)
    return found


def _entries(keys: list[dict[str, Any]]) -> list[AuditEntry]:
    """The audit entries for one page's keys (kind of record and history id), in their order."""
    ids_by_kind: dict[int, list[int]] = defaultdict(list)
    for key in keys:
        ids_by_kind[key["audit_kind"]].append(key["history_id"])
    records: dict[tuple[int, int], Any] = {}
    previous: dict[tuple[int, int], Any] = {}
    for kind, ids in ids_by_kind.items():
        history = _REGISTRY[kind].history
        object_id = _REGISTRY[kind]._meta.pk.attname  # the record's own id, kept on each of its history rows
        earlier = (
            history.filter(**{object_id: OuterRef(object_id)}, history_date__lt=OuterRef("history_date"))
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        rows = list(
            history.filter(history_id__in=ids)
            .select_related("history_user")
            .annotate(previous_history_id=Subquery(earlier))
        )
        before = history.in_bulk([row.previous_history_id for row in rows if row.previous_history_id is not None])
        for row in rows:
            records[kind, row.history_id] = row
            previous[kind, row.history_id] = before.get(row.previous_history_id)
    ordered = [(key["audit_kind"], records[key["audit_kind"], key["history_id"]]) for key in keys]
    instances = [_instance(record) for _, record in ordered]
    found = _load_related(instances)
    schools = found.get((Establishment, Establishment._meta.pk.attname), {})
    school_names = {pk: school.name for pk, school in schools.items()}
    school_urns = {pk: school.urn for pk, school in schools.items()}
    changes: dict[tuple[int, int], list[Change]] = {}
    for kind in ids_by_kind:
        describe = _DESCRIBERS.get(_REGISTRY[kind])
        mine = [record for k, record in ordered if k == kind]
        if describe is None:
            said = [_changes(record, previous[kind, record.history_id]) for record in mine]
        else:
            said = describe([(r, None if r.history_type == "+" else previous[kind, r.history_id]) for r in mine])
        changes.update({(kind, record.history_id): change for record, change in zip(mine, said, strict=True)})
    return [
        AuditEntry(
            when=record.history_date,
            who=_who(record),
            organisation=_organisation_name(instance, school_names),
            record=_record_name(instance),
            action=_ACTIONS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
            changes=changes[kind, record.history_id],
            school_urn=school_urns.get(getattr(record, "establishment_id", None), ""),
        )
        for (kind, record), instance in zip(ordered, instances, strict=True)
    ]


class AuditTrail:
    """The changes one reader sees, newest first, read a page at a time: a Paginator's object list
    (`core.pagination.page_of`). `count()` is one query, and a slice one query for its keys plus,
    for each kind of record on it, two for its rows and the rows before them, then one per kind of
    row their names are read from: never more for a longer history, and no history row is read that
    is not shown.

    include_people=False leaves out the people records (for a trust's approvers reading a school's
    trail); include_schools=True adds, for a trust or authority, the records of every school it
    looks after (closed ones too).
    """

    def __init__(
        self, *, organisation: Organisation | None = None, include_people: bool = True, include_schools: bool = False
    ) -> None:
        branches = []
        for kind, model in enumerate(_REGISTRY):
            scope = _scope_filter(model, organisation, include_people=include_people, include_schools=include_schools)
            if scope is None:
                continue
            branches.append(
                model.history.filter(scope)
                .annotate(audit_kind=Value(kind, output_field=IntegerField()))
                .values("history_date", "audit_kind", "history_id")
                .order_by()  # the history models are ordered; a branch of a UNION may not be
            )
        first, *others = branches or [None]
        self._keys = first.union(*others, all=True) if others else first

    def count(self) -> int:
        return 0 if self._keys is None else self._keys.count()

    def __getitem__(self, index: slice) -> list[AuditEntry]:
        if not isinstance(index, slice):
            raise TypeError("An audit trail is read a slice at a time.")
        if self._keys is None:
            return []
        keys = list(self._keys.order_by("-history_date", "audit_kind", "-history_id")[index])
        return _entries(keys) if keys else []


def audit_entries(
    *,
    organisation: Organisation | None = None,
    include_people: bool = True,
    include_schools: bool = False,
    limit: int = 100,
) -> list[AuditEntry]:
    """The latest `limit` changes, newest first (the pages read the whole trail through AuditTrail)."""
    trail = AuditTrail(organisation=organisation, include_people=include_people, include_schools=include_schools)
    return trail[:limit]
