import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from schooltech.organisations.models import Establishment, EstablishmentLink, Group, LocalAuthority
from schooltech.organisations.tests.fixtures.gias_files import (
    FIXTURES,
    LINKS_PATH,
    SAMPLE_PATH,
    read_csv,
    sample_rows,
    write_csv,
    write_sample,
)

pytestmark = pytest.mark.django_db


def import_gias(*args, **options) -> str:
    out = StringIO()
    call_command("import_gias", *[str(arg) for arg in args], no_progress=True, stdout=out, **options)
    return out.getvalue()


def test_imports_the_real_extract_with_local_authorities_and_coordinates():
    output = import_gias(SAMPLE_PATH)

    assert "Establishments: 41 created, 0 updated, 0 closed, 0 unchanged" in output
    assert "Local authorities: 2 created" in output
    school = Establishment.objects.get(urn="100000")
    assert school.name == "The Aldgate School"
    assert school.local_authority.code == "201"
    assert school.local_authority.name == "City of London"
    assert school.local_authority.gss_code == "E09000001"
    assert school.local_authority.region == "London"
    assert school.phase_name == "Primary"
    assert school.number_of_pupils == 271
    assert school.postcode == "EC3A 5DE"
    assert school.search_text == "the aldgate school | london | ec3a 5de | ec3a5de"
    assert str(school.latitude) == "51.513969"
    assert str(school.longitude) == "-0.077531"
    assert Establishment.objects.filter(status=Establishment.Status.CLOSED).count() == 8


def test_a_second_import_of_the_same_file_changes_nothing():
    import_gias(SAMPLE_PATH)
    before = list(Establishment.objects.order_by("urn").values())

    output = import_gias(SAMPLE_PATH)

    assert "Establishments: 0 created, 0 updated, 0 closed, 41 unchanged" in output
    assert "Local authorities: 0 created, 0 updated, 0 closed, 2 unchanged" in output
    assert list(Establishment.objects.order_by("urn").values()) == before


def test_counts_updated_and_closed_establishments(tmp_path):
    import_gias(SAMPLE_PATH)
    changed = write_sample(
        tmp_path / "edubasealldata20240301.csv",
        changes={
            ("100000", "NumberOfPupils"): "280",
            ("100001", "EstablishmentStatus (code)"): "2",
            ("100001", "CloseDate"): "31-03-2024",
        },
    )

    output = import_gias(changed)

    assert "Establishments: 0 created, 1 updated, 1 closed, 39 unchanged" in output
    assert Establishment.objects.get(urn="100000").number_of_pupils == 280
    closed = Establishment.objects.get(urn="100001")
    assert closed.status == Establishment.Status.CLOSED
    assert closed.close_date == datetime.date(2024, 3, 31)


def _database_state():
    school = Establishment.objects.get(urn="100000")
    return Establishment.objects.count(), LocalAuthority.objects.count(), school.number_of_pupils, school.name


def test_a_file_with_bad_rows_is_reported_in_full_and_changes_nothing(tmp_path):
    import_gias(SAMPLE_PATH)
    before = _database_state()
    bad = write_sample(
        tmp_path / "edubasealldata.csv",
        changes={
            ("100000", "NumberOfPupils"): "300",  # a good change that must not be written
            ("100000", "EstablishmentName"): "Renamed School",
            ("100005", "CloseDate"): "32/01/2024",
            ("100009", "NumberOfPupils"): "about 40",
        },
    )

    with pytest.raises(CommandError) as raised:
        import_gias(bad)

    message = str(raised.value)
    assert "2 problems found, nothing was imported" in message
    assert "Row 7, column 'CloseDate': '32/01/2024' is not a date" in message
    assert "Row 11, column 'NumberOfPupils': 'about 40' is not a whole number" in message
    assert _database_state() == before


def test_a_file_in_the_wrong_encoding_changes_nothing(tmp_path):
    import_gias(SAMPLE_PATH)
    before = _database_state()
    header, rows = sample_rows()
    path = tmp_path / "edubasealldata.csv"
    write_csv(path, header, rows, encoding="utf-16")

    with pytest.raises(CommandError, match="UTF-16 or binary"):
        import_gias(path)

    assert _database_state() == before


def test_a_file_missing_columns_names_them_and_changes_nothing(tmp_path):
    import_gias(SAMPLE_PATH)
    before = _database_state()
    header, rows = sample_rows()
    position = header.index("EstablishmentStatus (code)")
    header.pop(position)
    for row in rows:
        row.pop(position)
    path = write_csv(tmp_path / "edubasealldata.csv", header, rows)

    with pytest.raises(CommandError, match=r"missing 1 required column: 'EstablishmentStatus \(code\)'"):
        import_gias(path)

    assert _database_state() == before


def test_a_truncated_download_changes_nothing(tmp_path):
    import_gias(SAMPLE_PATH)
    before = _database_state()
    header, rows = sample_rows()
    rows[0][header.index("EstablishmentName")] = "Renamed School"
    path = write_csv(tmp_path / "edubasealldata.csv", header, rows)
    content = path.read_bytes()
    path.write_bytes(content[: len(content) - 250])

    with pytest.raises(CommandError, match=r"Row 42: the last row has .* of 140 values: the file looks cut off"):
        import_gias(path)

    assert _database_state() == before


