"""The peer support demo: the demo secondary school finds the helping school's offer on one of its unmet
requirements, and the helping school's demo approver sees the request it sends."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client

from schooltech.demo import people
from schooltech.peer import selectors, services
from schooltech.peer.models import HelpRequest, Offer
from schooltech.peer.tests.conftest import assess
from schooltech.standards import services as standards_services
from tests.factories import AcademyFactory, EstablishmentFactory, LocalAuthorityFactory, TrustFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world():
    standards_services.catalogue_load()
    camden = LocalAuthorityFactory(code="202", name="Camden")
    EstablishmentFactory(urn="100000", name="The Aldgate School")
    asking = EstablishmentFactory(
        urn="100049",
        name="Haverstock School",
        local_authority=camden,
        ofsted_phase="Secondary",
        easting=528159,
        northing=184498,
        number_of_pupils=909,
    )
    assess(asking, "broadband", {"full_fibre": "does_not_meet"})  # so the demo records no other answers
    trust = TrustFactory(uid=people.DEMO_TRUST_UID, name=people.DEMO_TRUST_NAME)
    helping = AcademyFactory(
        urn=people.DEMO_HELPER_URN,
        name="George Mitchell School",
        trust=trust,
        ofsted_phase="Secondary",
        easting=537766,
        northing=187341,
    )
    assess(helping, "broadband", {"full_fibre": "meets"})
    far = AcademyFactory(urn="143144", trust=trust, ofsted_phase="Secondary", easting=590816, northing=186165)
    assess(far, "broadband", {"full_fibre": "meets"})
    AcademyFactory(urn="143720", trust=trust)  # no coordinates, no assessment: never offers
    call_command("load_demo_accounts", stdout=None, stderr=None)
    return asking, helping


def test_the_demo_school_finds_the_helper_asks_and_the_helpers_approver_sees_it(demo_world):
    asking, helping = demo_world
    call_command("generate_peer_support", demo=True, stdout=None)
    call_command("generate_peer_support", demo=True, stdout=None)  # safe to run again
    assert Offer.objects.count() == 2
    found = selectors.helpers_for(
        establishment=asking, standard_key="broadband", requirement_key="full_fibre", today=datetime.date.today()
    )
    assert found[0].establishment == helping and round(found[0].distance_km) == 10
    tom = next(p for p in people.DEMO_PEOPLE if p["organisation"] and p["organisation"][1] == "100049")
    sara = next(p for p in people.DEMO_PEOPLE if p["organisation"] and p["organisation"][1] == people.DEMO_HELPER_URN)
    asker = Client()
    asker.force_login(HelpRequest.asked_by.field.related_model.objects.get(email=tom["email"]))
    response = asker.post(
        f"/schools/100049/peer-support/find/broadband/full_fibre/ask/{people.DEMO_HELPER_URN}",
        {"message": "We are still on copper. How did you move to full fibre?", "step": "send"},
    )
    assert response.status_code == 302
    helper = Client()
    helper.force_login(HelpRequest.asked_by.field.related_model.objects.get(email=sara["email"]))
    page = helper.get(f"/schools/{people.DEMO_HELPER_URN}/peer-support")
    assert "Haverstock School" in page.text
    assert services.people_to_tell(helping)[0].email == sara["email"]
