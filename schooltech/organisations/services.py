"""Writes for GIAS organisations: idempotent upserts of establishments, groups, memberships and links.

Each import compares the incoming records with what the database holds, in memory and without per-row
queries, then writes only what changed with bulk operations inside one transaction. Re-running an import
with the same file changes nothing and reports every row as unchanged.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from django.db import connections, models, router, transaction

from schooltech.organisations.gias import (
    EstablishmentLinkRecord,
    EstablishmentRecord,
    GroupMembershipRecord,
    GroupRecord,
)
from schooltech.organisations.importers.coordinates import latitudes_and_longitudes
from schooltech.organisations.models import (
    Establishment,
    EstablishmentLink,
    EstablishmentSearchToken,
    Group,
    LocalAuthority,
)
from schooltech.organisations.search_text import build_search_text, establishment_tokens

# A full file with fewer rows than this share of what the database holds is treated as a broken download.
MINIMUM_ROW_SHARE = 0.9
BATCH_SIZE = 2000
TOKEN_INSERT_BATCH = 50_000
MAX_QUERY_PARAMETERS = 30_000  # below SQLite's 32,766 and PostgreSQL's 65,535
TRUST_GROUP_TYPES = {Group.GroupType.MULTI_ACADEMY_TRUST, Group.GroupType.SINGLE_ACADEMY_TRUST}

# The establishment columns search tokens are made from (status gives their is_open); a change to any
# other column needs no token work.
TOKEN_SOURCE_FIELDS = ("name", "town", "postcode", "urn", "ukprn", "status")

# Establishment columns an import owns, in the order used to compare a record with a database row.
ESTABLISHMENT_FIELDS = (
    "ukprn",
    "name",
    "la_establishment_number",
    "type_code",
    "type_name",
    "type_group_code",
    "type_group_name",
    "phase_code",
    "phase_name",
    "status",
    "open_date",
    "close_date",
    "local_authority_id",
    "trust_id",
    "trust_from_gias_import",
    "region",
    "district_code",
    "street",
    "town",
    "postcode",
    "easting",
    "northing",
    "latitude",
    "longitude",
    "number_of_pupils",
    "capacity",
    "statutory_low_age",
    "statutory_high_age",
    "website",
    "ofsted_phase",
    "idaci_quintile",
    "search_text",
    "gias_last_changed",
)
GROUP_FIELDS = (
    "group_id",
    "name",
    "companies_house_number",
    "ukprn",
    "group_type",
    "status",
    "open_date",
    "closed_date",
    "gias_imported",
)
# Facts only Ofsted's management information gives: an import without them keeps the ones held.
OFSTED_FIELDS = ("ofsted_phase", "idaci_quintile")


class ImportRefused(Exception):
    """The import would do harm (for example, a truncated file), so nothing was written."""


@dataclass
class ImportSummary:
    """Counts for one import. Created, updated, closed, unchanged and kept are disjoint."""

    label: str
    created: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0
    kept: int = 0
    removed: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.closed + self.removed

    def __str__(self) -> str:
        counts = [
            f"{self.created:,} created",
            f"{self.updated:,} updated",
            f"{self.closed:,} closed",
            f"{self.unchanged:,} unchanged",
        ]
        counts += [f"{value:,} {name}" for name, value in self._extra_counts() if value]
        lines = [f"{self.label}: {', '.join(counts)}"]
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)

    def _extra_counts(self) -> list[tuple[str, int]]:
        return [
            ("kept (the database holds newer data)", self.kept),
            ("removed", self.removed),
            ("skipped", self.skipped),
        ]


def _upsert_rows(model: type[models.Model], *, key: Sequence[str], columns: Sequence[str], rows: list[tuple]) -> None:
    """INSERT ... ON CONFLICT (key) DO UPDATE for many rows of (key values..., column values...).

    Works on SQLite and PostgreSQL. Used instead of bulk_create(update_conflicts=True) because Django
    spends about 20 seconds building model instances and preparing 1.5 million values for a full GIAS
    file; plain parameters adapted once per column type take a couple of seconds.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in (*key, *columns)]
    names = [quote(model_field.column) for model_field in fields]
    key_names = names[: len(key)]
    # Many rows per statement: one round trip per batch on PostgreSQL, and within SQLite's variable limit.
    rows_per_statement = max(1, MAX_QUERY_PARAMETERS // len(names))
    placeholders = f"({', '.join(['%s'] * len(names))})"
    conflict = f"ON CONFLICT ({', '.join(key_names)}) DO UPDATE SET " + ", ".join(
        f"{name} = EXCLUDED.{name}" for name in names[len(key) :]
    )
    adapters = [
        (position, adapter)
        for position, model_field in enumerate(fields)
        if (adapter := _database_adapter(model_field, connection))
    ]
    if adapters:
        rows = [_adapted(row, adapters) for row in rows]
    # One row per key, the last one winning, as consecutive statements would leave it.
    rows = list({row[: len(key)]: row for row in rows}.values())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_then_upsert(cursor, table=quote(model._meta.db_table), names=names, conflict=conflict, rows=rows)
            return
        for start in range(0, len(rows), rows_per_statement):
            batch = rows[start : start + rows_per_statement]
            sql = (
                f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(names)}) "
                f"VALUES {', '.join([placeholders] * len(batch))} {conflict}"
            )
            cursor.execute(sql, [value for row in batch for value in row])


