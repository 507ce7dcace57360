"""Any answers to the self-assessment's forms (Hypothesis, tests/hostile_forms.py): a question (a choice,
or "when did you last…" with a date), the phase question, a recommendation's progress, and sharing the
results or a recommendation by email; and, for a trust assessing together, the standard, the schools
and a question answered once for several schools. No server error; a refusal names the problem in the
error summary and writes nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schooltech.standards import selectors, services
from schooltech.standards.models import Recommendation
from schooltech.standards.tests.test_flow import complete, posted_answer, school_url
from schooltech.standards.tests.test_together import together_url
from tests.answers import WORST
from tests.hostile_forms import FORM_PROPERTY, each_example_alone, post_anything

pytestmark = pytest.mark.django_db

# Question pages are reached by following the start page's redirect, which tests/test_every_form_is_fuzzed.py
# cannot read from the source: the tests below that do so name the page here.
FUZZED_BY_FOLLOWING_REDIRECTS = {
    "standards:question": "test_any_answer_to_any_standard_s_first_question and the date question's test",
}


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


@pytest.fixture
def devices_done(editor_client, primary, catalogue):
    """The devices standard answered and submitted: its results, and recommendations, to share."""
    complete(editor_client, primary, "devices", WORST["devices"])


@FORM_PROPERTY
@given(data=st.data())
def test_any_email_sharing_the_results(editor_client, primary, devices_done, data):
    with each_example_alone():  # an accepted share queues an email the next example need not see
        post_anything(editor_client, school_url("results_share", primary, standard_key="devices"), data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_email_sharing_a_recommendation(editor_client, primary, devices_done, data):
    recommendation = Recommendation.objects.order_by("pk").first()
    with each_example_alone():
        post_anything(
            editor_client, school_url("recommendation_share", primary, recommendation_id=recommendation.pk), data
        )


# --- assessing together across a trust ---


@FORM_PROPERTY
@given(data=st.data())
def test_any_choice_of_the_standard_to_answer_together(director_client, trust, catalogue, data):
    with each_example_alone():  # an accepted choice begins answers the next example need not see
        post_anything(director_client, together_url("together_new", trust), data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_choice_of_the_schools_answered_for_together(director_client, director, trust, catalogue, data):
    shared = services.shared_assessment_start(trust=trust, standard_key="cabling", user=director)
    with each_example_alone():
        post_anything(director_client, together_url("together_schools", trust, shared_id=shared.pk), data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_answer_given_together_to_any_standard_s_first_question(
    director_client, director, trust_with_schools, standard_keys, data
):
    """Each example begins its own answers (kept: their address, with its id, is new each time)."""
    trust, schools = trust_with_schools
    standard_key = data.draw(st.sampled_from(standard_keys), label="standard")
    shared = services.shared_assessment_start(trust=trust, standard_key=standard_key, user=director)
    services.shared_assessment_schools_set(shared=shared, establishments=schools[:2], user=director)
    first = director_client.get(together_url("together_check", trust, shared_id=shared.pk))  # to the first question
    question_key = first["Location"].rstrip("/").split("/")[-1]
    post_anything(
        director_client,
        together_url("together_question", trust, shared_id=shared.pk, question_key=question_key),
        data,
    )
