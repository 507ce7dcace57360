"""Self-assessment answers are history-tracked: every answer saved keeps who, when and why, and the
audit trail says what changed in the question's and answer's own words."""

import pytest
from django.urls import reverse

from schooltech.accounts import audit
from schooltech.accounts.models import Role
from schooltech.standards import services
from schooltech.standards.models import Assessment
from schooltech.standards.tests.test_flow import complete, question_url
from tests.answers import BEST
from tests.factories import UserFactory, make_membership

pytestmark = pytest.mark.django_db


def test_every_answer_saved_is_kept_with_who_and_why(editor_client, editor, primary, catalogue):
    complete(editor_client, primary, "cabling", BEST["cabling"])
    assessment = Assessment.objects.get(establishment=primary, standard_key="cabling")
    history = list(assessment.history.order_by("history_id"))
    reasons = [record.history_change_reason for record in history]
    assert reasons[0] == "Self-assessment started"
    assert reasons[-1] == "Self-assessment submitted"
    assert reasons.count("Answered a question") == len(history[-1].answers)
    assert {record.history_user for record in history} == {editor}
    # The answers as they were after each page, so a change can be traced back.
    assert history[1].answers != history[-1].answers and len(history[1].answers) == 1


def test_the_trail_names_the_question_and_the_answers_before_and_after(editor_client, editor, primary, catalogue):
    complete(editor_client, primary, "cabling", BEST["cabling"])
    editor_client.post(reverse("standards:start", kwargs={"urn": primary.urn, "standard_key": "cabling"}))
    reassessment = Assessment.objects.get(establishment=primary, standard_key="cabling", state="in_progress")
    first = reassessment.standard.first_question
    question = reassessment.standard.questions.get(key=first)
    before, after = (
        question.answers.get(key=BEST["cabling"][first]),
        question.answers.exclude(key=BEST["cabling"][first]).exclude(key="dont_know").first(),
    )
    editor_client.post(question_url(primary, "cabling", first), {"answer": after.key})
    entries = audit.audit_entries(organisation=primary)
    change = next(e for e in entries if e.reason == "Answered a question")
    assert [(c.field, c.before, c.after) for c in change.changes] == [(question.text, before.text, after.text)]
    assert next(e for e in entries if e.reason == "Reassessment started").who == "Erin Editor"


def test_starting_an_assessment_is_recorded_with_who_started_it(primary, editor, catalogue):
    assessment = services.assessment_start(establishment=primary, standard_key="cabling", user=editor)
    record = assessment.history.get()
    assert record.history_user == editor and record.history_change_reason == "Self-assessment started"


def test_the_trail_keeps_a_questions_capitals(client, primary, catalogue):
    approver = UserFactory()
    make_membership(approver, primary, Role.APPROVER)
    assessment = services.assessment_start(establishment=primary, standard_key="cyber_security", user=approver)
    services.assessment_answers_record(assessment=assessment, answers={"rpa_member": "yes"}, user=approver)
    client.force_login(approver)
    page = client.get(reverse("accounts:audit", kwargs={"organisation": f"establishment-{primary.urn}"}))
    assert "Risk Protection Arrangement (RPA)" in page.content.decode()
