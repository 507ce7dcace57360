from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from schooltech.accounts import audit, policy, services
from schooltech.accounts.models import AccessRequest, Invitation, Membership, Role
from schooltech.accounts.tests.conftest import emails
from schooltech.organisations.reference import DEPARTMENT
from tests.factories import (
    EstablishmentFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_with_approver():
    school = EstablishmentFactory(name="Oak Primary")
    approver = UserFactory(first_name="Ada", last_name="Approver", email="ada@oak.example")
    make_membership(approver, school, Role.APPROVER)
    return school, approver


def test_access_request_emails_each_approver_with_a_link_to_review(school_with_approver):
    school, _ = school_with_approver
    requester = UserFactory(first_name="Rob", last_name="Requester", email="rob@example.org")
    access_request = services.access_request_create(requester=requester, organisation=school, reason="I am the SBM")
    [message] = emails("access_request_submitted")
    assert message.to_email == "ada@oak.example"
    assert message.personalisation["requester_name"] == "Rob Requester"
    assert message.personalisation["reason"] == "I am the SBM"
    assert message.personalisation["review_url"].endswith(
        f"/manage/establishment-{school.urn}/requests/{access_request.pk}"
    )


def test_a_second_request_for_the_same_organisation_is_refused_and_changes_nothing(school_with_approver):
    school, _ = school_with_approver
    requester = UserFactory()
    services.access_request_create(requester=requester, organisation=school, reason="First")
    with pytest.raises(services.AccountsError, match="already asked"):
        services.access_request_create(requester=requester, organisation=school, reason="Second")
    assert AccessRequest.objects.count() == 1
    assert len(emails("access_request_submitted")) == 1


def test_members_cannot_ask_again_and_blank_reasons_are_refused(school_with_approver):
    school, approver = school_with_approver
    with pytest.raises(services.AccountsError, match="already have access"):
        services.access_request_create(requester=approver, organisation=school, reason="Again")
    with pytest.raises(services.AccountsError, match="Enter why"):
        services.access_request_create(requester=UserFactory(), organisation=school, reason="   ")
    assert not AccessRequest.objects.exists()


def test_approving_gives_the_role_emails_the_requester_and_is_audited(school_with_approver):
    school, approver = school_with_approver
    requester = UserFactory(email="rob@example.org")
    access_request = services.access_request_create(requester=requester, organisation=school, reason="IT lead")
    membership = services.access_request_approve(actor=approver, access_request=access_request, role=Role.EDITOR)
    assert membership.role == Role.EDITOR
    assert policy.can(requester, "edit", school)
    [message] = emails("access_request_approved")
    assert message.to_email == "rob@example.org"
    assert message.personalisation["role"] == "Editor"
    trail = audit.audit_entries(organisation=school)
    reasons = [entry.reason for entry in trail]
    assert "Access request approved" in reasons and "Access requested" in reasons
    approved = next(e for e in trail if e.reason == "Access request approved" and "request" in e.record.lower())
    assert approved.who == "Ada Approver"
    assert any(c.field == "status" and c.before == "pending" and c.after == "approved" for c in approved.changes)


def test_rejecting_needs_a_reason_and_emails_it(school_with_approver):
    school, approver = school_with_approver
    access_request = services.access_request_create(requester=UserFactory(), organisation=school, reason="Please")
    with pytest.raises(services.AccountsError):
        services.access_request_reject(actor=approver, access_request=access_request, reason="")
    services.access_request_reject(actor=approver, access_request=access_request, reason="We do not know you")
    access_request.refresh_from_db()
    assert access_request.status == AccessRequest.Status.REJECTED
    assert emails("access_request_rejected")[0].personalisation["reason"] == "We do not know you"
    with pytest.raises(services.AccountsError, match="already been answered"):
        services.access_request_approve(actor=approver, access_request=access_request, role=Role.VIEWER)
    assert not Membership.objects.filter(user=access_request.requester).exists()


def test_requests_unanswered_for_five_days_escalate_once(school_with_approver, settings):
    settings.SUPPORT_EMAIL = "support@example.org"
    school, _ = school_with_approver
    with time_machine.travel(timezone.now() - timedelta(days=6), tick=False):
        old = services.access_request_create(requester=UserFactory(), organisation=school, reason="Old")
    fresh = services.access_request_create(requester=UserFactory(), organisation=school, reason="New")
    assert services.access_requests_escalate() == 1
    assert services.access_requests_escalate() == 0
    call_command("escalate_access_requests")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.escalated_at is not None and fresh.escalated_at is None
    [message] = emails("access_request_escalated")
    assert message.to_email == "support@example.org"
    assert message.personalisation["days_waiting"] == "6"


def test_a_request_to_an_organisation_without_approvers_goes_straight_to_support():
    lonely = EstablishmentFactory()
    access_request = services.access_request_create(requester=UserFactory(), organisation=lonely, reason="Hello")
    assert access_request.escalated_at is not None
    assert len(emails("access_request_escalated")) == 1


def test_invitation_is_emailed_and_accepted_at_sign_in(school_with_approver):
    school, approver = school_with_approver
    services.invitation_create(actor=approver, organisation=school, email="New.Person@example.org", role=Role.EDITOR)
    [message] = emails("invitation")
    assert message.personalisation == {
        "organisation_name": "Oak Primary",
        "inviter_name": "Ada Approver",
        "role": "Editor",
        "sign_in_url": "http://127.0.0.1:8000/account",
    }
    newcomer = UserFactory(email="new.person@example.org")
    services.user_sign_in_sync(user=newcomer, issuer="https://op", subject="abc", organisation=None)
    assert policy.can(newcomer, "edit", school)
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED


def test_inviting_twice_or_inviting_a_member_is_refused(school_with_approver):
    school, approver = school_with_approver
    services.invitation_create(actor=approver, organisation=school, email="x@example.org", role=Role.VIEWER)
    with pytest.raises(services.AccountsError, match="already been invited"):
        services.invitation_create(actor=approver, organisation=school, email="X@example.org", role=Role.VIEWER)
    with pytest.raises(services.AccountsError, match="already has access"):
        services.invitation_create(actor=approver, organisation=school, email=approver.email, role=Role.VIEWER)


def test_cancelled_invitations_are_not_accepted(school_with_approver):
    school, approver = school_with_approver
    invitation = services.invitation_create(
        actor=approver, organisation=school, email="c@example.org", role=Role.VIEWER
    )
    services.invitation_cancel(actor=approver, invitation=invitation)
    user = UserFactory(email="c@example.org")
    services.user_sign_in_sync(user=user, issuer="https://op", subject="c", organisation=None)
    assert not Membership.objects.filter(user=user).exists()


def test_the_last_approver_cannot_be_removed_or_demoted(school_with_approver):
    school, approver = school_with_approver
    membership = Membership.objects.get(user=approver)
    with pytest.raises(services.AccountsError):
        services.membership_remove(actor=approver, membership=membership)
    with pytest.raises(services.AccountsError):
        services.membership_change_role(actor=approver, membership=membership, role=Role.VIEWER)
    second = make_membership(UserFactory(), school, Role.APPROVER)
    services.membership_change_role(actor=approver, membership=second, role=Role.VIEWER)
    services.membership_remove(actor=approver, membership=Membership.objects.get(pk=second.pk))
    assert not Membership.objects.filter(pk=second.pk).exists()
    removal = audit.audit_entries(organisation=school)[0]
    assert removal.action == "Deleted" and removal.reason == "Removed from the organisation"


def test_dfe_signin_roles_create_and_remove_memberships():
    from schooltech.accounts.dfe_signin import FakeDfeSignInGateway

    trust = TrustFactory()
    user = UserFactory()
    FakeDfeSignInGateway.grant(user_id="sub-1", organisation_id="dsi-org", codes=["schooltech_editor"])
    services.user_sign_in_sync(
        user=user, issuer="i", subject="sub-1", organisation=trust, dfe_signin_organisation_id="dsi-org"
    )
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.source) == (Role.EDITOR, Membership.Source.DFE_SIGNIN)
    FakeDfeSignInGateway.reset()
    services.user_sign_in_sync(
        user=user, issuer="i", subject="sub-1", organisation=trust, dfe_signin_organisation_id="dsi-org"
    )
    assert not Membership.objects.filter(user=user).exists()