def _copy_then_upsert(cursor, *, table: str, names: list[str], conflict: str, rows: list[tuple]) -> None:
    """PostgreSQL: stream the rows into a temporary table with COPY, then upsert them in one statement.

    A multi-row VALUES statement makes psycopg split a query of 65,000 placeholders in Python, which
    took about 27 of the 34 seconds of a full GIAS import; COPY sends the values without any.
    """
    staging = "organisations_upsert_staging"
    columns = ", ".join(names)
    cursor.execute(f"DROP TABLE IF EXISTS {staging}")
    cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {columns} FROM {table} WITH NO DATA")
    with cursor.cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} {conflict}")
    cursor.execute(f"DROP TABLE {staging}")


def _database_adapter(model_field: models.Field, connection) -> Callable | None:
    if isinstance(model_field, models.DecimalField):
        return lambda value: connection.ops.adapt_decimalfield_value(
            value, model_field.max_digits, model_field.decimal_places
        )
    if isinstance(model_field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _adapted(row: tuple, adapters: list[tuple[int, Callable]]) -> tuple:
    values = list(row)
    for position, adapter in adapters:
        if values[position] is not None:
            values[position] = adapter(values[position])
    return tuple(values)


def _refuse_if_too_few(*, label: str, incoming: int, existing: int, force: bool) -> None:
    if force or not existing or incoming >= MINIMUM_ROW_SHARE * existing:
        return
    raise ImportRefused(
        f"The file has {incoming:,} {label} but the database holds {existing:,}. A full download should have "
        f"at least {MINIMUM_ROW_SHARE:.0%} as many, so the file looks truncated or is not a full extract. "
        "Nothing was imported. Check the file, or use --force to import it anyway."
    )


@transaction.atomic
def local_authorities_upsert(*, records: Iterable[EstablishmentRecord]) -> tuple[dict[str, int], ImportSummary]:
    """Create or update the local authorities the records name. Returns LA ids by code and a summary.

    A record without an ONS code or region never blanks one already held.
    """
    incoming: dict[str, list[str]] = {}
    for record in records:
        if not record.la_code:
            continue
        values = incoming.setdefault(record.la_code, [record.la_name, record.la_gss_code, record.region])
        for position, value in enumerate((record.la_name, record.la_gss_code, record.region)):
            if value and not values[position]:
                values[position] = value
    existing = {la.code: la for la in LocalAuthority.objects.all()}
    summary = ImportSummary(label="Local authorities")
    to_create, to_update = [], []
    for code, (name, gss_code, region) in incoming.items():
        authority = existing.get(code)
        if authority is None:
            to_create.append(LocalAuthority(code=code, name=name or code, gss_code=gss_code, region=region))
            continue
        wanted = (name or authority.name, gss_code or authority.gss_code, region or authority.region)
        if wanted == (authority.name, authority.gss_code, authority.region):
            summary.unchanged += 1
            continue
        authority.name, authority.gss_code, authority.region = wanted
        to_update.append(authority)
    LocalAuthority.objects.bulk_create(to_create)
    LocalAuthority.objects.bulk_update(to_update, ["name", "gss_code", "region"])
    summary.created, summary.updated = len(to_create), len(to_update)
    ids = dict(LocalAuthority.objects.values_list("code", "id"))
    return ids, summary


_POSITIONS = {name: position + 1 for position, name in enumerate(ESTABLISHMENT_FIELDS)}  # +1: status comes first


def _fill_coordinates(records: list[EstablishmentRecord], *, existing: dict[str, tuple]) -> None:
    """Latitude and longitude from easting and northing, for records that have a grid reference only.

    A record whose grid reference matches the database row reuses that row's coordinates rather than
    converting again, which keeps an unchanged re-import fast.
    """
    easting, northing = _POSITIONS["easting"], _POSITIONS["northing"]
    latitude, longitude = _POSITIONS["latitude"], _POSITIONS["longitude"]
    to_locate = []
    for record in records:
        if record.easting is None or record.northing is None or record.latitude is not None:
            continue
        held = existing.get(record.urn)
        if held and (held[easting], held[northing]) == (record.easting, record.northing) and held[latitude]:
            record.latitude, record.longitude = held[latitude], held[longitude]
        else:
            to_locate.append(record)
    points = latitudes_and_longitudes([(record.easting, record.northing) for record in to_locate])
    for record, (latitude, longitude) in zip(to_locate, points, strict=True):
        record.latitude, record.longitude = latitude, longitude


_DERIVED_FIELDS = ("local_authority_id", "trust_id", "trust_from_gias_import", "search_text")
_RECORD_FIELDS = attrgetter(*(name for name in ESTABLISHMENT_FIELDS if name not in _DERIVED_FIELDS))
_DERIVED_POSITIONS = [ESTABLISHMENT_FIELDS.index(name) for name in _DERIVED_FIELDS]
_TOKEN_SOURCE_POSITIONS = [ESTABLISHMENT_FIELDS.index(name) for name in TOKEN_SOURCE_FIELDS if name != "urn"]


_TRUST_POSITIONS = [ESTABLISHMENT_FIELDS.index(name) for name in ("trust_id", "trust_from_gias_import")]
_OFSTED_POSITIONS = [ESTABLISHMENT_FIELDS.index(name) for name in OFSTED_FIELDS]


def _establishment_values(
    record: EstablishmentRecord, *, authority_ids: dict[str, int], trust_ids: dict[str, int], official: bool
) -> tuple:
    """The record as a tuple in ESTABLISHMENT_FIELDS order, comparable with a values_list row."""
    values = list(_RECORD_FIELDS(record))
    derived = (
        authority_ids.get(record.la_code),
        trust_ids.get(record.trust_uid),
        official,
        build_search_text(name=record.name, town=record.town, postcode=record.postcode),
    )
    for position, value in zip(_DERIVED_POSITIONS, derived, strict=True):  # ascending, so inserts line up
        values.insert(position, value)
    return tuple(values)


def _keep_held_facts(values: tuple, held: tuple | None, *, official: bool) -> tuple:
    """Keep the held Ofsted facts when the record has none, and, for shipped data, a trust an official
    GIAS import set (an official import's trust column, or lack of one, is the authority)."""
    if held is None:
        return values
    kept = list(values)
    if not any(values[position] not in ("", None) for position in _OFSTED_POSITIONS):
        for position in _OFSTED_POSITIONS:
            kept[position] = held[position]
    if not official and held[_TRUST_POSITIONS[1]]:
        for position in _TRUST_POSITIONS:
            kept[position] = held[position]
    return tuple(kept)


def _token_rows(establishments: Iterable[tuple]) -> Iterator[tuple[int, str, bool]]:
    """(establishment id, token, is open) rows from (id, *TOKEN_SOURCE_FIELDS) rows."""
    for establishment_id, name, town, postcode, urn, ukprn, status in establishments:
        is_open = status in Establishment.OPEN_STATUSES
        for token in establishment_tokens(name=name, town=town, postcode=postcode, urn=urn, ukprn=ukprn):
            yield establishment_id, token, is_open


def _write_token_rows(rows: Iterable[tuple[int, str, bool]], *, replacing: Sequence[int] | None) -> int:
    """Delete the tokens of the establishments in replacing (None: every token), then bulk insert rows.

    Plain SQL rather than bulk_create, which builds a model instance per token (about 450,000 for the
    full register). On PostgreSQL the rows stream in with psycopg's COPY.
    """
    connection = connections[router.db_for_write(EstablishmentSearchToken)]
    quote = connection.ops.quote_name
    table = quote(EstablishmentSearchToken._meta.db_table)
    columns = ", ".join(quote(name) for name in ("establishment_id", "token", "is_open"))
    written = 0
    with connection.cursor() as cursor:
        if replacing is None:
            cursor.execute(f"DELETE FROM {table}")
        elif replacing:
            placeholders = ", ".join(["%s"] * len(replacing))
            cursor.execute(f"DELETE FROM {table} WHERE {quote('establishment_id')} IN ({placeholders})", replacing)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        insert = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)"
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) == TOKEN_INSERT_BATCH:
                cursor.executemany(insert, batch)
                written, batch = written + len(batch), []
        cursor.executemany(insert, batch)
    return written + len(batch)


