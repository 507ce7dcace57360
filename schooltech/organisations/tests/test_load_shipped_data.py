"""load_shipped_data on small slices of the real shipped files (never the full 49k rows in unit tests)."""

import datetime
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from schooltech.organisations.importers.shipped import SHIPPED_FILES
from schooltech.organisations.models import Establishment, EstablishmentLink, Group, LocalAuthority
from schooltech.organisations.tests.fixtures.gias_files import read_csv, write_csv, write_sample

pytestmark = pytest.mark.django_db

SHIPPED = Path(settings.SHIPPED_DATA_DIR)
BASIC_URNS = {str(urn) for urn in range(100000, 100061)} | {"127324"}  # Camden and City, plus one Welsh school
SECONDARY_URNS = {"100049", "100050", "100051", "100171"}  # three Camden schools and one Greenwich school
# Only in the Ofsted file: a Partnership Learning primary (a trust not in the 2016 list) and a Lift Schools
# secondary (trust 2053, "Academies Enterprise Trust" in the 2016 list).
OFSTED_ONLY_URNS = {"143720", "133768"}
UNKNOWN_LINK_URNS = 3
FIXTURES = Path(__file__).parent / "fixtures"


def _slice(name: str, folder: Path, keep, encoding: str = "utf-8") -> list[list[str]]:
    header, rows = read_csv(SHIPPED / SHIPPED_FILES[name], encoding=encoding)
    kept = [row for row in rows if keep(header, row)]
    target = folder / SHIPPED_FILES[name]
    target.parent.mkdir(parents=True, exist_ok=True)
    write_csv(target, header, kept, encoding=encoding)
    return kept


@pytest.fixture(scope="module")
def sliced_data_dir(tmp_path_factory) -> Path:
    """A data/ folder holding slices of every shipped file, built once per module."""
    tmp_path = tmp_path_factory.mktemp("data")
    basic = _slice("establishments", tmp_path, lambda header, row: row[0] in BASIC_URNS)
    secondary = _slice("secondary_schools", tmp_path, lambda header, row: row[0] in SECONDARY_URNS)
    ofsted = _slice("ofsted_schools", tmp_path, lambda header, row: row[0] in BASIC_URNS | OFSTED_ONLY_URNS)
    postcodes = {row[3] for row in basic} | {row[18] for row in secondary} | {row[10] for row in ofsted}
    _slice("postcodes", tmp_path, lambda header, row: row[0] in postcodes)
    _slice("trusts", tmp_path, lambda header, row: row[0] in {"2044", "2046", "2053"})
    links = _slice("links", tmp_path, lambda header, row: row[0] in BASIC_URNS, encoding="cp1252")
    assert links
    header, rows = read_csv(SHIPPED / SHIPPED_FILES["links"])
    unknown = [row for row in rows if row[0] not in BASIC_URNS | SECONDARY_URNS][:UNKNOWN_LINK_URNS]
    write_csv(tmp_path / SHIPPED_FILES["links"], header, links + unknown)
    for name in ("gias_sample", "establishment_types"):
        shutil.copy(SHIPPED / SHIPPED_FILES[name], tmp_path / SHIPPED_FILES[name])
    return tmp_path


@pytest.fixture
def data_dir(sliced_data_dir: Path, tmp_path: Path) -> Path:
    """A copy each test may change."""
    return Path(shutil.copytree(sliced_data_dir, tmp_path / "data"))


def load(data_dir: Path) -> str:
    out = StringIO()
    call_command("load_shipped_data", data_dir=str(data_dir), no_progress=True, stdout=out)
    return out.getvalue()


def test_loads_trusts_establishments_and_links_from_the_slices(data_dir):
    output = load(data_dir)

    assert "Groups: 4 created" in output  # three from the 2016 list, one only Ofsted lists
    # 61 basic rows (there is no URN 100058), the Greenwich school that is only in the secondary slice and
    # the two schools only in the Ofsted slice
    assert Establishment.objects.count() == 64
    assert "Establishments: 64 created, 0 updated, 0 closed, 0 unchanged" in output
    assert "Ofsted management information: 49 open state-funded schools, 2 of them in 2 multi-academy trusts" in output
    assert f"{UNKNOWN_LINK_URNS} link(s) skipped because their URN is not in the database" in output
    assert EstablishmentLink.objects.filter(establishment__urn="100006", linked_urn="134643").exists()
    assert Group.objects.get(uid="2053").group_type == Group.GroupType.MULTI_ACADEMY_TRUST
    assert "Database now holds 64 establishments" in output


