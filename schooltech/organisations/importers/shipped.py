"""Readers for the open data shipped in data/ (see data/README.md for sources and licence).

The shipped files are subsets of GIAS in three shapes, plus Ofsted's management information, layered so
the newer or richer source wins where it has a fact and the older ones fill its blanks:
1. establishments_all_2022-07_basic.csv: every establishment, name/town/postcode/dates only;
2. ofsted/state_funded_schools_mi_2025-09.csv: open state-funded schools with phase, type, LA, pupils,
   deprivation and multi-academy trust (importers.ofsted);
3. open_secondary_schools_2026-03.csv: open secondary schools with type, phase, LA, ages and size;
4. edubasealldata_sample_2024-02_full_columns.csv: 41 rows in the official format, read by gias.py.
Trusts come from the 2016 GIAS list, with Ofsted's 2025 trust names and the trusts it adds.
Each row is located through the ONS postcode extract. All files are checked before anything is written.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path

from schooltech.organisations import gias
from schooltech.organisations.gias import EstablishmentRecord, GiasFileError, RowError, RowReader
from schooltech.organisations.importers import ofsted
from schooltech.organisations.importers.coordinates import to_decimal
from schooltech.organisations.models import Establishment

SHIPPED_FILES = {
    "trusts": "trusts/open_sats_and_mats_2016-11-22.csv",
    "establishments": "gias/establishments_all_2022-07_basic.csv",
    "secondary_schools": "gias/open_secondary_schools_2026-03.csv",
    "gias_sample": "gias/edubasealldata_sample_2024-02_full_columns.csv",
    "establishment_types": "gias/establishment_types_20250422.csv",
    "ofsted_schools": "ofsted/state_funded_schools_mi_2025-09.csv",
    "links": "gias/links_edubasealldata20250422.csv",
    "postcodes": "postcodes/school_postcodes_onspd_2025-11.csv",
}

# GIAS code lists for the coded fields the secondary schools file gives by name only.
PHASE_CODES = {label: code for code, label in Establishment.Phase.choices}
STATUS_CODES = {label: code for code, label in Establishment.Status.choices}
# ONS uses these pseudo-district codes for the Channel Islands and the Isle of Man.
NO_DISTRICT_CODES = {"", "L99999999", "M99999999"}


@dataclass(frozen=True, slots=True)
class PostcodeLocation:
    easting: int | None
    northing: int | None
    district_code: str
    latitude: Decimal | None
    longitude: Decimal | None


@dataclass(frozen=True, slots=True)
class LocalAuthorityFacts:
    name: str
    region: str


def shipped_path(data_dir: Path, name: str) -> Path:
    return Path(data_dir) / SHIPPED_FILES[name]


def _rows(path: Path, columns: tuple[str, ...], errors: list[RowError], progress: bool, description: str):
    rows, file_errors = gias.read_rows(path, required_columns=columns, progress=progress, description=description)
    for row_number, values in rows:
        yield RowReader(values, row_number, file_errors)
    errors.extend(file_errors)


def _raise_if_errors(path: Path, errors: list[RowError]) -> None:
    if errors:
        raise GiasFileError(path, errors)


def read_postcodes(path: Path, *, progress: bool = False) -> dict[str, PostcodeLocation]:
    """ONS postcode extract: postcode -> grid reference, local authority district and coordinates."""
    errors: list[RowError] = []
    locations = {}
    columns = ("postcode", "oseast1m", "osnrth1m", "laua", "lat", "long")
    for row in _rows(path, columns, errors, progress, "Reading postcodes"):
        postcode = row.text("postcode", required=True).upper()
        easting, northing = (
            row.integer("oseast1m", maximum=gias.MAX_EASTING),
            row.integer("osnrth1m", maximum=gias.MAX_NORTHING),
        )
        latitude, longitude = _decimal(row, "lat"), _decimal(row, "long")
        district = row.text("laua", max_length=9)
        locations[postcode] = PostcodeLocation(
            easting=easting,
            northing=northing,
            district_code="" if district in NO_DISTRICT_CODES else district,
            latitude=latitude,
            longitude=longitude,
        )
    _raise_if_errors(path, errors)
    return locations


def _decimal(row: RowReader, column: str) -> Decimal | None:
    value = row.text(column)
    if not value:
        return None
    try:
        return to_decimal(value)
    except ArithmeticError:
        row.error(column, f"'{value}' is not a number")
        return None


def read_basic_establishments(path: Path, *, progress: bool = False) -> list[EstablishmentRecord]:
    """Every establishment: a close date means Closed, otherwise Open. lead_school is not GIAS, so ignored."""
    errors: list[RowError] = []
    records = []
    columns = ("urn", "name", "town", "postcode", "open_date", "close_date")
    for row in _rows(path, columns, errors, progress, "Reading establishments"):
        close_date = row.date("close_date")
        records.append(
            EstablishmentRecord(
                urn=row.digits("urn", required=True, max_length=8),
                name=row.text("name", required=True, max_length=255),
                status="2" if close_date else "1",
                town=row.text("town", max_length=100),
                postcode=row.text("postcode", max_length=10).upper(),
                open_date=row.date("open_date"),
                close_date=close_date,
            )
        )
    _raise_if_errors(path, errors)
    return records


def read_establishment_type_codes(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """GIAS codes for type of establishment and type group names, from the 2025 extract's combinations."""
    errors: list[RowError] = []
    type_codes, group_codes = {}, {}
    columns = (
        "establishment-type-group-code",
        "establishment-type-group-name",
        "type-of-establishment-code",
        "type-of-establishment-name",
    )
    for row in _rows(path, columns, errors, False, "Reading establishment types"):
        type_codes[row.text("type-of-establishment-name")] = row.digits("type-of-establishment-code", required=True)
        group_codes[row.text("establishment-type-group-name")] = row.digits(
            "establishment-type-group-code", required=True
        )
    _raise_if_errors(path, errors)
    return type_codes, group_codes


