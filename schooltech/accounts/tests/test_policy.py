import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from schooltech.accounts import policy
from schooltech.accounts.models import Membership, Role
from schooltech.organisations.models import Establishment
from schooltech.organisations.reference import DEPARTMENT, OrganisationRef
from tests.factories import (
    AcademyFactory,
    EstablishmentFactory,
    LocalAuthorityFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)

pytestmark = pytest.mark.django_db


class OwnedThing:
    """Stands in for a later app's model with an `establishment` foreign key."""

    def __init__(self, establishment):
        self.establishment = establishment


def test_school_member_may_view_own_school_but_not_another():
    school, other = EstablishmentFactory(), EstablishmentFactory()
    user = UserFactory()
    make_membership(user, school, Role.VIEWER)
    assert policy.can(user, "view", school)
    assert not policy.can(user, "view", other)


def test_viewer_may_not_edit_and_editor_may_not_manage_users():
    school = EstablishmentFactory()
    viewer, editor, approver = UserFactory(), UserFactory(), UserFactory()
    make_membership(viewer, school, Role.VIEWER)
    make_membership(editor, school, Role.EDITOR)
    make_membership(approver, school, Role.APPROVER)
    assert not policy.can(viewer, "edit", school)
    assert policy.can(editor, "edit", school)
    assert not policy.can(editor, "manage_users", school)
    assert policy.can(approver, "manage_users", school)
    assert policy.can(approver, "view_audit", school)


def test_trust_member_reaches_every_school_in_the_trust_and_no_other():
    trust = TrustFactory()
    academies = AcademyFactory.create_batch(3, trust=trust)
    outsider = AcademyFactory()
    user = UserFactory()
    make_membership(user, trust, Role.EDITOR)
    assert all(policy.can(user, "edit", academy) for academy in academies)
    assert not policy.can(user, "view", outsider)
    assert set(policy.establishments_for(user, "edit")) == set(academies)


def test_trust_approver_does_not_manage_a_schools_own_users():
    trust = TrustFactory()
    academy = AcademyFactory(trust=trust)
    user = UserFactory()
    make_membership(user, trust, Role.APPROVER)
    assert policy.can(user, "manage_users", trust)
    assert not policy.can(user, "manage_users", academy)


def test_local_authority_member_reaches_maintained_schools_only():
    camden, islington = LocalAuthorityFactory(code="202"), LocalAuthorityFactory(code="206")
    maintained = EstablishmentFactory(local_authority=camden)
    academy_in_camden = AcademyFactory(local_authority=camden)
    maintained_elsewhere = EstablishmentFactory(local_authority=islington)
    officer = UserFactory()
    make_membership(officer, camden, Role.VIEWER)
    assert policy.can(officer, "view", maintained)
    assert policy.can(officer, "view", camden)
    assert not policy.can(officer, "view", academy_in_camden)
    assert not policy.can(officer, "view", maintained_elsewhere)
    assert list(policy.establishments_for(officer, "view")) == [maintained]


def test_local_authority_member_reaches_its_maintained_special_schools_and_closed_schools():
    camden = LocalAuthorityFactory(code="202")
    community_special = EstablishmentFactory(local_authority=camden, type_group_code="5", type_code="7")
    non_maintained_special = EstablishmentFactory(local_authority=camden, type_group_code="5", type_code="8")
    closed = EstablishmentFactory(local_authority=camden, status=Establishment.Status.CLOSED)
    officer = UserFactory()
    make_membership(officer, camden, Role.EDITOR)
    assert policy.can(officer, "edit", community_special)
    assert policy.can(officer, "edit", closed)
    assert not policy.can(officer, "view", non_maintained_special)
    assert set(policy.establishments_for(officer, "edit")) == {community_special, closed}


def test_plans_are_approved_by_approvers_of_the_school_or_of_whoever_looks_after_it():
    camden = LocalAuthorityFactory(code="202")
    trust = TrustFactory()
    maintained = EstablishmentFactory(local_authority=camden)
    academy = AcademyFactory(trust=trust, local_authority=camden)
    approvers = {organisation: UserFactory() for organisation in (maintained, academy, trust, camden, DEPARTMENT)}
    for organisation, user in approvers.items():
        make_membership(user, organisation, Role.APPROVER)
    may_approve = {
        (organisation, school)
        for organisation, user in approvers.items()
        for school in (maintained, academy)
        if policy.can(user, "approve_plan", school)
    }
    assert may_approve == {(maintained, maintained), (academy, academy), (trust, academy), (camden, maintained)}


def test_editors_do_not_approve_plans_even_through_a_trust():
    trust = TrustFactory()
    academy = AcademyFactory(trust=trust)
    school_editor, trust_editor = UserFactory(), UserFactory()
    make_membership(school_editor, academy, Role.EDITOR)
    make_membership(trust_editor, trust, Role.EDITOR)
    assert policy.can(school_editor, "edit", academy) and policy.can(trust_editor, "edit", academy)
    assert not policy.can(school_editor, "approve_plan", academy)
    assert not policy.can(trust_editor, "approve_plan", academy)


def test_people_who_may_edit_a_school_include_its_trust_and_authority_editors_only():
    camden = LocalAuthorityFactory(code="202")
    trust = TrustFactory()
    academy = AcademyFactory(trust=trust, local_authority=camden)
    maintained = EstablishmentFactory(local_authority=camden)
    people = {name: UserFactory() for name in ("school", "trust", "camden", "viewer", "inactive", "department")}
    make_membership(people["school"], academy, Role.EDITOR)
    make_membership(people["trust"], trust, Role.APPROVER)
    make_membership(people["camden"], camden, Role.EDITOR)
    make_membership(people["viewer"], academy, Role.VIEWER)
    make_membership(people["inactive"], academy, Role.EDITOR)
    make_membership(people["department"], DEPARTMENT, Role.APPROVER)
    people["inactive"].is_active = False
    people["inactive"].save()
    assert set(policy.people_who_may("edit", academy)) == {people["school"], people["trust"]}
    assert set(policy.people_who_may("edit", maintained)) == {people["camden"]}
    assert set(policy.people_who_may("view", academy)) == {people["school"], people["trust"], people["viewer"]}


