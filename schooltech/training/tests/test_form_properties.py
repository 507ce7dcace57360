"""Any answers to the training forms (Hypothesis, tests/hostile_forms.py): a school's training record and
support's change to a course. No server error; a refusal names the problem in the error summary and
writes nothing."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from schooltech.training.tests.test_views import NCSC
from tests.factories import UserFactory
from tests.hostile_forms import FORM_PROPERTY, each_example_alone, post_anything

pytestmark = pytest.mark.django_db


@FORM_PROPERTY
@given(data=st.data())
def test_any_answers_to_the_record_form(editor_client, school, catalogues, data):
    post_anything(editor_client, f"/schools/{school.urn}/training/record", data)


@pytest.fixture
def support_client(client):
    client.force_login(UserFactory(email="support@dfe.example", is_staff=True))
    return client


@FORM_PROPERTY
@given(data=st.data())
def test_any_change_support_makes_to_a_course(support_client, catalogues, data):
    with each_example_alone():  # an accepted change would be the next example's starting point
        post_anything(support_client, reverse("training:course_change", kwargs={"course_key": NCSC}), data)