def read_secondary_schools(
    path: Path, *, type_codes: dict[str, str], group_codes: dict[str, str], progress: bool = False
) -> list[EstablishmentRecord]:
    """Open secondary schools with full attributes, coded fields turned back into GIAS codes."""
    errors: list[RowError] = []
    records = []
    columns = (
        "URN", "la_code", "la_name", "establishment_number", "establishment_name", "type_of_establishment",
        "establishment_type_group", "establishment_status", "phase_of_education", "statutory_low_age",
        "statutory_high_age", "school_capacity", "number_of_pupils", "postcode", "easting", "northing", "gor_name",
    )  # fmt: skip
    for row in _rows(path, columns, errors, progress, "Reading secondary schools"):
        type_name = row.text("type_of_establishment", max_length=100)
        group_name = row.text("establishment_type_group", max_length=100)
        phase_name = row.text("phase_of_education", max_length=50)
        status_name = row.text("establishment_status", required=True)
        la_code = row.digits("la_code", max_length=3)
        has_la = la_code not in gias.NO_LOCAL_AUTHORITY_CODES
        for column, name, codes in (
            ("type_of_establishment", type_name, type_codes),
            ("establishment_type_group", group_name, group_codes),
            ("phase_of_education", phase_name, PHASE_CODES),
            ("establishment_status", status_name, STATUS_CODES),
        ):
            if name and name not in codes:
                row.error(column, f"'{name}' is not a known GIAS name")
        records.append(
            EstablishmentRecord(
                urn=row.digits("URN", required=True, max_length=8),
                name=row.text("establishment_name", required=True, max_length=255),
                status=STATUS_CODES.get(status_name, ""),
                la_establishment_number=row.digits("establishment_number", max_length=4),
                type_code=type_codes.get(type_name, ""),
                type_name=type_name,
                type_group_code=group_codes.get(group_name, ""),
                type_group_name=group_name,
                phase_code=PHASE_CODES.get(phase_name, ""),
                phase_name=phase_name,
                region=row.text("gor_name", max_length=100),
                postcode=row.text("postcode", max_length=10).upper(),
                easting=row.integer("easting", maximum=gias.MAX_EASTING),
                northing=row.integer("northing", maximum=gias.MAX_NORTHING),
                number_of_pupils=row.integer("number_of_pupils"),
                capacity=row.integer("school_capacity"),
                statutory_low_age=row.integer("statutory_low_age"),
                statutory_high_age=row.integer("statutory_high_age"),
                la_code=la_code if has_la else "",
                la_name=row.text("la_name", max_length=200) if has_la else "",
            )
        )
    _raise_if_errors(path, errors)
    return records


def locate(records: list[EstablishmentRecord], postcodes: dict[str, PostcodeLocation]) -> None:
    """Fill the district, and the grid reference with its coordinates when a record has none, from the postcode."""
    for record in records:
        location = postcodes.get(record.postcode)
        if location is None:
            continue
        if not record.district_code:
            record.district_code = location.district_code
        if record.easting is None or record.northing is None:
            record.easting, record.northing = location.easting, location.northing
            record.latitude, record.longitude = location.latitude, location.longitude


def district_local_authorities(records: list[EstablishmentRecord]) -> dict[str, str]:
    """Which DfE LA code each ONS district belongs to, learnt from records that carry both.

    This is an inference, not a published lookup: the basic establishments file has no LA, so each
    district takes the LA code most of its secondary schools belong to. Shire districts map to their
    county; a few schools near a boundary belong to a neighbouring LA and are outvoted.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        if record.district_code and record.la_code:
            votes[record.district_code][record.la_code] += 1
    return {district: counts.most_common(1)[0][0] for district, counts in votes.items()}


def local_authority_facts(records: list[EstablishmentRecord]) -> dict[str, LocalAuthorityFacts]:
    facts: dict[str, LocalAuthorityFacts] = {}
    for record in records:
        if record.la_code and record.la_code not in facts:
            facts[record.la_code] = LocalAuthorityFacts(name=record.la_name, region=record.region)
    return facts


def unitary_gss_codes(district_to_la: dict[str, str]) -> dict[str, str]:
    """An LA whose only district is a unitary, metropolitan or London borough has that district's ONS code."""
    districts_by_la: dict[str, list[str]] = defaultdict(list)
    for district, la_code in district_to_la.items():
        districts_by_la[la_code].append(district)
    return {
        la_code: districts[0]
        for la_code, districts in districts_by_la.items()
        if len(districts) == 1 and districts[0][:3] in {"E06", "E08", "E09"}
    }


