"""Any answers to the peer support forms (Hypothesis, tests/hostile_forms.py): a school's offer of help
and a request for it. No server error; a refusal names the problem in the error summary and writes
nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schooltech.peer.tests.conftest import REQUIREMENT, STANDARD, client_for
from tests.hostile_forms import FORM_PROPERTY, each_example_alone, post_anything

pytestmark = pytest.mark.django_db


@FORM_PROPERTY
@given(data=st.data())
@pytest.mark.parametrize("question", ["requirements", "requests", "schools", "note"])
def test_any_answer_to_each_question_of_an_offer_of_help(client, helper_school, helper_approver, question, data):
    client.force_login(helper_approver)
    offer = f"/schools/{helper_school.urn}/peer-support/offer"
    client.get(offer)  # starts the offer: its answers wait in the session
    post_anything(client, f"{offer}/{question}", data)
    post_anything(client, f"{offer}/{question}?check=1", data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_request_for_help(client, offer, helper_school, asker_school, asker_editor, data):
    client.force_login(asker_editor)
    url = f"/schools/{asker_school.urn}/peer-support/find/{STANDARD}/{REQUIREMENT}/ask/{helper_school.urn}"
    post_anything(client, url, data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_answer_to_a_request(help_request, helper_editor, data):
    # The answer form sits on the request's page and posts to /answer: its fields are named here.
    client = client_for(helper_editor)
    url = f"/schools/{help_request.helper.urn}/peer-support/requests/{help_request.pk}/answer"
    assert 'name="answer"' in client.get(url.removesuffix("/answer")).text
    with each_example_alone():
        post_anything(client, url, data, fields={"answer": ["accept", "decline"], "reason": []})


@FORM_PROPERTY
@given(data=st.data())
def test_any_feedback_on_help_that_was_done(help_request, asker_editor, helper_editor, data):
    helper, asker = client_for(helper_editor), client_for(asker_editor)
    request_path = f"peer-support/requests/{help_request.pk}"
    helper.post(f"/schools/{help_request.helper.urn}/{request_path}/answer", {"answer": "accept"})
    asker.post(f"/schools/{help_request.asker.urn}/{request_path}/done")
    assert 'name="helpful"' in asker.get(f"/schools/{help_request.asker.urn}/{request_path}/feedback").text
    with each_example_alone():
        post_anything(asker, f"/schools/{help_request.asker.urn}/{request_path}/feedback", data)
