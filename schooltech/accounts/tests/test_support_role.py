"""The support role: the admin permissions its job needs and no more, and support pages that link
to each other and to the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from schooltech.accounts import services
from schooltech.accounts.models import Membership, Role
from schooltech.accounts.support import SUPPORT_GROUP, SUPPORT_PERMISSIONS, support_group_sync
from tests.factories import EstablishmentFactory, UserFactory, make_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_user():
    return services.person_upsert(
        username="sam",
        email="sam.support@education.example",
        first_name="Sam",
        last_name="Support",
        is_staff=True,
        issuer="test",
        subject="sam",
    )


@pytest.fixture
def support(client, support_user):
    client.force_login(support_user)
    return client


def test_migrate_makes_the_support_group_with_exactly_its_permissions():
    group = Group.objects.get(name=SUPPORT_GROUP)
    have = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    want = {f"{app}.{codename}" for app, codenames in SUPPORT_PERMISSIONS.items() for codename in codenames}
    assert have == want
    group.permissions.clear()
    assert support_group_sync().permissions.count() == len(want)  # safe to run again; repairs the group


def test_support_staff_join_the_group_and_no_one_else_does(support_user):
    assert support_user.groups.filter(name=SUPPORT_GROUP).exists()
    other = services.person_upsert(
        username="kim", email="kim@example.org", first_name="K", last_name="L", is_staff=False, issuer="t", subject="k"
    )
    assert not other.groups.exists()


def test_the_support_pages_link_to_each_other_and_to_the_admin(support):
    links = [
        reverse("accounts:support"),
        reverse("accounts:support_requests"),
        reverse("notifications:outbox"),
        reverse("accounts:support_audit"),
        reverse("admin:index"),
    ]
    for page in links[:4]:
        response = support.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        for link in links:
            assert f'href="{link}"' in html, (page, link)
    assert f'href="{reverse("accounts:support")}"' in support.get(reverse("accounts:account")).content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "admin:index",
        "admin:accounts_accessrequest_changelist",
        "admin:accounts_membership_changelist",
        "admin:accounts_invitation_changelist",
        "admin:auth_user_changelist",
        "admin:organisations_establishment_changelist",
        "admin:planning_buyingroute_changelist",
        "admin:peer_offer_changelist",
        "admin:peer_helprequest_changelist",
        "admin:notifications_share_changelist",
    ],
)
def test_support_can_see_what_its_job_needs_in_the_admin(support, name):
    assert support.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "admin:estate_asset_changelist",
        "admin:estate_contract_changelist",
        "admin:planning_plan_changelist",
        "admin:auth_group_changelist",
        "admin:organisations_establishment_add",
        "admin:accounts_accessrequest_add",
        "admin:auth_user_add",
        "admin:peer_offer_add",
    ],
)
def test_support_cannot_reach_school_data_or_add_what_is_not_its_job(support, name):
    assert support.get(reverse(name)).status_code == 403


def test_support_cannot_edit_organisations_users_or_access_requests(support, support_user):
    school = EstablishmentFactory(name="Old Name School")
    response = support.post(reverse("admin:organisations_establishment_change", args=[school.pk]), {"name": "Renamed"})
    assert response.status_code == 403
    school.refresh_from_db()
    assert school.name == "Old Name School"
    other = UserFactory()
    response = support.post(reverse("admin:auth_user_change", args=[other.pk]), {"is_superuser": "on"})
    other.refresh_from_db()
    assert not other.is_superuser and response.status_code in {200, 403}
    assert "Save" not in response.content.decode() or response.status_code == 403


def test_support_gives_department_roles_but_not_to_itself(support, support_user):
    analyst = UserFactory()
    data = {"user": analyst.pk, "organisation_kind": "department", "role": Role.VIEWER, "source": "service"}
    support.post(reverse("admin:accounts_membership_add"), data)
    assert Membership.objects.filter(user=analyst, organisation_kind="department").exists()
    school = EstablishmentFactory()
    own = make_membership(support_user, school, Role.VIEWER)
    response = support.post(
        reverse("admin:accounts_membership_change", args=[own.pk]),
        {**data, "user": support_user.pk, "role": Role.APPROVER},
    )
    own.refresh_from_db()
    assert own.role == Role.VIEWER
    response = support.post(reverse("admin:accounts_membership_add"), {**data, "user": support_user.pk})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=support_user, organisation_kind="department").exists()


def test_only_staff_reach_the_support_home(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:support")).status_code == 403