def infer_local_authorities(
    records: list[EstablishmentRecord],
    *,
    district_to_la: dict[str, str],
    facts: dict[str, LocalAuthorityFacts],
    gss_codes: dict[str, str],
) -> int:
    """Give records without an LA the one their district maps to (and its region). Returns how many."""
    inferred = 0
    for record in records:
        if not record.la_code:
            la_code = district_to_la.get(record.district_code, "")
            if not la_code:
                continue
            record.la_code, record.la_name = la_code, facts[la_code].name
            record.region = record.region or facts[la_code].region
            inferred += 1
        record.la_gss_code = record.la_gss_code or gss_codes.get(record.la_code, "")
    return inferred


# Facts a newer layer's record takes from an older one when it has none. Status and close date go
# together and come from the newest layer only; so does the GIAS last-changed date.
_FILLABLE_FIELDS = tuple(
    field.name
    for field in fields(EstablishmentRecord)
    if field.name not in {"urn", "status", "close_date", "gias_last_changed"}
)


def _fill_blanks(record: EstablishmentRecord, older: EstablishmentRecord) -> None:
    for name in _FILLABLE_FIELDS:
        if getattr(record, name) in ("", None):
            setattr(record, name, getattr(older, name))


def merge(*layers: list[EstablishmentRecord]) -> list[EstablishmentRecord]:
    """One record per URN. Layers go from oldest or poorest to newest or richest: a later layer's record
    wins, and takes any fact it lacks (town, open date, trust, deprivation...) from the earlier ones."""
    merged: dict[str, EstablishmentRecord] = {}
    for layer in layers:
        for record in layer:
            older = merged.get(record.urn)
            if older is not None:
                _fill_blanks(record, older)
            merged[record.urn] = record
    return list(merged.values())


def merge_trusts(gias_trusts: list[gias.GroupRecord], ofsted_trusts: list[gias.GroupRecord]) -> list[gias.GroupRecord]:
    """The 2016 GIAS trusts, renamed as Ofsted names them in 2025, plus the trusts only Ofsted lists."""
    merged = {record.uid: record for record in gias_trusts}
    for record in ofsted_trusts:
        older = merged.get(record.uid)
        if older is None:
            merged[record.uid] = record
        else:
            older.name = record.name
    return list(merged.values())


@dataclass
class ShippedData:
    trusts: list[gias.GroupRecord]
    establishments: list[EstablishmentRecord]
    links: list[gias.EstablishmentLinkRecord]
    inferred_local_authorities: int
    ofsted_schools: int = 0
    ofsted_academies_in_trusts: int = 0
    ofsted_trusts: int = 0


def read_all(data_dir: Path, *, progress: bool = False) -> ShippedData:
    """Read and check every shipped file, and build one establishment record per URN. Writes nothing."""
    trusts = _checked_parse(gias.parse_groups, shipped_path(data_dir, "trusts"), progress)
    postcodes = read_postcodes(shipped_path(data_dir, "postcodes"), progress=progress)
    basic = read_basic_establishments(shipped_path(data_dir, "establishments"), progress=progress)
    type_codes, group_codes = read_establishment_type_codes(shipped_path(data_dir, "establishment_types"))
    secondary = read_secondary_schools(
        shipped_path(data_dir, "secondary_schools"), type_codes=type_codes, group_codes=group_codes, progress=progress
    )
    official = _checked_parse(gias.parse_establishments, shipped_path(data_dir, "gias_sample"), progress)
    links = _checked_parse(gias.parse_establishment_links, shipped_path(data_dir, "links"), progress)
    ofsted_schools = ofsted.read_schools(
        shipped_path(data_dir, "ofsted_schools"),
        types=ofsted.read_establishment_types(shipped_path(data_dir, "establishment_types")),
        progress=progress,
    )

    establishments = merge(basic, ofsted_schools.establishments, secondary, official)
    locate(establishments, postcodes)
    with_la = [record for record in establishments if record.la_code]
    district_to_la = district_local_authorities(with_la)
    inferred = infer_local_authorities(
        establishments,
        district_to_la=district_to_la,
        facts=local_authority_facts(with_la),
        gss_codes=unitary_gss_codes(district_to_la),
    )
    return ShippedData(
        trusts=merge_trusts(trusts, ofsted_schools.trusts),
        establishments=establishments,
        links=links,
        inferred_local_authorities=inferred,
        ofsted_schools=len(ofsted_schools.establishments),
        ofsted_academies_in_trusts=ofsted_schools.academies_in_trusts,
        ofsted_trusts=len(ofsted_schools.trusts),
    )


def _checked_parse(parser, path: Path, progress: bool) -> list:
    parsed = parser(path, progress=progress)
    _raise_if_errors(path, parsed.errors)
    return parsed.records
