"""Assess together across a trust: a trust answers a standard once for several of its schools; each
school gets its own assessment (marked as started from the trust's answers, and by whom), keeps its
own results and history, and can change its answers without touching any other school's."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from schooltech.accounts import audit
from schooltech.accounts.models import Role
from schooltech.demo import people as demo
from schooltech.notifications.models import OutboxMessage
from schooltech.organisations.reference import OrganisationRef
from schooltech.standards import selectors, services
from schooltech.standards.models import Assessment, SharedAssessment, Status
from schooltech.standards.tests.test_facts import facts_of
from schooltech.standards.tests.test_flow import posted_answer, question_url, school_url
from tests.answers import BEST, WORST
from tests.factories import AcademyFactory, LocalAuthorityFactory, TrustFactory, UserFactory, make_membership

pytestmark = pytest.mark.django_db


def together_url(name, trust, **kwargs):
    return reverse(f"standards:{name}", kwargs={"organisation": OrganisationRef.for_organisation(trust), **kwargs})


@pytest.fixture
def schools(trust_with_schools):
    return trust_with_schools[1]


def answer_together(client, trust, standard_key, schools, answers):
    """Choose the standard and the schools, answer each question the pages ask, and submit."""
    response = client.post(together_url("together_new", trust), {"standard": standard_key})
    assert response.status_code == 302, response.content.decode()[:2000]
    shared = SharedAssessment.objects.filter(trust=trust).latest("pk")
    assert response["Location"] == together_url("together_schools", trust, shared_id=shared.pk)
    assert client.get(response["Location"]).status_code == 200
    response = client.post(response["Location"], {"schools": [school.urn for school in schools]})
    assert response.status_code == 302, response.content.decode()[:2000]
    while "/questions/" in response["Location"]:
        question_key = response["Location"].rstrip("/").split("/")[-1]
        assert client.get(response["Location"]).status_code == 200
        response = client.post(response["Location"], posted_answer(answers[question_key]))
        assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == together_url("together_check", trust, shared_id=shared.pk)
    check = client.get(response["Location"]).content.decode()
    assert all(school.name in check for school in schools)
    response = client.post(response["Location"])
    assert response["Location"] == together_url("together_done", trust, shared_id=shared.pk)
    shared.refresh_from_db()
    return shared, client.get(response["Location"]).content.decode()


def test_a_trust_answers_once_and_each_chosen_school_gets_its_own_results(
    director_client, director, trust, schools, catalogue
):
    chosen, left_out = schools[:3], schools[3]
    school_editor, left_out_editor = UserFactory(email="it@chosen.example"), UserFactory(email="it@left.example")
    make_membership(school_editor, chosen[0], Role.EDITOR)
    make_membership(left_out_editor, left_out, Role.APPROVER)
    shared, done = answer_together(director_client, trust, "cabling", chosen, BEST["cabling"])
    # Only the chosen schools' own people are told, through the outbox, with a link to the standard.
    emails = list(OutboxMessage.objects.filter(template_key="standards_answered_together"))
    assert [m.to_email for m in emails] == ["it@chosen.example"]
    assert emails[0].personalisation["organisation_name"] == chosen[0].name
    assert emails[0].personalisation["person_name"] == "Grace Director"
    assert emails[0].personalisation["standard_url"].endswith(f"/schools/{chosen[0].urn}/standards/cabling")
    assert shared.state == SharedAssessment.State.APPLIED
    assert "Network cabling: answers shared" in done and "With 3 of 3 schools" in done
    for school in chosen:
        assert school.name in done
        latest = selectors.latest_submitted(establishment=school, standard_key="cabling")
        assert latest.shared_from == shared
        assert latest.started_by == director and latest.submitted_by == director
        assert latest.overall_status == Status.MEETS
        assert latest.answers == BEST["cabling"]
    assert left_out.name not in done
    assert not Assessment.objects.filter(establishment=left_out).exists()
    # Each school's results say where its answers came from, and that they are its own.
    results = director_client.get(school_url("results", chosen[0], standard_key="cabling")).content.decode()
    assert "Started from the answers Test Learning Trust gave for several of its schools, by Grace Director" in results
    # The trust sees what it answered together.
    page = director_client.get(together_url("together", trust)).content.decode()
    assert "Network cabling" in page and "Shared" in page


def test_a_schools_later_change_touches_no_other_school_and_history_keeps_both(
    client, director_client, trust, schools, catalogue
):
    first, second = schools[:2]
    shared, _ = answer_together(director_client, trust, "cabling", [first, second], BEST["cabling"])
    head = UserFactory(email="it@academy00.example")
    make_membership(head, first, Role.EDITOR)
    client.force_login(head)
    response = client.post(school_url("start", first, standard_key="cabling"))  # reassess: starts from its answers
    assert response["Location"] == school_url("check", first, standard_key="cabling")
    client.post(question_url(first, "cabling", "copper"), {"answer": WORST["cabling"]["copper"]})
    client.post(school_url("check", first, standard_key="cabling"))
    adjusted = selectors.latest_submitted(establishment=first, standard_key="cabling")
    assert adjusted.shared_from is None and adjusted.submitted_by == head
    assert adjusted.answers["copper"] == WORST["cabling"]["copper"]
    history = list(selectors.assessment_history(establishment=first, standard_key="cabling"))
    assert [a.shared_from_id for a in history] == [None, shared.pk]  # newest first: its own, then the trust's
    untouched = selectors.latest_submitted(establishment=second, standard_key="cabling")
    assert untouched.shared_from == shared and untouched.answers == BEST["cabling"]
    assert untouched.overall_status == Status.MEETS
    shared.refresh_from_db()
    assert shared.answers == BEST["cabling"]
    # The trust's answers and each school's start are in the audit trails, with who and why.
    started = next(e for e in audit.audit_entries(organisation=second) if e.reason.startswith("Started from"))
    assert started.who == "Grace Director" and "Test Learning Trust" in started.reason
    assert [r.history_change_reason for r in shared.history.order_by("history_id")][-1] == "Shared with 2 of 2 schools"
    trust_trail = audit.audit_entries(organisation=trust, include_schools=True)
    shared_entry = next(e for e in trust_trail if e.reason == "Shared with 2 of 2 schools")
    assert shared_entry.who == "Grace Director" and shared_entry.organisation == "Test Learning Trust"
    assert ("State", "In progress", "Shared with the schools") in [
        (c.field.capitalize(), c.before, c.after) for c in shared_entry.changes
    ]
    assert any(e.reason == "Answered a question together" for e in trust_trail)
    results = director_client.get(school_url("results", first, standard_key="cabling")).content.decode()
    assert "(answered together with the school’s trust)" in results


def test_each_school_sees_only_its_own_assessment(client, director_client, trust, schools, catalogue):
    first, second = schools[:2]
    answer_together(director_client, trust, "cabling", [first, second], BEST["cabling"])
    editor = UserFactory()
    make_membership(editor, first, Role.EDITOR)
    client.force_login(editor)
    assert client.get(school_url("results", first, standard_key="cabling")).status_code == 200
    assert client.get(school_url("results", second, standard_key="cabling")).status_code == 403
    other = Assessment.objects.get(establishment=second)
    assert client.get(school_url("assessment", first, assessment_id=other.pk)).status_code == 404
    # A school's people cannot use the trust's pages.
    assert client.get(together_url("together", trust)).status_code == 403
    shared = SharedAssessment.objects.get()
    assert client.get(together_url("together_done", trust, shared_id=shared.pk)).status_code == 403


def test_a_trust_cannot_answer_for_a_school_it_does_not_look_after(
    director_client, director, trust, schools, catalogue
):
    outsider = AcademyFactory(name="Somebody Else's Academy", phase_code="4")
    shared = services.shared_assessment_start(trust=trust, standard_key="cabling", user=director)
    url = together_url("together_schools", trust, shared_id=shared.pk)
    page = director_client.post(url, {"schools": [schools[0].urn, outsider.urn]})
    assert page.status_code == 200 and "Select only schools from the list" in page.content.decode()
    assert "Somebody Else" not in director_client.get(url).content.decode()  # not even offered
    assert not shared.establishments.exists()
    with pytest.raises(services.AssessmentError):
        services.shared_assessment_schools_set(shared=shared, establishments=[outsider], user=director)
    # A school that left the trust after being chosen is left out when the answers are shared.
    services.shared_assessment_schools_set(shared=shared, establishments=schools[:2], user=director)
    for key, answer in BEST["cabling"].items():
        services.shared_assessment_answer(shared=shared, question_key=key, answer_key=answer, user=director)
    schools[1].trust = TrustFactory()
    schools[1].save()
    shared = services.shared_assessment_apply(shared=shared, user=director)
    outcomes = {o.establishment: o for o in selectors.shared_outcomes(shared=shared)}
    assert outcomes[schools[0]].outcome == SharedAssessment.Outcome.SUBMITTED
    assert outcomes[schools[1]].outcome == SharedAssessment.Outcome.NOT_STARTED
    assert "no longer looks after it" in outcomes[schools[1]].reason
    assert not Assessment.objects.filter(establishment=schools[1]).exists()


def test_only_editors_and_approvers_of_the_trust_answer_together(client, trust, schools, catalogue):
    viewer = UserFactory()
    make_membership(viewer, trust, Role.VIEWER)
    other_trust = TrustFactory()
    other_director = UserFactory()
    make_membership(other_director, other_trust, Role.APPROVER)
    client.force_login(viewer)
    assert client.get(together_url("together", trust)).status_code == 403
    assert client.post(together_url("together_new", trust), {"standard": "cabling"}).status_code == 403
    client.force_login(other_director)
    assert client.get(together_url("together", trust)).status_code == 403
    # Another trust's answers under its own address are not found.
    shared = services.shared_assessment_start(trust=trust, standard_key="cabling", user=None)
    assert client.get(together_url("together_schools", other_trust, shared_id=shared.pk)).status_code == 404
    # Schools and local authorities do not answer together.
    head = UserFactory()
    make_membership(head, schools[0], Role.APPROVER)
    client.force_login(head)
    assert client.get(together_url("together", schools[0])).status_code == 404
    assert SharedAssessment.objects.count() == 1


def test_a_school_with_an_assessment_in_progress_is_left_as_it_is(director, trust, schools, catalogue):
    busy, free = schools[:2]
    own = services.assessment_start(establishment=busy, standard_key="cabling", user=None)
    services.assessment_answer(assessment=own, question_key="copper", answer_key="older", user=None)
    shared = services.shared_assessment_start(trust=trust, standard_key="cabling", user=director)
    services.shared_assessment_schools_set(shared=shared, establishments=[busy, free], user=director)
    for key, answer in BEST["cabling"].items():
        services.shared_assessment_answer(shared=shared, question_key=key, answer_key=answer, user=director)
    shared = services.shared_assessment_apply(shared=shared, user=director)
    outcomes = {o.establishment: o for o in selectors.shared_outcomes(shared=shared)}
    assert outcomes[busy].outcome == SharedAssessment.Outcome.NOT_STARTED and "in progress" in outcomes[busy].reason
    own.refresh_from_db()
    assert own.answers == {"copper": "older"} and own.shared_from is None
    assert outcomes[free].outcome == SharedAssessment.Outcome.SUBMITTED


def test_a_schools_registers_answer_its_own_questions(client, director, trust, schools, catalogue, fake_registers):
    """The trust's answers ask every question; a school's registers still answer for it, and where
    they lead to questions the trust did not answer, the school's assessment waits for them."""
    on_copper, on_fibre = schools[:2]
    fake_registers.facts[on_fibre.urn] = facts_of(broadband__primary_technology="fttp")
    shared = services.shared_assessment_start(trust=trust, standard_key="broadband", user=director)
    services.shared_assessment_schools_set(shared=shared, establishments=[on_copper, on_fibre], user=director)
    for key in ("technology", "backup", "filtering"):  # copper skips the speed questions
        services.shared_assessment_answer(
            shared=shared, question_key=key, answer_key=WORST["broadband"][key], user=director
        )
    shared = services.shared_assessment_apply(shared=shared, user=director)
    outcomes = {o.establishment: o for o in selectors.shared_outcomes(shared=shared)}
    assert outcomes[on_copper].outcome == SharedAssessment.Outcome.SUBMITTED
    assert outcomes[on_fibre].outcome == SharedAssessment.Outcome.STARTED
    waiting = selectors.assessment_in_progress(establishment=on_fibre, standard_key="broadband")
    assert waiting.shared_from == shared and waiting.pk == outcomes[on_fibre].assessment_id
    editor = UserFactory()
    make_membership(editor, on_fibre, Role.EDITOR)
    client.force_login(editor)
    page = client.get(school_url("standard", on_fibre, standard_key="broadband")).content.decode()
    assert "started from the answers Test Learning Trust gave" in page and "Continue your assessment" in page
    response = client.post(school_url("start", on_fibre, standard_key="broadband"))
    assert response["Location"] == question_url(on_fibre, "broadband", "download")  # the one it has to answer