def test_refuses_a_file_with_far_fewer_rows_than_the_database_unless_forced(tmp_path):
    import_gias(SAMPLE_PATH)
    before = _database_state()
    partial = write_sample(tmp_path / "edubasealldata.csv", changes={("100000", "NumberOfPupils"): "300"}, rows=10)

    with pytest.raises(CommandError, match="The file has 10 establishments but the database holds 41"):
        import_gias(partial)
    assert _database_state() == before

    output = import_gias(partial, force=True)

    assert "Establishments: 0 created, 1 updated, 0 closed, 9 unchanged" in output
    assert Establishment.objects.get(urn="100000").number_of_pupils == 300
    assert Establishment.objects.count() == 41


def test_imports_groups_then_memberships_setting_each_schools_trust():
    import_gias(SAMPLE_PATH)

    output = import_gias(FIXTURES / "allgroupsdata_test.csv", FIXTURES / "alllinksdata_test.csv")

    assert "Groups: 4 created" in output
    assert "Trust memberships: 0 created, 2 updated, 0 closed, 0 unchanged, 2 skipped" in output
    assert "1 row(s) name a URN that is not in the database" in output
    assert Establishment.objects.get(urn="100001").trust.uid == "2044"
    assert Establishment.objects.get(urn="100002").trust.uid == "3001"
    assert Establishment.objects.get(urn="100003").trust is None  # a federation is not a trust
    assert Group.objects.get(uid="2044").group_type == Group.GroupType.MULTI_ACADEMY_TRUST

    again = import_gias(FIXTURES / "allgroupsdata_test.csv", FIXTURES / "alllinksdata_test.csv")

    assert "Groups: 0 created, 0 updated, 0 closed, 4 unchanged" in again
    assert "Trust memberships: 0 created, 0 updated, 0 closed, 2 unchanged" in again


def test_a_membership_file_without_a_school_removes_its_trust(tmp_path):
    import_gias(SAMPLE_PATH)
    import_gias(FIXTURES / "allgroupsdata_test.csv", FIXTURES / "alllinksdata_test.csv")
    header, rows = read_csv(FIXTURES / "alllinksdata_test.csv")
    path = write_csv(tmp_path / "alllinksdata.csv", header, [row for row in rows if row[0] != "100002"])

    import_gias(path)

    assert Establishment.objects.get(urn="100002").trust is None
    assert Establishment.objects.get(urn="100001").trust.uid == "2044"


def test_an_establishment_naming_a_trust_links_to_it(tmp_path):
    Group.objects.create(uid="2044", name="Abbey Academies Trust", group_type=Group.GroupType.MULTI_ACADEMY_TRUST)
    Establishment.objects.create(urn="100000", name="The Aldgate School")
    header, rows = sample_rows()
    rows[0][header.index("Trusts (code)")] = "2044"
    rows[1][header.index("Trusts (code)")] = "7777"

    output = import_gias(write_csv(tmp_path / "edubasealldata.csv", header, rows))

    assert Establishment.objects.get(urn="100000").trust.uid == "2044"
    assert Establishment.objects.get(urn="100001").trust is None
    assert "1 trust UID(s) are not in the database" in output


def test_imports_links_skipping_unknown_urns_and_removing_links_no_longer_listed(tmp_path):
    import_gias(SAMPLE_PATH)
    header, rows = read_csv(LINKS_PATH)
    sample_urns = {f"1000{n:02d}" for n in range(41)}
    kept = [row for row in rows if row[0] in sample_urns]
    unknown = [row for row in rows if row[0] not in sample_urns][:5]
    path = write_csv(tmp_path / "links_edubasealldata.csv", header, kept + unknown)

    output = import_gias(path)

    created = EstablishmentLink.objects.count()
    assert created == len(kept) > 0
    assert f"Establishment links: {created} created" in output
    link = EstablishmentLink.objects.get(establishment__urn="100006", linked_urn="134643")
    assert (link.link_type, link.linked_name) == ("Predecessor - merged", "CCfL Key Stage 3 PRU")
    assert link.established_date == datetime.date(2022, 1, 1)
    assert "0 unchanged, 5 skipped" in output

    write_csv(path, header, kept[1:])
    again = import_gias(path, force=True)

    assert "1 removed" in again
    assert EstablishmentLink.objects.count() == created - 1


def test_an_unrecognised_file_name_is_refused_with_the_expected_names(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text("URN\n1\n")

    with pytest.raises(CommandError, match=r"GIAS names its files .*edubasealldata\*\.csv"):
        import_gias(path)


def test_a_file_with_another_name_can_be_given_by_option(tmp_path):
    header, rows = sample_rows()
    path = write_csv(tmp_path / "schools.csv", header, rows)

    output = import_gias(establishments=str(path))

    assert "Establishments: 41 created" in output