@transaction.atomic
def establishment_search_tokens_refresh(*, establishment_ids: Iterable[int]) -> int:
    """Replace the search tokens of these establishments with ones made from their current values.

    Returns the number of tokens written. Ids of establishments that no longer exist are ignored.
    """
    ids = sorted(set(establishment_ids))
    written = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        sources = list(Establishment.objects.filter(id__in=batch).values_list("id", *TOKEN_SOURCE_FIELDS))
        written += _write_token_rows(_token_rows(sources), replacing=batch)
    return written


@transaction.atomic
def establishment_search_tokens_rebuild() -> int:
    """Make every establishment's search tokens again from scratch (first load, or a repair)."""
    # Read before writing: no query may run on the connection while a COPY is in progress.
    sources = list(Establishment.objects.order_by("id").values_list("id", *TOKEN_SOURCE_FIELDS))
    return _write_token_rows(_token_rows(sources), replacing=None)


def _update_search_tokens(*, urns: list[str]) -> None:
    """Tokens for the establishments an import created or renamed, re-addressed or renumbered.

    On the first load (no tokens yet) every establishment's tokens are built in one pass.
    """
    if not EstablishmentSearchToken.objects.exists():
        establishment_search_tokens_rebuild()
        return
    ids: list[int] = []
    for start in range(0, len(urns), BATCH_SIZE):
        ids += Establishment.objects.filter(urn__in=urns[start : start + BATCH_SIZE]).values_list("id", flat=True)
    establishment_search_tokens_refresh(establishment_ids=ids)


