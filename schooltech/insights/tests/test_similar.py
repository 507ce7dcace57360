"""The similar-schools method: same phase and region, nearest on pupils and deprivation, quartiles only."""

import datetime

import pytest
from django.test import Client

from schooltech.accounts.models import Role
from schooltech.estate.models import ConnectionTechnology
from schooltech.insights import services, similar
from schooltech.insights.metrics import ESTATE_METRICS, Value
from tests.factories import (
    ConnectionFactory,
    EstablishmentFactory,
    LocalAuthorityFactory,
    ServiceFactory,
    UserFactory,
    make_membership,
)

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 11, 30)
TERM = "2026-3-autumn"
_urns = iter(range(730000, 739999))


def _sharing_school(local_authority, *, pupils, idaci, phase="Primary", region="London", fibre=True, name=None):
    school = EstablishmentFactory(
        urn=str(next(_urns)),
        name=name or f"Peer {pupils}-{idaci}",
        local_authority=local_authority,
        region=region,
        ofsted_phase=phase,
        number_of_pupils=pupils,
        idaci_quintile=idaci,
    )
    ConnectionFactory(
        establishment=school, technology=ConnectionTechnology.FTTP if fibre else ConnectionTechnology.FTTC
    )
    services.sharing_choose(establishment=school, user=None, standards=False, estate=True, plans=False)
    return school


@pytest.fixture
def camden():
    return LocalAuthorityFactory(code="202", name="Camden", region="London")


def test_the_30_nearest_of_the_same_phase_and_region_are_chosen(camden):
    school = EstablishmentFactory(
        urn="739999", local_authority=camden, region="London", ofsted_phase="Primary", number_of_pupils=400,
        idaci_quintile=3,
    )  # fmt: skip
    near = [_sharing_school(camden, pupils=380 + n, idaci=3) for n in range(25)]
    middling = [_sharing_school(camden, pupils=420, idaci=4) for _ in range(5)]
    far = [_sharing_school(camden, pupils=2000, idaci=1) for _ in range(5)]
    other_phase = _sharing_school(camden, pupils=400, idaci=3, phase="Secondary")
    other_region = _sharing_school(camden, pupils=400, idaci=3, region="North East")
    services.snapshots_take(on=ON)

    found = similar.similar_schools(establishment=school, term=TERM)

    assert set(found.establishment_ids) == {peer.pk for peer in near + middling}
    assert not {peer.pk for peer in far} & set(found.establishment_ids)
    assert other_phase.pk not in found.establishment_ids and other_region.pk not in found.establishment_ids
    assert found.basis == "same phase and region, nearest on pupil numbers and deprivation"
    assert found.missing == []


def test_a_school_missing_an_attribute_is_compared_on_what_is_known_and_told(camden):
    school = EstablishmentFactory(
        urn="739998", local_authority=camden, region="London", ofsted_phase="Primary", number_of_pupils=None,
        idaci_quintile=2,
    )  # fmt: skip
    same_deprivation = _sharing_school(camden, pupils=5000, idaci=2)
    other_deprivation = _sharing_school(camden, pupils=400, idaci=5)
    services.snapshots_take(on=ON)

    found = similar.similar_schools(establishment=school, term=TERM)

    assert found.establishment_ids == [same_deprivation.pk, other_deprivation.pk]
    assert found.missing == ["pupil numbers"]
    assert found.basis == "same phase and region, nearest on deprivation"


def test_no_phase_or_region_means_no_comparison(camden):
    school = EstablishmentFactory(urn="739997", ofsted_phase="", region="London")
    assert similar.similar_schools(establishment=school, term=TERM) is None


def test_quartiles_need_five_peers_and_department_only_metrics_are_never_compared(camden):
    peers = [_sharing_school(camden, pupils=400, idaci=3, fibre=n < 3) for n in range(8)]
    for peer in peers:
        ServiceFactory(establishment=peer, mfa_enforced=True)
    services.snapshots_take(on=ON)
    found = similar.Similar([peer.pk for peer in peers], "same phase and region", [])
    own = {"estate.full_fibre": Value(1.0), "estate.mfa_on_cloud_services": Value(0.0)}

    comparisons = similar.compare(own=own, similar=found, term=TERM, on=ON)

    assert [item.metric.key for item in comparisons] == ["estate.full_fibre"]
    fibre = comparisons[0]
    assert (fibre.lower_quartile, fibre.median, fibre.upper_quartile, fibre.peers) == (0.0, 0.0, 100.0, 8)
    assert fibre.position == "In the upper middle quarter"
    too_few = similar.Similar([peer.pk for peer in peers[:4]], "", [])
    assert similar.compare(own=own, similar=too_few, term=TERM, on=ON) == []


def test_the_positions_in_quarters():
    metric = next(metric for metric in ESTATE_METRICS if metric.key == "estate.devices_past_support")
    make = lambda value: similar.Comparison(metric, value, 10.0, 20.0, 30.0, 8)  # noqa: E731
    assert make(5).position == "Below three quarters of similar schools"
    assert make(15).position == "In the lower middle quarter"
    assert make(20).position == "At the middle of similar schools"
    assert make(25).position == "In the upper middle quarter"
    assert make(35).position == "Above three quarters of similar schools"


def test_the_school_sees_its_comparison_and_never_another_schools_name(camden):
    school = _sharing_school(camden, pupils=400, idaci=3, name="Our Primary School")
    for n in range(6):
        _sharing_school(camden, pupils=400 + n, idaci=3, name=f"Secret Neighbour {n}")
    services.snapshots_take(on=ON)
    head = UserFactory()
    make_membership(head, school, Role.VIEWER)
    client = Client()
    client.force_login(head)

    page = client.get(f"/insights/establishment-{school.urn}").content.decode()

    assert "Compared with similar schools" in page and "Method version 1.0" in page
    assert "Full fibre main connection" in page
    assert "Secret Neighbour" not in page
    assert "MFA" not in page
    outsider = UserFactory()
    make_membership(outsider, EstablishmentFactory(), Role.APPROVER)
    client.force_login(outsider)
    assert client.get(f"/insights/establishment-{school.urn}").status_code == 403
