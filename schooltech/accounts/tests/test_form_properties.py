"""Any answers to the accounts forms (Hypothesis, tests/hostile_forms.py): asking for access, reviewing
a request, inviting, changing a role, choosing an organisation, and making and revoking an API key.
No server error; a refusal names the problem in the error summary and writes nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schooltech.accounts import services
from schooltech.accounts.models import Membership, Role
from tests.factories import TrustFactory, UserFactory, make_access_request, make_membership
from tests.hostile_forms import FORM_PROPERTY, post_anything

pytestmark = pytest.mark.django_db


def _manage(school) -> str:
    return f"/manage/establishment-{school.urn}"


@FORM_PROPERTY
@given(data=st.data())
def test_any_reason_for_asking_for_access(client, school, data):
    client.force_login(UserFactory())
    post_anything(client, f"/account/request-access/establishment-{school.urn}", data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_review_of_an_access_request(client, approver, school, data):
    client.force_login(approver)
    access_request = make_access_request(UserFactory(), school)
    post_anything(client, f"{_manage(school)}/requests/{access_request.pk}", data)


@pytest.mark.parametrize("form_page", ["invite", "api-keys/new"])
@FORM_PROPERTY
@given(data=st.data())
def test_any_answers_to_an_approver_s_form(client, approver, school, form_page, data):
    client.force_login(approver)
    post_anything(client, f"{_manage(school)}/{form_page}", data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_change_of_role(client, approver, editor, school, data):
    client.force_login(approver)
    membership = Membership.objects.get(user=editor)
    post_anything(client, f"{_manage(school)}/users/{membership.pk}/role", data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_revocation_of_an_api_key(client, approver, school, data):
    client.force_login(approver)
    api_key, _ = services.api_key_create(actor=approver, organisation=school, name="Sync", role="viewer")
    post_anything(client, f"{_manage(school)}/api-keys/{api_key.pk}/revoke", data)


@pytest.fixture
def editor_of_two(editor):
    make_membership(editor, TrustFactory(), Role.VIEWER)
    return editor


@FORM_PROPERTY
@given(data=st.data())
def test_any_choice_of_organisation(client, editor_of_two, data):
    client.force_login(editor_of_two)
    post_anything(client, "/account/organisation", data)
