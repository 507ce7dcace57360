"""Reader for Ofsted's management information on state-funded schools (data/ofsted, see data/README.md).

It gives, for every open state-funded school, what GIAS extracts shipped here lack: the phase Ofsted
reports it under, its type, region, local authority, pupils, the deprivation (IDACI) quintile of its area,
and for academies the multi-academy trust (GIAS group UID and name). Rows become EstablishmentRecords and
GroupRecords, layered with the GIAS files by importers.shipped. Writes nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from schooltech.organisations import gias
from schooltech.organisations.gias import EstablishmentRecord, GroupRecord, RowReader
from schooltech.organisations.models import Establishment, Group

COLUMNS = (
    "urn", "laestab", "school_name", "ofsted_phase", "type_of_education", "region", "local_authority",
    "mat_uid", "mat_name", "postcode", "idaci_quintile", "total_pupils", "statutory_low_age", "statutory_high_age",
)  # fmt: skip

# Ofsted's phase as a GIAS phase of education (code, name). GIAS gives special schools and pupil referral
# units the phase "Not applicable".
GIAS_PHASES = {
    Establishment.OfstedPhase.NURSERY: ("1", "Nursery"),
    Establishment.OfstedPhase.PRIMARY: ("2", "Primary"),
    Establishment.OfstedPhase.SECONDARY: ("4", "Secondary"),
    Establishment.OfstedPhase.SPECIAL: ("0", "Not applicable"),
    Establishment.OfstedPhase.PUPIL_REFERRAL_UNIT: ("0", "Not applicable"),
}
# Ofsted type names that are not GIAS's type names in another case.
GIAS_TYPE_NAMES = {
    "la nursery school": "local authority nursery school",
    "free school": "free schools",
    "free school special": "free schools special",
    "free school - alternative provision": "free schools alternative provision",
    "studio school": "studio schools",
}
LA_CODE_LENGTH = 3  # laestab is the 3-digit LA code then the 4-digit establishment number
LAESTAB_LENGTH = 7


@dataclass(frozen=True, slots=True)
class EstablishmentType:
    code: str
    name: str
    group_code: str
    group_name: str


@dataclass
class OfstedSchools:
    establishments: list[EstablishmentRecord]
    trusts: list[GroupRecord]

    @property
    def academies_in_trusts(self) -> int:
        return sum(1 for record in self.establishments if record.trust_uid)


def read_establishment_types(path: Path) -> dict[str, EstablishmentType]:
    """GIAS types of establishment by lower-cased name, with their type group."""
    rows, errors = gias.read_rows(
        path,
        required_columns=(
            "establishment-type-group-code",
            "establishment-type-group-name",
            "type-of-establishment-code",
            "type-of-establishment-name",
        ),
    )
    types = {}
    for _, values in rows:
        row = RowReader(values, 0, errors)
        name = row.text("type-of-establishment-name")
        types[name.lower()] = EstablishmentType(
            code=row.text("type-of-establishment-code"),
            name=name,
            group_code=row.text("establishment-type-group-code"),
            group_name=row.text("establishment-type-group-name"),
        )
    if errors:
        raise gias.GiasFileError(path, errors)
    return types


def read_schools(path: Path, *, types: dict[str, EstablishmentType], progress: bool = False) -> OfstedSchools:
    """Every row as an open establishment, and one multi-academy trust per distinct mat_uid."""
    rows, errors = gias.read_rows(path, required_columns=COLUMNS, progress=progress, description="Reading Ofsted")
    establishments: list[EstablishmentRecord] = []
    trusts: dict[str, GroupRecord] = {}
    for row_number, values in rows:
        row = RowReader(values, row_number, errors)
        record = _establishment(row, types)
        establishments.append(record)
        if record.trust_uid:
            trusts.setdefault(
                record.trust_uid,
                GroupRecord(
                    uid=record.trust_uid,
                    name=row.text("mat_name", required=True, max_length=255),
                    group_type=Group.GroupType.MULTI_ACADEMY_TRUST,
                ),
            )
    if errors:
        raise gias.GiasFileError(path, errors)
    return OfstedSchools(establishments=establishments, trusts=list(trusts.values()))


def _establishment(row: RowReader, types: dict[str, EstablishmentType]) -> EstablishmentRecord:
    laestab = row.digits("laestab", max_length=LAESTAB_LENGTH)
    if laestab and len(laestab) != LAESTAB_LENGTH:
        row.error("laestab", f"'{laestab}' is not a 7-digit LA and establishment number")
    phase = row.text("ofsted_phase", required=True)
    if phase not in Establishment.OfstedPhase.values:
        row.error("ofsted_phase", f"'{phase}' is not one of {', '.join(Establishment.OfstedPhase.values)}")
    phase_code, phase_name = GIAS_PHASES.get(phase, ("", ""))
    type_name = row.text("type_of_education")
    establishment_type = types.get(GIAS_TYPE_NAMES.get(type_name.lower(), type_name.lower()))
    if type_name and establishment_type is None:
        row.error("type_of_education", f"'{type_name}' is not a known GIAS type of establishment")
    return EstablishmentRecord(
        urn=row.digits("urn", required=True, max_length=8),
        name=row.text("school_name", required=True, max_length=255),
        status=Establishment.Status.OPEN,
        la_establishment_number=laestab[LA_CODE_LENGTH:],
        type_code=establishment_type.code if establishment_type else "",
        type_name=establishment_type.name if establishment_type else "",
        type_group_code=establishment_type.group_code if establishment_type else "",
        type_group_name=establishment_type.group_name if establishment_type else "",
        phase_code=phase_code,
        phase_name=phase_name,
        region=row.text("region", max_length=100),
        postcode=row.text("postcode", max_length=10).upper(),
        number_of_pupils=row.integer("total_pupils"),
        statutory_low_age=row.integer("statutory_low_age", maximum=gias.MAX_AGE),
        statutory_high_age=row.integer("statutory_high_age", maximum=gias.MAX_AGE),
        ofsted_phase=phase,
        idaci_quintile=_quintile(row),
        la_code=laestab[:LA_CODE_LENGTH],
        la_name=row.text("local_authority", max_length=200),
        trust_uid=row.digits("mat_uid", max_length=10),
    )


def _quintile(row: RowReader) -> int | None:
    quintile = row.integer("idaci_quintile")
    if quintile is not None and not 1 <= quintile <= 5:
        row.error("idaci_quintile", f"'{quintile}' is not a quintile from 1 to 5")
        return None
    return quintile
