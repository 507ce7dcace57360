"""The self-assessment through the pages: one question per page, branching, save and come back,
check answers, submit, results, "I don't know", the phase question, and reassessing with history."""

import pytest
from django.urls import reverse
from django.utils import timezone

from schooltech.standards import selectors
from schooltech.standards.models import Assessment, Recommendation, SchoolPhase, Status
from tests.answers import BEST, WORST

pytestmark = pytest.mark.django_db


def school_url(name, establishment, **kwargs):
    return reverse(f"standards:{name}", kwargs={"urn": establishment.urn, **kwargs})


def question_url(establishment, standard_key, question_key):
    return school_url("question", establishment, standard_key=standard_key, question_key=question_key)


def posted_answer(answer_key):
    """The form data for an answer; a "when did you last…" answered in time is given as today's date."""
    if answer_key == "in_time":
        today = timezone.localdate()
        return {"answer": "on_date", "done_on-day": today.day, "done_on-month": today.month, "done_on-year": today.year}
    return {"answer": answer_key}


def complete(client, establishment, standard_key, answers):
    """Start, answer each question the pages ask (following the redirects), then submit."""
    response = client.post(school_url("start", establishment, standard_key=standard_key))
    asked = []
    while "/questions/" in response["Location"]:
        question_key = response["Location"].rstrip("/").split("/")[-1]
        asked.append(question_key)
        assert client.get(response["Location"]).status_code == 200
        response = client.post(response["Location"], posted_answer(answers[question_key]))
        assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == school_url("check", establishment, standard_key=standard_key)
    assert client.get(response["Location"]).status_code == 200
    response = client.post(response["Location"])
    assert response["Location"] == school_url("results", establishment, standard_key=standard_key)
    return asked


def test_a_school_completes_all_twelve_assessments(editor_client, primary, catalogue):
    for standard in selectors.current_standards():
        complete(editor_client, primary, standard.key, BEST[standard.key])
        page = editor_client.get(school_url("results", primary, standard_key=standard.key))
        assert page.status_code == 200
        assert "Meets" in page.content.decode()
    overview = selectors.school_overview(establishment=primary)
    assert overview.assessed == 12 and overview.meeting == 12 and overview.core_meeting == 6
    body = editor_client.get(school_url("overview", primary)).content.decode()
    assert "You have assessed 12 of 12 standards and meet 12" in body


def test_the_questions_follow_the_branches(editor_client, primary, catalogue):
    asked = complete(editor_client, primary, "cyber_security", WORST["cyber_security"])
    assert "backup_copies" not in asked and "restore_test" not in asked
    asked_again = complete(editor_client, primary, "servers_storage", {"has_servers": "none"})
    assert asked_again == ["has_servers"]


def test_one_question_per_page_with_a_back_link_and_i_dont_know(editor_client, primary, catalogue):
    response = editor_client.post(school_url("start", primary, standard_key="broadband"))
    assert response["Location"] == question_url(primary, "broadband", "technology")
    body = editor_client.get(response["Location"]).content.decode()
    assert body.count('type="radio"') == 4
    assert "I don&#39;t know" in body or "I don't know" in body
    assert school_url("standard", primary, standard_key="broadband") in body  # back to the standard
    editor_client.post(response["Location"], {"answer": "full_fibre"})
    second = editor_client.get(question_url(primary, "broadband", "download")).content.decode()
    assert question_url(primary, "broadband", "technology") in second  # back to the previous question


