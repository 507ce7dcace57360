from io import StringIO

import pytest
from django.core.management import call_command

from schooltech.accounts.models import Membership
from schooltech.demo import people as demo
from schooltech.organisations.models import Group
from tests.factories import AcademyFactory, EstablishmentFactory, LocalAuthorityFactory, TrustFactory

pytestmark = pytest.mark.django_db


def test_load_demo_accounts_gives_the_real_demo_trust_a_director_and_is_idempotent():
    camden = LocalAuthorityFactory(code="202", name="Camden")
    EstablishmentFactory(urn="100000", name="The Aldgate School")
    EstablishmentFactory(urn="100049", name="Haverstock School", local_authority=camden)
    trust = TrustFactory(uid=demo.DEMO_TRUST_UID, name=demo.DEMO_TRUST_NAME)
    AcademyFactory.create_batch(3, trust=trust)
    call_command("load_demo_accounts")
    memberships = sorted(Membership.objects.values_list("user__email", "organisation_kind", "role"))
    history_rows = Membership.history.count()
    call_command("load_demo_accounts")
    assert sorted(Membership.objects.values_list("user__email", "organisation_kind", "role")) == memberships
    assert Membership.history.count() == history_rows
    assert len(memberships) == 5
    director = Membership.objects.get(user__email="grace.lee@partnership-learning.example")
    assert (director.trust, director.role) == (trust, "approver")
    assert trust.establishments.count() == 3  # the trust's real schools, none added


def test_load_demo_accounts_removes_the_old_fictional_trust():
    fictional = TrustFactory(uid=demo.FICTIONAL_TRUST_UID, name="Demo Learning Trust (demonstration data)")
    school = AcademyFactory(trust=fictional)
    call_command("load_demo_accounts", stderr=StringIO())
    assert not Group.objects.filter(uid=demo.FICTIONAL_TRUST_UID).exists()
    school.refresh_from_db()
    assert school.trust is None


def test_load_demo_accounts_says_when_the_demo_trust_is_not_loaded():
    errors = StringIO()
    call_command("load_demo_accounts", stderr=errors)
    assert "Partnership Learning is not loaded yet" in errors.getvalue()
    assert not Membership.objects.filter(user__email="grace.lee@partnership-learning.example").exists()