@transaction.atomic
def establishments_import(
    *,
    records: list[EstablishmentRecord],
    force: bool = False,
    check_row_count: bool = True,
    keep_newer: bool = False,
) -> list[ImportSummary]:
    """Create or update establishments by URN from already-validated records.

    check_row_count refuses a file with far fewer rows than the database holds (a broken download) unless
    force is set. keep_newer (the shipped data) leaves alone a row whose GIAS LastChangedDate is newer than
    the record's and a trust an official import set, so older shipped data never overwrites an official import.
    A record without Ofsted facts (phase, deprivation) keeps the ones held.
    """
    if check_row_count:
        _refuse_if_too_few(
            label="establishments", incoming=len(records), existing=Establishment.objects.count(), force=force
        )
    authority_ids, authority_summary = local_authorities_upsert(records=records)
    trust_ids = dict(Group.objects.values_list("uid", "id"))
    existing = {row[0]: row[1:] for row in Establishment.objects.values_list("urn", "status", *ESTABLISHMENT_FIELDS)}
    _fill_coordinates(records, existing=existing)
    last_changed_position = ESTABLISHMENT_FIELDS.index("gias_last_changed")
    summary = ImportSummary(label="Establishments")
    unknown_trusts: set[str] = set()
    to_write: list[tuple] = []
    token_urns: list[str] = []
    for record in records:
        if record.trust_uid and record.trust_uid not in trust_ids:
            unknown_trusts.add(record.trust_uid)
        values = _establishment_values(
            record, authority_ids=authority_ids, trust_ids=trust_ids, official=not keep_newer
        )
        current = existing.get(record.urn)
        values = _keep_held_facts(values, current[1:] if current else None, official=not keep_newer)
        if current is not None:
            old_status, old_values = current[0], current[1:]
            if values == old_values:
                summary.unchanged += 1
                continue
            if keep_newer and _is_newer(old_values[last_changed_position], record.gias_last_changed):
                summary.kept += 1
                continue
            if record.status == Establishment.Status.CLOSED and old_status != Establishment.Status.CLOSED:
                summary.closed += 1
            else:
                summary.updated += 1
            if any(values[position] != old_values[position] for position in _TOKEN_SOURCE_POSITIONS):
                token_urns.append(record.urn)
        else:
            summary.created += 1
            token_urns.append(record.urn)
        to_write.append((record.urn, *values))
    _upsert_rows(Establishment, key=("urn",), columns=ESTABLISHMENT_FIELDS, rows=to_write)
    if token_urns:
        _update_search_tokens(urns=token_urns)
    if unknown_trusts:
        summary.notes.append(
            f"{len(unknown_trusts):,} trust UID(s) are not in the database, so those establishments have no trust: "
            "import the allgroupsdata file first"
        )
    return [authority_summary, summary]