def test_department_analyst_sees_national_figures_but_no_school():
    school = EstablishmentFactory()
    analyst = UserFactory()
    make_membership(analyst, DEPARTMENT, Role.VIEWER)
    assert policy.can(analyst, "view", DEPARTMENT)
    assert not policy.can(analyst, "view", school)
    assert not policy.establishments_for(analyst, "view").exists()


def test_support_staff_see_every_audit_trail_but_no_school_data():
    school = EstablishmentFactory()
    support = UserFactory(is_staff=True)
    assert policy.can(support, "view_audit", school)
    assert not policy.can(support, "view", school)


def test_anonymous_and_inactive_users_may_do_nothing():
    school = EstablishmentFactory()
    inactive = UserFactory(is_active=False)
    make_membership(inactive, school, Role.APPROVER)
    assert not policy.can(AnonymousUser(), "view", school)
    assert not policy.can(inactive, "view", school)


def test_objects_owned_by_an_establishment_follow_their_establishment():
    school, other = EstablishmentFactory(), EstablishmentFactory()
    user = UserFactory()
    make_membership(user, school, Role.EDITOR)
    assert policy.can(user, "edit", OwnedThing(school))
    assert not policy.can(user, "view", OwnedThing(other))


def test_organisation_refs_are_resolved_and_missing_ones_refused():
    school = EstablishmentFactory()
    user = UserFactory()
    make_membership(user, school, Role.VIEWER)
    assert policy.can(user, "view", OrganisationRef.for_organisation(school))
    assert not policy.can(user, "view", OrganisationRef("establishment", "00000000"))


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        policy.can(UserFactory(), "delete_everything", EstablishmentFactory())


def test_filter_for_narrows_owned_rows_to_reachable_establishments():
    school, other = EstablishmentFactory(), EstablishmentFactory()
    user = UserFactory()
    make_membership(user, school, Role.VIEWER)
    make_membership(UserFactory(), other, Role.VIEWER)
    memberships = Membership.objects.filter(organisation_kind="establishment")
    assert memberships.count() == 2
    assert list(policy.filter_for(user, "view", memberships)) == list(memberships.filter(establishment=school))


# --- the view decorators ---


def _view(request, **kwargs):
    return HttpResponse(",".join(f"{key}={value}" for key, value in sorted(kwargs.items())))


def _request(user):
    request = RequestFactory().get("/somewhere")
    request.user = user
    return request


def test_requires_hands_the_view_the_resolved_organisation():
    school = EstablishmentFactory(name="Resolved School")
    user = UserFactory()
    make_membership(user, school, Role.VIEWER)
    view = policy.requires("view", organisation="organisation")(_view)
    response = view(_request(user), organisation=OrganisationRef.for_organisation(school))
    assert response.content.decode() == f"organisation=Resolved School ({school.urn})"


def test_requires_refuses_another_organisation_with_403_and_a_missing_one_with_404():
    school, other = EstablishmentFactory(), EstablishmentFactory()
    user = UserFactory()
    make_membership(user, school, Role.APPROVER)
    view = policy.requires("view", establishment="urn")(_view)
    with pytest.raises(PermissionDenied):
        view(_request(user), urn=other.urn)
    with pytest.raises(Http404):
        view(_request(user), urn="99999999")


def test_requires_sends_anonymous_users_to_sign_in():
    view = policy.requires("view", establishment="urn")(_view)
    response = view(_request(AnonymousUser()), urn="100000")
    assert response.status_code == 302
    assert "/oidc/authenticate/" in response["Location"]


def test_nested_object_from_another_organisation_is_not_found():
    school, other = EstablishmentFactory(), EstablishmentFactory()
    approver = UserFactory()
    make_membership(approver, school, Role.APPROVER)
    foreign = make_membership(UserFactory(), other, Role.VIEWER)
    own = make_membership(UserFactory(), school, Role.VIEWER)
    view = policy.requires("manage_users", organisation="organisation", objects={"membership_id": Membership})(_view)
    ref = OrganisationRef.for_organisation(school)
    with pytest.raises(Http404):
        view(_request(approver), organisation=ref, membership_id=foreign.pk)
    response = view(_request(approver), organisation=ref, membership_id=own.pk)
    assert f"membership={own}" in response.content.decode()


def test_object_without_organisation_kwarg_is_checked_against_its_owner():
    school, other = EstablishmentFactory(), EstablishmentFactory()
    approver = UserFactory()
    make_membership(approver, school, Role.APPROVER)
    foreign = make_membership(UserFactory(), other, Role.VIEWER)
    view = policy.requires("manage_users", objects={"membership_id": Membership})(_view)
    with pytest.raises(PermissionDenied):
        view(_request(approver), membership_id=foreign.pk)


def test_declarations_are_readable_by_the_isolation_test():
    view = policy.requires("edit", establishment="urn")(_view)
    assert view.access_rule.kind == "organisation"
    assert view.access_rule.establishment_kwarg == "urn"
    assert policy.public(_view).access_rule.kind == "public"


def test_staff_only_refuses_other_signed_in_users():
    view = policy.staff_only(_view)
    with pytest.raises(PermissionDenied):
        view(_request(UserFactory()))
    assert view(_request(UserFactory(is_staff=True))).status_code == 200
