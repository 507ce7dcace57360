"""Any answers to the sharing form (Hypothesis, tests/hostile_forms.py): no server error; a refusal
names the problem in the error summary and writes nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile_forms import FORM_PROPERTY, post_anything

pytestmark = pytest.mark.django_db


@FORM_PROPERTY
@given(data=st.data())
def test_any_choice_of_what_to_share(client, approver, school, data):
    client.force_login(approver)
    post_anything(client, f"/schools/{school.urn}/sharing", data)