def _is_newer(held: datetime.date | None, incoming: datetime.date | None) -> bool:
    return held is not None and (incoming is None or held > incoming)


@transaction.atomic
def groups_import(
    *, records: list[GroupRecord], force: bool = False, check_row_count: bool = True, official: bool = True
) -> ImportSummary:
    """Create or update groups by UID. Groups from an official import (official) are marked, and other
    (shipped) records leave a marked group as it is."""
    if check_row_count:
        _refuse_if_too_few(label="groups", incoming=len(records), existing=Group.objects.count(), force=force)
    existing = {row[0]: row[1:] for row in Group.objects.values_list("uid", *GROUP_FIELDS)}
    official_position = GROUP_FIELDS.index("gias_imported")
    summary = ImportSummary(label="Groups")
    to_write = []
    for record in records:
        values = (*(getattr(record, name) for name in GROUP_FIELDS[:official_position]), official)
        current = existing.get(record.uid)
        if current == values:
            summary.unchanged += 1
            continue
        if current is not None and current[official_position] and not official:
            summary.kept += 1
            continue
        if current is None:
            summary.created += 1
        elif record.closed_date and not current[GROUP_FIELDS.index("closed_date")]:
            summary.closed += 1
        else:
            summary.updated += 1
        to_write.append(Group(uid=record.uid, **dict(zip(GROUP_FIELDS, values, strict=True))))
    Group.objects.bulk_create(
        to_write, batch_size=BATCH_SIZE, update_conflicts=True, unique_fields=["uid"], update_fields=GROUP_FIELDS
    )
    return summary


@transaction.atomic
def group_memberships_import(*, records: list[GroupMembershipRecord], force: bool = False) -> ImportSummary:
    """Set each establishment's trust from a full alllinksdata file.

    The file lists every current membership, so an establishment it does not place in a multi- or
    single-academy trust loses its trust link, and every establishment's trust is marked as GIAS's, which
    the shipped data (Ofsted's trust membership) then leaves alone. Memberships of other group types
    (federations, sponsors) are counted as skipped: the model holds only the trust.
    """
    with_trust = Establishment.objects.filter(trust__isnull=False).count()
    _refuse_if_too_few(label="group memberships", incoming=len(records), existing=with_trust, force=force)
    groups = {
        uid: (group_id, group_type)
        for uid, group_id, group_type in Group.objects.values_list("uid", "id", "group_type")
    }
    establishments = {
        urn: (pk, trust_id, from_gias)
        for pk, urn, trust_id, from_gias in Establishment.objects.values_list(
            "id", "urn", "trust_id", "trust_from_gias_import"
        )
    }
    today = datetime.date.today()
    summary = ImportSummary(label="Trust memberships")
    wanted: dict[str, int] = {}
    unknown_urns, unknown_groups = 0, 0
    for record in records:
        group = groups.get(record.group_uid)
        if record.urn not in establishments:
            unknown_urns += 1
        elif group is None:
            unknown_groups += 1
        elif group[1] not in TRUST_GROUP_TYPES or (record.left_date and record.left_date <= today):
            summary.skipped += 1
        else:
            wanted[record.urn] = group[0]
    to_update = []
    for urn, (pk, trust_id, from_gias) in establishments.items():
        new_trust_id = wanted.get(urn)
        if new_trust_id == trust_id:
            summary.unchanged += new_trust_id is not None
        else:
            summary.updated += 1
        if new_trust_id != trust_id or not from_gias:
            to_update.append(Establishment(id=pk, trust_id=new_trust_id, trust_from_gias_import=True))
    Establishment.objects.bulk_update(to_update, ["trust", "trust_from_gias_import"], batch_size=BATCH_SIZE)
    summary.skipped += unknown_urns + unknown_groups
    if unknown_urns:
        summary.notes.append(f"{unknown_urns:,} row(s) name a URN that is not in the database")
    if unknown_groups:
        summary.notes.append(f"{unknown_groups:,} row(s) name a group UID that is not in the database")
    return summary


