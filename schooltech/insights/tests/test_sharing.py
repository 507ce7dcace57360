"""A school's approver chooses what it shares with the department; the history is kept."""

import pytest
from django.test import Client

from schooltech.accounts.models import Role
from schooltech.insights import selectors, services
from schooltech.insights.models import SharingChoice
from schooltech.insights.sharing import NOTICE_VERSION
from tests.factories import TrustFactory, UserFactory, make_membership

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_school_that_never_chose_shares_nothing(school):
    assert selectors.current_sharing(establishment=school) is None
    assert not selectors.establishments_sharing(category="standards").exists()


def test_the_approver_reads_the_notice_and_chooses(school, approver):
    client = _client(approver)
    page = client.get(f"/schools/{school.urn}/sharing")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Your school shares nothing with the department." in body
    assert "at least 5 schools" in body and "never name a school" in body

    response = client.post(f"/schools/{school.urn}/sharing", {"shared": ["standards", "estate"]})

    assert response.status_code == 302
    choice = selectors.current_sharing(establishment=school)
    assert (choice.standards, choice.estate, choice.plans) == (True, True, False)
    assert (choice.chosen_by, choice.notice_version) == (approver, NOTICE_VERSION)
    assert list(selectors.establishments_sharing(category="standards")) == [school]
    assert not selectors.establishments_sharing(category="plans").exists()


def test_stopping_keeps_the_history_and_shares_nothing_from_then_on(school, approver):
    client = _client(approver)
    client.post(f"/schools/{school.urn}/sharing", {"shared": ["standards", "estate", "plans"]})
    client.post(f"/schools/{school.urn}/sharing", {})  # every box unticked: stop sharing

    assert SharingChoice.objects.filter(establishment=school).count() == 2
    assert not selectors.current_sharing(establishment=school).shares_anything
    for category in ("standards", "estate", "plans"):
        assert not selectors.establishments_sharing(category=category).exists()
    body = client.get(f"/schools/{school.urn}/sharing").content.decode()
    assert "standards results, estate figures, plan figures" in body  # the earlier choice, in the history
    assert "nothing shared" in body


def test_the_same_choice_again_adds_nothing_to_the_history(school, approver):
    for _ in range(2):
        services.sharing_choose(establishment=school, user=approver, standards=True, estate=False, plans=False)
    assert SharingChoice.objects.filter(establishment=school).count() == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_only_the_schools_own_approver_may_choose(school, role):
    member = UserFactory()
    make_membership(member, school, role)
    client = _client(member)
    assert "Only your school’s approvers can choose" in client.get(f"/schools/{school.urn}/sharing").content.decode()

    response = client.post(f"/schools/{school.urn}/sharing", {"shared": ["standards"]})

    assert response.status_code == 403
    assert not SharingChoice.objects.exists()


def test_a_trust_approver_sees_the_choice_but_cannot_make_it_for_the_school(school):
    trust = TrustFactory()
    school.trust = trust
    school.save()
    director = UserFactory()
    make_membership(director, trust, Role.APPROVER)
    client = _client(director)
    assert client.get(f"/schools/{school.urn}/sharing").status_code == 200

    assert client.post(f"/schools/{school.urn}/sharing", {"shared": ["standards"]}).status_code == 403
    assert not SharingChoice.objects.exists()


def test_another_schools_people_cannot_see_or_change_the_choice(school, other_school):
    outsider = UserFactory()
    make_membership(outsider, other_school, Role.APPROVER)
    client = _client(outsider)
    assert client.get(f"/schools/{school.urn}/sharing").status_code == 403
    assert client.post(f"/schools/{school.urn}/sharing", {"shared": ["standards"]}).status_code == 403
    assert not SharingChoice.objects.exists()


def test_an_unknown_choice_is_an_error_not_a_crash(school, approver):
    response = _client(approver).post(f"/schools/{school.urn}/sharing", {"shared": ["everything"]})
    assert response.status_code == 400
    assert "Select only the choices listed" in response.content.decode()
    assert not SharingChoice.objects.exists()


def test_shared_categories_reads_each_schools_latest_choice(school, other_school, approver):
    services.sharing_choose(establishment=school, user=approver, standards=True, estate=True, plans=False)
    services.sharing_choose(establishment=school, user=approver, standards=False, estate=True, plans=False)
    services.sharing_choose(establishment=other_school, user=None, standards=False, estate=False, plans=False)

    assert selectors.shared_categories(establishment_ids=[school.pk, other_school.pk]) == {school.pk: {"estate"}}
