import pytest
from django.urls import reverse

from schooltech.accounts.models import AccessRequest, Membership, Role
from schooltech.accounts.tests.conftest import emails
from schooltech.organisations.reference import OrganisationRef
from tests.factories import (
    EstablishmentFactory,
    TrustFactory,
    UserFactory,
    make_access_request,
    make_membership,
)

pytestmark = pytest.mark.django_db


def ref(organisation):
    return OrganisationRef.for_organisation(organisation)


def test_account_page_needs_sign_in(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith("/oidc/authenticate/")


def test_account_page_lists_organisations_and_roles(client):
    user = UserFactory(first_name="Bea", last_name="Manager", email="bea@example.org")
    make_membership(user, EstablishmentFactory(name="Aldgate Test School"), Role.APPROVER)
    make_membership(user, TrustFactory(name="Riverside Trust"), Role.VIEWER)
    client.force_login(user)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "Bea Manager" in html and "bea@example.org" in html
    assert "Aldgate Test School" in html and "Riverside Trust" in html
    assert "Approver" in html and "Viewer" in html
    assert "You are working on <strong>Aldgate Test School</strong>" in html


def test_switching_organisation_is_kept_in_the_session(client):
    user = UserFactory()
    make_membership(user, EstablishmentFactory(), Role.VIEWER)
    trust = TrustFactory(name="Second Trust")
    make_membership(user, trust, Role.EDITOR)
    client.force_login(user)
    response = client.post(reverse("accounts:switch_organisation"), {"organisation": ref(trust).slug})
    assert response.status_code == 302
    html = client.get(reverse("accounts:account")).content.decode()
    assert "You are working on <strong>Second Trust</strong>" in html


def test_switching_to_an_organisation_you_do_not_belong_to_is_an_error(client):
    user = UserFactory()
    make_membership(user, EstablishmentFactory(), Role.VIEWER)
    client.force_login(user)
    other = EstablishmentFactory()
    response = client.post(reverse("accounts:switch_organisation"), {"organisation": ref(other).slug})
    assert response.status_code == 200
    assert "Error: " in response.content.decode()
    assert 'href="#id_organisation"' in response.content.decode()


def test_request_access_journey(client):
    school = EstablishmentFactory(name="Findable Academy")
    approver = UserFactory()
    make_membership(approver, school, Role.APPROVER)
    user = UserFactory()
    client.force_login(user)
    search = client.get(reverse("accounts:request_access_search"), {"q": "findable"}).content.decode()
    target = reverse("accounts:request_access", kwargs={"organisation": ref(school)})
    assert target in search
    empty = client.post(target, {"reason": ""})
    assert "Enter why you need access" in empty.content.decode()
    assert not AccessRequest.objects.exists()
    response = client.post(target, {"reason": "I look after the network"})
    assert response.status_code == 302
    assert AccessRequest.objects.get().requester == user
    assert "Findable Academy" in client.get(reverse("accounts:my_requests")).content.decode()


def test_approver_reviews_and_approves_a_request(client):
    school = EstablishmentFactory()
    approver = UserFactory()
    make_membership(approver, school, Role.APPROVER)
    access_request = make_access_request(UserFactory(email="asker@example.org"), school, "Business manager")
    client.force_login(approver)
    listing = client.get(reverse("accounts:requests", kwargs={"organisation": ref(school)})).content.decode()
    assert "asker@example.org" in listing
    url = reverse(
        "accounts:request_review", kwargs={"organisation": ref(school), "access_request_id": access_request.pk}
    )
    missing_reason = client.post(url, {"decision": "reject", "reason": ""})
    assert "Enter why you are rejecting the request" in missing_reason.content.decode()
    response = client.post(url, {"decision": "editor"})
    assert response.status_code == 302
    assert Membership.objects.get(user=access_request.requester).role == Role.EDITOR
    assert len(emails("access_request_approved")) == 1


def test_approver_changes_a_role_removes_a_member_and_sees_it_in_the_audit_trail(client):
    school = EstablishmentFactory()
    approver = UserFactory()
    make_membership(approver, school, Role.APPROVER)
    member = make_membership(UserFactory(first_name="Mo", last_name="Member"), school, Role.VIEWER)
    client.force_login(approver)
    kwargs = {"organisation": ref(school), "membership_id": member.pk}
    assert client.post(reverse("accounts:change_role", kwargs=kwargs), {"role": "editor"}).status_code == 302
    assert client.post(reverse("accounts:remove_member", kwargs=kwargs)).status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()
    trail = client.get(reverse("accounts:audit", kwargs={"organisation": ref(school)})).content.decode()
    assert "Role changed" in trail and "Removed from the organisation" in trail
    assert "Viewer → Editor" in trail or "viewer → editor" in trail


def test_approver_invites_by_email(client):
    school = EstablishmentFactory()
    approver = UserFactory()
    make_membership(approver, school, Role.APPROVER)
    client.force_login(approver)
    url = reverse("accounts:invite", kwargs={"organisation": ref(school)})
    bad = client.post(url, {"email": "not-an-email", "role": "viewer"})
    assert "Enter an email address in the correct format" in bad.content.decode()
    assert client.post(url, {"email": "new@example.org", "role": "viewer"}).status_code == 302
    assert emails("invitation")[0].to_email == "new@example.org"
    assert (
        "new@example.org"
        in client.get(reverse("accounts:members", kwargs={"organisation": ref(school)})).content.decode()
    )


def test_editors_cannot_manage_users(client):
    school = EstablishmentFactory()
    editor = UserFactory()
    make_membership(editor, school, Role.EDITOR)
    client.force_login(editor)
    assert client.get(reverse("accounts:members", kwargs={"organisation": ref(school)})).status_code == 403


def test_support_sees_escalated_requests_and_the_whole_audit_trail(client):
    support = UserFactory(is_staff=True)
    request = make_access_request(UserFactory(email="waiting@example.org"), EstablishmentFactory(name="Far School"))
    AccessRequest.objects.filter(pk=request.pk).update(escalated_at="2026-01-01T00:00:00Z")
    client.force_login(support)
    assert "waiting@example.org" in client.get(reverse("accounts:support_requests")).content.decode()
    response = client.post(
        reverse("accounts:support_review", kwargs={"access_request_id": request.pk}), {"decision": "viewer"}
    )
    assert response.status_code == 302
    assert "Far School" in client.get(reverse("accounts:support_audit")).content.decode()


def test_navigation_shows_sign_in_or_the_account(client):
    assert "Sign in" in client.get("/").content.decode()
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    assert "Your account" in html and "Sign out" in html