def test_a_basic_row_is_open_unless_it_has_a_close_date_and_is_located_by_postcode(data_dir):
    load(data_dir)

    closed = Establishment.objects.get(urn="100057")  # St Richard of Chichester School, closed in the basic file
    assert closed.status == Establishment.Status.CLOSED
    assert closed.close_date is not None
    primary = Establishment.objects.get(urn="100042")
    assert primary.status == Establishment.Status.OPEN
    assert primary.name == "St Mary's Kilburn Church of England Primary School"
    assert primary.district_code == "E09000007"
    assert primary.easting is not None and primary.latitude is not None
    assert primary.search_text.startswith("st mary's kilburn")


def test_infers_the_local_authority_from_the_district_and_leaves_it_empty_when_unknown(data_dir):
    load(data_dir)

    primary = Establishment.objects.get(urn="100042")  # no LA in the basic file
    assert primary.local_authority.code == "202"
    assert primary.local_authority.name == "Camden"
    assert primary.region == "London"
    welsh = Establishment.objects.get(urn="127324")
    assert welsh.district_code.startswith("W")
    assert welsh.local_authority is None


def test_a_secondary_row_overrides_the_basic_row_and_keeps_its_town(data_dir):
    load(data_dir)

    school = Establishment.objects.get(urn="100049")
    assert school.name == "Haverstock School"
    assert (school.phase_code, school.phase_name) == ("4", "Secondary")
    assert (school.type_code, school.type_name) == ("1", "Community school")
    assert (school.type_group_code, school.type_group_name) == ("4", "Local authority maintained schools")
    assert (school.capacity, school.number_of_pupils) == (1035, 909)
    assert (school.statutory_low_age, school.statutory_high_age) == (11, 18)
    assert (school.easting, school.northing) == (528159, 184498)
    assert school.la_establishment_number == "4104"
    assert school.town == "London"
    greenwich = Establishment.objects.get(urn="100171")
    assert greenwich.local_authority.code == "203"
    assert LocalAuthority.objects.get(code="203").gss_code.startswith("E09")


def test_the_full_format_sample_overrides_the_other_files(data_dir):
    load(data_dir)

    school = Establishment.objects.get(urn="100000")
    assert school.ukprn == "10079319"
    assert school.number_of_pupils == 271
    assert school.local_authority.code == "201"
    assert school.gias_last_changed == datetime.date(2024, 2, 9)


def test_a_second_load_changes_nothing(data_dir):
    load(data_dir)
    before = list(Establishment.objects.order_by("urn").values())

    output = load(data_dir)

    assert "Groups: 0 created, 0 updated, 0 closed, 4 unchanged" in output
    assert "Establishments: 0 created, 0 updated, 0 closed, 64 unchanged" in output
    assert "Establishment links: 0 created, 0 updated, 0 closed" in output
    assert list(Establishment.objects.order_by("urn").values()) == before


def test_never_overwrites_newer_official_data(data_dir, tmp_path):
    load(data_dir)
    newer = write_sample(
        tmp_path / "edubasealldata20250101.csv",
        changes={("100000", "NumberOfPupils"): "300", ("100000", "LastChangedDate"): "01/01/2025"},
    )
    call_command("import_gias", str(newer), force=True, no_progress=True, stdout=StringIO())

    output = load(data_dir)

    assert Establishment.objects.get(urn="100000").number_of_pupils == 300
    assert "1 kept (the database holds newer data)" in output