def test_choosing_nothing_shows_the_error_summary_and_saves_nothing(editor_client, primary, catalogue):
    editor_client.post(school_url("start", primary, standard_key="broadband"))
    response = editor_client.post(question_url(primary, "broadband", "technology"), {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "govuk-error-summary" in body and 'href="#id_answer"' in body and "Select an answer" in body
    assert Assessment.objects.get().answers == {}


def test_an_answer_that_is_not_offered_is_refused(editor_client, primary, catalogue):
    editor_client.post(school_url("start", primary, standard_key="broadband"))
    response = editor_client.post(question_url(primary, "broadband", "technology"), {"answer": "carrier_pigeon"})
    assert response.status_code == 200 and "Select an answer" in response.content.decode()
    assert Assessment.objects.get().answers == {}


def test_a_question_off_the_path_cannot_be_answered(editor_client, primary, catalogue):
    editor_client.post(school_url("start", primary, standard_key="broadband"))
    response = editor_client.post(question_url(primary, "broadband", "filtering"), {"answer": "all"})
    assert response["Location"] == question_url(primary, "broadband", "technology")
    assert Assessment.objects.get().answers == {}


def test_save_and_come_back_later(editor_client, primary, catalogue):
    editor_client.post(school_url("start", primary, standard_key="wireless"))
    response = editor_client.post(question_url(primary, "wireless", "coverage"), {"answer": "mostly", "later": "1"})
    assert response["Location"] == school_url("overview", primary)
    overview = editor_client.get(response["Location"]).content.decode()
    assert "Your answers to Wireless network are saved" in overview and "In progress" in overview
    # Coming back continues at the first unanswered question, with earlier answers kept.
    response = editor_client.post(school_url("start", primary, standard_key="wireless"))
    assert response["Location"] == question_url(primary, "wireless", "equipment")
    assert Assessment.objects.get().answers == {"coverage": "mostly"}


def test_check_answers_lists_every_answer_with_change_links_and_changing_returns_to_check(
    editor_client, primary, catalogue
):
    answers = BEST["cabling"]
    editor_client.post(school_url("start", primary, standard_key="cabling"))
    for key in ("copper", "buildings", "warranty"):
        editor_client.post(question_url(primary, "cabling", key), {"answer": answers[key]})
    body = editor_client.get(school_url("check", primary, standard_key="cabling")).content.decode()
    assert "Category 6A throughout" in body and "By fibre optic cable" in body
    assert body.count(">Change<") == 3
    response = editor_client.post(question_url(primary, "cabling", "copper"), {"answer": "older"})
    assert response["Location"] == school_url("check", primary, standard_key="cabling")


def test_check_answers_before_finishing_goes_to_the_next_question(editor_client, primary, catalogue):
    editor_client.post(school_url("start", primary, standard_key="cabling"))
    response = editor_client.get(school_url("check", primary, standard_key="cabling"))
    assert response["Location"] == question_url(primary, "cabling", "copper")


def test_results_show_statuses_reasons_and_recommendations(editor_client, primary, catalogue):
    complete(editor_client, primary, "broadband", WORST["broadband"])
    body = editor_client.get(school_url("results", primary, standard_key="broadband")).content.decode()
    assert "Does not meet" in body
    assert "You answered: Fibre to the cabinet, ADSL or another copper line" in body
    assert "Use a full-fibre connection" in body
    assert Recommendation.objects.filter(establishment=primary, standard_key="broadband").count() == 4


def test_i_dont_know_leads_to_a_recommendation_to_find_out_and_who_to_ask(editor_client, primary, catalogue):
    complete(editor_client, primary, "broadband", {**BEST["broadband"], "backup": "dont_know"})
    find_out = Recommendation.objects.get(kind=Recommendation.Kind.FIND_OUT)
    assert find_out.title == "Find out: If your main connection fails, does a second connection take over?"
    assert find_out.who == "Your IT support provider"
    assert find_out.requirement_key == "backup_connection"
    assessment = selectors.latest_submitted(establishment=primary, standard_key="broadband")
    backup = next(r for r in assessment.results if r["requirement"] == "backup_connection")
    assert backup["status"] == Status.NOT_ASSESSED


def test_reassessing_keeps_the_history_and_updates_recommendations(editor_client, primary, catalogue):
    complete(editor_client, primary, "accessibility", WORST["accessibility"])
    first = selectors.latest_submitted(establishment=primary, standard_key="accessibility")
    recommendation = Recommendation.objects.get(requirement_key="policy")
    editor_client.post(
        school_url("recommendation_update", primary, recommendation_id=recommendation.pk),
        {"progress": "in_progress", "notes": "Draft with the SENCo"},
    )
    # A reassessment starts from the previous answers: straight to check answers.
    response = editor_client.post(school_url("start", primary, standard_key="accessibility"))
    assert response["Location"] == school_url("check", primary, standard_key="accessibility")
    editor_client.post(question_url(primary, "accessibility", "features"), {"answer": "yes"})
    editor_client.post(school_url("check", primary, standard_key="accessibility"))
    history = list(selectors.assessment_history(establishment=primary, standard_key="accessibility"))
    assert [a.pk for a in history][1] == first.pk and len(history) == 2
    assert history[0].overall_status == Status.PARTLY and first.overall_status == Status.DOES_NOT_MEET
    recommendation.refresh_from_db()
    assert recommendation.is_active and recommendation.progress == "in_progress"  # progress kept
    features = Recommendation.objects.get(requirement_key="features")
    assert not features.is_active  # now met
    assert features.history.first().history_change_reason.startswith("No longer needed")
    past = editor_client.get(school_url("assessment", primary, assessment_id=first.pk)).content.decode()
    assert "earlier assessment" in past


def test_a_school_without_a_gias_phase_is_asked_once_which_thresholds_apply(editor_client, primary, catalogue):
    primary.phase_code = "0"
    primary.save()
    response = editor_client.post(school_url("start", primary, standard_key="broadband"))
    assert response["Location"] == school_url("phase", primary) + "?standard=broadband"
    error = editor_client.post(response["Location"], {})
    assert "Select which thresholds apply to your school" in error.content.decode()
    response = editor_client.post(response["Location"], {"phase_group": "secondary"})
    assert response["Location"] == school_url("standard", primary, standard_key="broadband")
    assert SchoolPhase.objects.get(establishment=primary).phase_group == "secondary"
    response = editor_client.post(school_url("start", primary, standard_key="broadband"))
    assert "/questions/technology" in response["Location"]
    assert Assessment.objects.get().phase_group == "secondary"


def test_standards_without_phase_thresholds_do_not_ask_the_phase(editor_client, primary, catalogue):
    primary.phase_code = "0"
    primary.save()
    response = editor_client.post(school_url("start", primary, standard_key="cabling"))
    assert "/questions/copper" in response["Location"]


def test_viewers_see_results_but_cannot_answer(client, viewer, primary, catalogue):
    client.force_login(viewer)
    assert client.get(school_url("standard", primary, standard_key="broadband")).status_code == 200
    assert (
        "Start the assessment"
        not in client.get(school_url("standard", primary, standard_key="broadband")).content.decode()
    )
    assert client.post(school_url("start", primary, standard_key="broadband")).status_code == 403
    assert client.get(question_url(primary, "broadband", "technology")).status_code == 403
    assert not Assessment.objects.exists()


def test_other_schools_are_refused(editor_client, secondary, catalogue):
    assert editor_client.get(school_url("overview", secondary)).status_code == 403
    assert editor_client.post(school_url("start", secondary, standard_key="broadband")).status_code == 403


def test_an_unknown_standard_is_not_found(editor_client, primary, catalogue):
    assert editor_client.get(school_url("standard", primary, standard_key="teleportation")).status_code == 404
    assert editor_client.post(school_url("start", primary, standard_key="teleportation")).status_code == 404
