import pytest
from django.core.management import call_command

from schooltech.accounts import demo
from schooltech.accounts.models import Membership
from schooltech.organisations.models import Group
from tests.factories import AcademyFactory, EstablishmentFactory, LocalAuthorityFactory

pytestmark = pytest.mark.django_db


def test_load_demo_accounts_builds_the_demo_trust_and_is_idempotent():
    camden = LocalAuthorityFactory(code="202", name="Camden")
    EstablishmentFactory(urn="100000", name="The Aldgate School")
    EstablishmentFactory(urn="100049", name="Haverstock School", local_authority=camden)
    AcademyFactory.create_batch(14, trust=None, region="London", phase_name="Secondary")
    call_command("load_demo_accounts")
    trust = Group.objects.get(uid=demo.DEMO_TRUST_UID)
    assert trust.establishments.count() == demo.DEMO_TRUST_SIZE
    memberships = sorted(Membership.objects.values_list("user__email", "organisation_kind", "role"))
    history_rows = Membership.history.count()
    call_command("load_demo_accounts")
    assert sorted(Membership.objects.values_list("user__email", "organisation_kind", "role")) == memberships
    assert Membership.history.count() == history_rows
    assert len(memberships) == 5
    assert trust.establishments.count() == demo.DEMO_TRUST_SIZE