def test_ofsted_facts_fill_what_gias_lacks_and_gias_wins_where_both_have_a_fact(data_dir):
    load(data_dir)

    primary = Establishment.objects.get(urn="100042")  # basic GIAS row: name, town and postcode only
    assert (primary.ofsted_phase, primary.idaci_quintile, primary.number_of_pupils) == ("Primary", 5, 229)
    assert (primary.phase_name, primary.type_name, primary.type_group_name) == (
        "Primary",
        "Voluntary aided school",
        "Local authority maintained schools",
    )
    assert (primary.local_authority.code, primary.la_establishment_number) == ("202", "3517")
    assert primary.town == "London"  # from the basic row: Ofsted has no town
    haverstock = Establishment.objects.get(urn="100049")  # in the 2026 GIAS secondary file as well
    assert haverstock.number_of_pupils == 909  # GIAS's count wins
    assert (haverstock.ofsted_phase, haverstock.idaci_quintile) == ("Secondary", 5)
    nursery = Establishment.objects.get(urn="100005")  # official-format GIAS row: 136 pupils, Ofsted 116
    assert (nursery.number_of_pupils, nursery.idaci_quintile, nursery.ofsted_phase) == (136, 3, "Nursery")
    assert nursery.type_name == "Local authority nursery school"


def test_real_trust_membership_comes_from_ofsted(data_dir):
    load(data_dir)

    new_trust = Group.objects.get(uid="5485")  # not in the 2016 list
    assert (new_trust.name, new_trust.group_type) == ("Partnership Learning", Group.GroupType.MULTI_ACADEMY_TRUST)
    primary = Establishment.objects.get(urn="143720")  # only Ofsted lists it: created, open, located
    assert (primary.trust, primary.status, primary.local_authority.code) == (new_trust, "1", "301")
    assert primary.idaci_quintile is None  # Ofsted gives no quintile for it
    renamed = Group.objects.get(uid="2053")  # Ofsted's 2025 name is newer than the 2016 list's
    assert (renamed.name, renamed.group_id) == ("LIFT SCHOOLS", "TR00008")
    assert list(renamed.establishments.values_list("urn", flat=True)) == ["133768"]
    assert not Establishment.objects.filter(urn="100049", trust__isnull=False).exists()


def test_an_official_import_of_trusts_and_memberships_wins_over_ofsted(data_dir):
    load(data_dir)
    call_command(
        "import_gias",
        groups=str(FIXTURES / "allgroupsdata_test.csv"),
        memberships=str(FIXTURES / "alllinksdata_test.csv"),
        force=True,
        no_progress=True,
        stdout=StringIO(),
    )
    Group.objects.filter(uid="2044").update(name="Abbey Academies Trust (renamed by GIAS)")
    Establishment.objects.filter(urn="133768").update(trust=None)  # as if GIAS said it had left its trust

    output = load(data_dir)

    assert Group.objects.get(uid="2044").name == "Abbey Academies Trust (renamed by GIAS)"
    assert Establishment.objects.get(urn="133768").trust is None
    assert Establishment.objects.get(urn="100001").trust.uid == "2044"
    assert "Groups: 0 created, 0 updated, 0 closed, 2 unchanged, 2 kept" in output


def test_an_official_establishments_import_keeps_the_ofsted_facts(data_dir, tmp_path):
    load(data_dir)
    official = write_sample(tmp_path / "edubasealldata20250101.csv")

    call_command("import_gias", str(official), force=True, no_progress=True, stdout=StringIO())

    aldgate = Establishment.objects.get(urn="100000")
    assert (aldgate.ofsted_phase, aldgate.idaci_quintile) == ("Primary", 4)


def test_a_bad_ofsted_row_is_reported_and_nothing_is_loaded(data_dir):
    path = data_dir / SHIPPED_FILES["ofsted_schools"]
    header, rows = read_csv(path, encoding="utf-8")
    rows[0][header.index("idaci_quintile")] = "7"
    rows[1][header.index("ofsted_phase")] = "College"
    write_csv(path, header, rows, encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        load(data_dir)

    assert "Row 2, column 'idaci_quintile': '7' is not a quintile from 1 to 5" in str(raised.value)
    assert "Row 3, column 'ofsted_phase': 'College' is not one of" in str(raised.value)
    assert Establishment.objects.count() == 0


def test_a_broken_shipped_file_is_reported_and_nothing_is_loaded(data_dir):
    path = data_dir / SHIPPED_FILES["establishments"]
    header, rows = read_csv(path, encoding="utf-8")
    rows[3][header.index("open_date")] = "someday"
    write_csv(path, header, rows, encoding="utf-8")

    with pytest.raises(CommandError, match=r"Row 5, column 'open_date': 'someday' is not a date"):
        load(data_dir)

    assert Establishment.objects.count() == 0
    assert Group.objects.count() == 0
