"""Who reads a school's audit trail: its approvers, the approvers of the trust or local authority
that looks after it (its records, not its people) and support. A school without an approver is
never left without a reader."""

import pytest
from django.urls import reverse

from schooltech.accounts import audit, policy
from schooltech.accounts.models import Role
from schooltech.core.history import record_change
from schooltech.organisations.reference import OrganisationRef
from schooltech.planning import services as planning
from schooltech.standards import services as standards
from tests.answers import BEST
from tests.factories import (
    AcademyFactory,
    AssetFactory,
    EstablishmentFactory,
    LocalAuthorityFactory,
    TrustFactory,
    UserFactory,
    make_invitation,
    make_membership,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    return standards.catalogue_load()[0]


def audit_url(organisation):
    return reverse("accounts:audit", kwargs={"organisation": OrganisationRef.for_organisation(organisation)})


@pytest.fixture
def trust_world(db):
    trust = TrustFactory(name="Riverside Trust")
    academy = AcademyFactory(name="Riverside Academy", trust=trust, phase_code="4")
    outsider = AcademyFactory(name="Faraway Academy", phase_code="4")
    director = UserFactory(email="director@riverside.example", first_name="Dee", last_name="Director")
    make_membership(director, trust, Role.APPROVER)
    return trust, academy, outsider, director


def change_an_asset(school, user, model_name):
    asset = AssetFactory(establishment=school, model_name="Old model")
    asset.model_name = model_name
    record_change(asset, user=user, reason="Changed in the assets register")
    asset.save()
    return asset


def test_view_audit_passes_down_to_trust_and_authority_approvers_only():
    trust = TrustFactory()
    academy = AcademyFactory(trust=trust)
    authority = LocalAuthorityFactory()
    maintained = EstablishmentFactory(local_authority=authority)
    academy_in_area = AcademyFactory(local_authority=authority)
    trust_approver, trust_editor, la_approver = UserFactory(), UserFactory(), UserFactory()
    make_membership(trust_approver, trust, Role.APPROVER)
    make_membership(trust_editor, trust, Role.EDITOR)
    make_membership(la_approver, authority, Role.APPROVER)
    assert policy.can(trust_approver, "view_audit", academy)
    assert not policy.can(trust_editor, "view_audit", academy)  # approvers only, as for the trust's own trail
    assert policy.can(la_approver, "view_audit", maintained)
    assert not policy.can(la_approver, "view_audit", academy_in_area)  # its trust answers for it
    assert not policy.can(trust_approver, "view_audit", maintained)
    # Reading is all: managing the school's people stays with the school.
    assert not policy.can(trust_approver, "manage_users", academy)
    assert set(policy.people_who_may("view_audit", academy)) == {trust_approver}


def test_trust_approver_reads_a_schools_register_assessment_and_plan_changes_not_its_people(
    client, trust_world, catalogue
):
    _, academy, outsider, director = trust_world
    head = UserFactory(email="head@riverside.example", first_name="Hana", last_name="Head")
    make_membership(head, academy, Role.APPROVER)
    make_invitation(academy, "newcomer@riverside.example", invited_by=head)
    change_an_asset(academy, head, "New model")
    assessment = standards.assessment_start(establishment=academy, standard_key="cabling", user=head)
    standards.assessment_answers_record(assessment=assessment, answers=BEST["cabling"], user=head)
    standards.assessment_submit(assessment=assessment, user=head)
    client.force_login(director)
    body = client.get(audit_url(academy)).content.decode()
    assert "Changed in the assets register" in body and "Old model → New model" in body
    assert "Self-assessment submitted" in body and "Self-assessment started" in body
    assert "Network cabling assessment for Riverside Academy" in body
    assert "State: In progress → Submitted" in body
    plan, _ = planning.plan_generate(establishment=academy, user=head)
    planning.plan_settings_update(plan=plan, horizon_years=5, financial_year_basis=plan.financial_year_basis, user=head)
    body = client.get(audit_url(academy)).content.decode()
    assert "Plan settings changed" in body
    assert "newcomer@riverside.example" not in body  # the school's people records stay with the school
    assert "Requests for access" not in body  # no links to pages the trust cannot use
    assert client.get(audit_url(outsider)).status_code == 403
    # The school's own approver sees its people records too.
    client.force_login(head)
    assert "newcomer@riverside.example" in client.get(audit_url(academy)).content.decode()


def test_trust_trail_lists_its_schools_changes_with_a_link_to_each_schools_trail(client, trust_world):
    trust, academy, outsider, director = trust_world
    change_an_asset(academy, director, "Riverside laptop")
    change_an_asset(outsider, None, "Faraway laptop")
    client.force_login(director)
    body = client.get(audit_url(trust)).content.decode()
    assert "Riverside laptop" in body
    assert "Faraway laptop" not in body
    assert f'href="{audit_url(academy)}"' in body


def test_local_authority_approver_reads_its_maintained_schools_trail(client):
    authority = LocalAuthorityFactory(name="Testshire")
    maintained = EstablishmentFactory(name="Maintained Primary", local_authority=authority)
    academy = AcademyFactory(name="Area Academy", local_authority=authority)
    officer = UserFactory()
    make_membership(officer, authority, Role.APPROVER)
    change_an_asset(maintained, None, "Maintained laptop")
    change_an_asset(academy, None, "Academy laptop")
    client.force_login(officer)
    body = client.get(audit_url(authority)).content.decode()
    assert "Maintained laptop" in body and "Academy laptop" not in body
    assert "Maintained laptop" in client.get(audit_url(maintained)).content.decode()
    assert client.get(audit_url(academy)).status_code == 403


def test_a_school_without_an_approver_says_who_can_read_its_trail(client, trust_world):
    trust, academy, _, director = trust_world
    readers = policy.audit_readers(academy)
    assert not readers.has_own_approver
    assert readers.trust == trust and readers.trust_approvers == 1
    assert readers.local_authority is None  # an academy's local authority does not look after it
    client.force_login(director)
    body = client.get(audit_url(academy)).content.decode()
    assert "Who can see this trail" in body
    assert "has no approver of its own" in body
    assert "approvers at Riverside Trust" in body
    assert "support team" in body


def test_a_school_with_no_trust_nor_authority_is_read_by_support(client):
    independent = EstablishmentFactory(name="Lone Independent", type_group_code="3", local_authority=None)
    readers = policy.audit_readers(independent)
    assert (readers.own_approvers, readers.trust, readers.local_authority) == (0, None, None)
    change_an_asset(independent, None, "Lone laptop")
    support = UserFactory(is_staff=True)
    assert policy.can(support, "view_audit", independent)
    client.force_login(support)
    body = client.get(audit_url(independent)).content.decode()
    assert "Lone laptop" in body
    assert "so the service’s support team can see its trail" in body


def test_entries_without_people_leave_out_the_accounts_records(trust_world):
    _, academy, _, director = trust_world
    make_invitation(academy, "someone@riverside.example", invited_by=director)
    change_an_asset(academy, director, "Kept model")
    everything = audit.audit_entries(organisation=academy)
    records_only = audit.audit_entries(organisation=academy, include_people=False)
    assert any("Invitation" in entry.record for entry in everything)
    assert not any("Invitation" in entry.record for entry in records_only)
    assert any("Kept model" in str(entry.changes) for entry in records_only)