def test_dfe_signin_never_removes_memberships_given_in_this_service():
    school = EstablishmentFactory()
    user = UserFactory()
    make_membership(user, school, Role.APPROVER)
    services.user_sign_in_sync(user=user, issuer="i", subject="s", organisation=school, dfe_signin_organisation_id="d")
    assert Membership.objects.get(user=user).role == Role.APPROVER


def test_support_sees_every_organisations_trail_and_approvers_only_their_own(school_with_approver):
    school, approver = school_with_approver
    other = EstablishmentFactory()
    make_membership(UserFactory(), other, Role.VIEWER)
    services.membership_grant(actor=None, user=UserFactory(), organisation=other, role=Role.VIEWER, reason="Test")
    services.membership_grant(actor=approver, user=UserFactory(), organisation=school, role=Role.VIEWER, reason="Own")
    own = audit.audit_entries(organisation=school)
    assert {entry.organisation for entry in own} == {"Oak Primary"}
    everything = audit.audit_entries()
    assert {entry.organisation for entry in everything} == {"Oak Primary", other.name}


def test_department_membership_is_recorded_against_the_department():
    analyst = UserFactory()
    services.membership_grant(actor=None, user=analyst, organisation=DEPARTMENT, role=Role.VIEWER, reason="Analyst")
    assert policy.can(analyst, "view", DEPARTMENT)
    assert audit.audit_entries(organisation=DEPARTMENT)[0].organisation == "Department for Education"
