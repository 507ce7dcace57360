"""Any answers to the self-assessment's forms (Hypothesis, tests/hostile_forms.py): a question (a choice,
or "when did you last…" with a date), the phase question and a recommendation's progress. No server
error; a refusal names the problem in the error summary and writes nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schooltech.standards import selectors
from schooltech.standards.models import Recommendation
from schooltech.standards.tests.test_flow import complete, posted_answer, school_url
from tests.answers import WORST
from tests.hostile_forms import FORM_PROPERTY, each_example_alone, post_anything

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard_keys(catalogue):
    return [standard.key for standard in selectors.current_standards()]


@FORM_PROPERTY
@given(data=st.data())
def test_any_answer_to_any_standard_s_first_question(editor_client, primary, standard_keys, data):
    standard_key = data.draw(st.sampled_from(standard_keys), label="standard")
    with each_example_alone():  # a started assessment would resume elsewhere in the next example
        started = editor_client.post(school_url("start", primary, standard_key=standard_key))
        if "/questions/" in started["Location"]:
            post_anything(editor_client, started["Location"], data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_answer_to_the_phase_question(editor_client, primary, catalogue, data):
    post_anything(editor_client, school_url("phase", primary), data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_progress_on_a_recommendation(editor_client, primary, catalogue, data):
    if not Recommendation.objects.exists():
        complete(editor_client, primary, "devices", WORST["devices"])
    recommendation = Recommendation.objects.order_by("pk").first()
    post_anything(
        editor_client, school_url("recommendation_update", primary, recommendation_id=recommendation.pk), data
    )


@pytest.fixture
def date_question(editor_client, primary, standard_keys):
    """The first "when did you last…" question the pages ask, reached by answering the ones before it."""
    for standard_key in standard_keys:
        response = editor_client.post(school_url("start", primary, standard_key=standard_key))
        while "/questions/" in response["Location"]:
            url = response["Location"]
            if 'name="done_on-day"' in editor_client.get(url).content.decode():
                return url
            question_key = url.rstrip("/").split("/")[-1]
            response = editor_client.post(url, posted_answer(WORST[standard_key][question_key]))
    pytest.fail("No question asks for a date")


@FORM_PROPERTY
@given(data=st.data())
def test_any_answer_to_a_question_that_asks_for_a_date(editor_client, date_question, data):
    post_anything(editor_client, date_question, data)
