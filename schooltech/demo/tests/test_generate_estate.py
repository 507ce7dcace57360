import datetime

import pytest
from django.core.management import call_command

from schooltech.demo.people import demo_school_urns
from schooltech.estate.models import Asset, AssetCategory, Connection, Contract
from tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db
TODAY = "2026-03-01"


def _fingerprint(school):
    return sorted(Asset.objects.filter(establishment=school).values_list("asset_tag", "serial_number", "model_name"))


def test_registers_are_sized_by_pupils_and_deterministic_for_a_seed():
    school = EstablishmentFactory(number_of_pupils=600, phase_name="Secondary")
    call_command("generate_estate", urn=[school.urn], seed=7, today=datetime.date.fromisoformat(TODAY), verbosity=0)
    devices = Asset.objects.filter(
        establishment=school,
        category__in=[AssetCategory.LAPTOP, AssetCategory.DESKTOP, AssetCategory.TABLET, AssetCategory.CHROMEBOOK],
    ).count()
    assert 200 <= devices <= 300  # one device for every two to three pupils
    assert 10 <= Contract.objects.filter(establishment=school).count() <= 40
    assert Connection.objects.filter(establishment=school, role="primary").count() == 1
    first = _fingerprint(school)
    call_command(
        "generate_estate", urn=[school.urn], seed=7, replace=True, today=datetime.date.fromisoformat(TODAY), verbosity=0
    )
    assert _fingerprint(school) == first


def test_running_twice_without_replace_adds_nothing():
    school = EstablishmentFactory(number_of_pupils=120)
    call_command("generate_estate", urn=[school.urn], verbosity=0)
    count = Asset.objects.count()
    call_command("generate_estate", urn=[school.urn], verbosity=0)
    assert Asset.objects.count() == count


def test_demo_fills_the_demo_schools():
    for urn in demo_school_urns():
        EstablishmentFactory(urn=urn)
    call_command("generate_estate", demo=True, verbosity=0)
    assert set(Asset.objects.values_list("establishment__urn", flat=True).distinct()) == set(demo_school_urns())
