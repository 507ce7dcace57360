"""Any answers to the training record form (Hypothesis, tests/hostile_forms.py): no server error; a
refusal names the problem in the error summary and writes nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile_forms import FORM_PROPERTY, post_anything

pytestmark = pytest.mark.django_db


@FORM_PROPERTY
@given(data=st.data())
def test_any_answers_to_the_record_form(editor_client, school, catalogues, data):
    post_anything(editor_client, f"/schools/{school.urn}/training/record", data)