@transaction.atomic
def establishment_links_import(
    *,
    records: list[EstablishmentLinkRecord],
    force: bool = False,
    check_row_count: bool = True,
    remove_missing: bool = True,
) -> ImportSummary:
    """Create or update predecessor/successor links; remove links a full file no longer lists.

    Links from a URN that is not in the database are skipped and counted.
    """
    if check_row_count:
        _refuse_if_too_few(
            label="links", incoming=len(records), existing=EstablishmentLink.objects.count(), force=force
        )
    establishment_ids = dict(Establishment.objects.values_list("urn", "id"))
    existing = {
        (establishment_id, linked_urn, link_type): (pk, linked_name, established_date)
        for pk, establishment_id, linked_urn, link_type, linked_name, established_date in (
            EstablishmentLink.objects.values_list(
                "id", "establishment_id", "linked_urn", "link_type", "linked_name", "established_date"
            )
        )
    }
    summary = ImportSummary(label="Establishment links")
    to_create, to_update, seen = [], [], set()
    for record in records:
        establishment_id = establishment_ids.get(record.urn)
        if establishment_id is None:
            summary.skipped += 1
            continue
        key = (establishment_id, record.linked_urn, record.link_type)
        seen.add(key)
        current = existing.get(key)
        row = (*key, record.linked_name, record.established_date)
        if current is None:
            to_create.append(row)
        elif current[1:] == (record.linked_name, record.established_date):
            summary.unchanged += 1
        else:
            to_update.append(row)
    _upsert_rows(
        EstablishmentLink,
        key=("establishment_id", "linked_urn", "link_type"),
        columns=("linked_name", "established_date"),
        rows=to_create + to_update,
    )
    if remove_missing:
        stale = [value[0] for key, value in existing.items() if key not in seen]
        for start in range(0, len(stale), BATCH_SIZE):
            EstablishmentLink.objects.filter(id__in=stale[start : start + BATCH_SIZE]).delete()
        summary.removed = len(stale)
    summary.created, summary.updated = len(to_create), len(to_update)
    if summary.skipped:
        summary.notes.append(f"{summary.skipped:,} link(s) skipped because their URN is not in the database")
    return summary


@transaction.atomic
def shipped_data_load(
    *, trusts: list[GroupRecord], establishments: list[EstablishmentRecord], links: list[EstablishmentLinkRecord]
) -> list[ImportSummary]:
    """Load the open data shipped in data/, in one transaction, without fighting an official import.

    Shipped data is older than a real GIAS download, so it never overwrites one: trusts and trust
    memberships an official import wrote are left alone, an establishment with a newer LastChangedDate is
    kept, and links are added but never removed.
    """
    summaries = [groups_import(records=trusts, check_row_count=False, official=False)]
    summaries += establishments_import(records=establishments, check_row_count=False, keep_newer=True)
    summaries.append(establishment_links_import(records=links, check_row_count=False, remove_missing=False))
    return summaries


@transaction.atomic
def local_authority_ensure(*, code: str, name: str) -> LocalAuthority:
    """The local authority with this code, made with this name if it is not loaded yet."""
    local_authority, _ = LocalAuthority.objects.get_or_create(code=code, defaults={"name": name})
    return local_authority


@transaction.atomic
def group_delete(*, uid: str) -> int:
    """Remove the group with this UID, if there is one (with what belongs only to it)."""
    deleted, _ = Group.objects.filter(uid=uid).delete()
    return deleted
