import pytest
from django.core.management import CommandError, call_command

from schooltech.demo import people
from schooltech.insights import selectors
from schooltech.insights.models import SharingChoice
from tests.factories import AcademyFactory, EstablishmentFactory, TrustFactory

pytestmark = pytest.mark.django_db


def test_the_demo_schools_share_everything_and_running_again_changes_nothing():
    EstablishmentFactory(urn="100000")
    trust = TrustFactory(uid=people.DEMO_TRUST_UID)
    AcademyFactory.create_batch(3, trust=trust)
    call_command("generate_sharing", demo=True, stdout=None)
    call_command("generate_sharing", demo=True, stdout=None)
    assert SharingChoice.objects.count() == 4
    assert selectors.establishments_sharing(category="plans").count() == 4


def test_without_demo_schools_it_says_what_to_load():
    with pytest.raises(CommandError, match="load the shipped data"):
        call_command("generate_sharing", demo=True)