def test_the_trust_pages_reuse_the_question_pages_and_refuse_bad_input(
    director_client, director, trust, schools, catalogue
):
    page = director_client.post(together_url("together_new", trust), {"standard": "<script>x</script>"})
    assert page.status_code == 200 and "Select a standard" in page.content.decode()
    assert director_client.post(together_url("together_new", trust), {}).status_code == 200
    shared = services.shared_assessment_start(trust=trust, standard_key="cabling", user=director)
    schools_url = together_url("together_schools", trust, shared_id=shared.pk)
    for bad in ({}, {"schools": ""}, {"schools": ["x" * 5000]}, {"schools": ["\x00"]}):
        page = director_client.post(schools_url, bad)
        assert page.status_code == 200 and "There is a problem" in page.content.decode()
    # No schools chosen yet: the questions wait for them.
    question = together_url("together_question", trust, shared_id=shared.pk, question_key="copper")
    assert director_client.get(question)["Location"] == schools_url
    director_client.post(schools_url, {"schools": [schools[0].urn]})
    body = director_client.get(question).content.decode()
    assert "Test Learning Trust, for 1 school" in body and "Save and come back later" in body
    for bad in ({}, {"answer": "not-an-answer"}, {"answer": "x" * 10000}):
        page = director_client.post(question, bad)
        assert page.status_code == 200 and "Select an answer" in page.content.decode()
    off_path = together_url("together_question", trust, shared_id=shared.pk, question_key="warranty")
    assert director_client.get(off_path)["Location"] == question  # not yet on the path
    missing = together_url("together_question", trust, shared_id=999999, question_key="copper")
    assert director_client.get(missing).status_code == 404
    # Submitting before every question is answered goes back to the next question.
    check = together_url("together_check", trust, shared_id=shared.pk)
    assert director_client.post(check)["Location"] == question
    later = director_client.post(question, {"answer": "cat6a", "later": "1"})
    assert later["Location"] == together_url("together", trust)
    shared.refresh_from_db()
    assert shared.answers == {"copper": "cat6a"} and shared.state == SharedAssessment.State.IN_PROGRESS


def test_the_demo_trusts_approver_answers_together_for_several_schools(client, catalogue):
    """After `make data`, Grace Lee (Partnership Learning's approver) can answer for its schools."""
    camden = LocalAuthorityFactory(code="202", name="Camden")
    demo_trust = TrustFactory(uid=demo.DEMO_TRUST_UID, name=demo.DEMO_TRUST_NAME)
    academies = AcademyFactory.create_batch(4, trust=demo_trust, local_authority=camden, phase_code="4")
    call_command("load_demo_accounts", stdout=None)
    grace = UserFactory._meta.model.objects.get(email="grace.lee@partnership-learning.example")
    client.force_login(grace)
    shared, done = answer_together(client, demo_trust, "cabling", academies[:3], BEST["cabling"])
    assert "With 3 of 3 schools" in done
    assert Assessment.objects.filter(shared_from=shared, started_by=grace).count() == 3
