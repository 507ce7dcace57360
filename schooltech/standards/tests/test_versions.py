"""Catalogue versions that do not punish schools: answers to unchanged questions carry over to a new
version (same key and fingerprint), only new or changed questions are asked again, unfinished
assessments move to the new version, and results say what changed since they were judged."""

import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse

from schooltech.standards import questionnaire, selectors, services
from schooltech.standards.catalogue import CATALOGUE_DIR, question_fingerprint, read_catalogue
from schooltech.standards.models import Assessment, Question
from tests.answers import BEST

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_version(tmp_path):
    """A copy of the catalogue as the next version: broadband's download question reworded, and a new question."""
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, directory)
    edit(directory / "catalogue.yaml", 'label: "2026.2"', 'label: "2026.3"')
    broadband = directory / "standards" / "broadband.yaml"
    edit(broadband, "What download speed is your main connection contracted to give?", CHANGED_TEXT)
    edit(broadband, LAST_QUESTION_END, LAST_QUESTION_END + "    next: guest_filtering\n")
    broadband.write_text(broadband.read_text(encoding="utf-8") + NEW_QUESTION, encoding="utf-8")
    return directory


CHANGED_TEXT = "What download speed do you pay for?"
LAST_QUESTION_END = "    who_to_ask: your IT support provider or designated safeguarding lead\n"
NEW_QUESTION = """  - key: guest_filtering
    topic: Security
    text: Does guest wifi go through the same filtering?
    who_to_ask: your IT support provider
    answers:
      - key: "yes"
        text: "Yes"
        effects: {filtering_firewall: meets}
      - key: "no"
        text: "No"
        effects: {filtering_firewall: partly}
"""


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def submitted(school, standard_key, answers):
    assessment = services.assessment_start(establishment=school, standard_key=standard_key, user=None)
    assessment.answers = answers
    assessment.save()
    return services.assessment_submit(assessment=assessment, user=None)


def test_the_fingerprint_covers_what_was_asked_and_its_options_but_not_scoring():
    asked = question_fingerprint("Is it fast?", "Check the contract.", [("yes", "Yes"), ("no", "No")])
    assert asked == question_fingerprint("Is it fast? ", "Check the contract.", [("yes", "Yes"), ("no", "No")])
    assert asked != question_fingerprint("Is it quick?", "Check the contract.", [("yes", "Yes"), ("no", "No")])
    assert asked != question_fingerprint("Is it fast?", "", [("yes", "Yes"), ("no", "No")])
    assert asked != question_fingerprint("Is it fast?", "Check the contract.", [("yes", "Yes, always"), ("no", "No")])
    assert asked != question_fingerprint("Is it fast?", "Check the contract.", [("yes", "Yes")])


def test_a_changed_effect_keeps_the_fingerprint(tmp_path):
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, directory)
    edit(directory / "standards" / "cabling.yaml", "effects: {copper: partly}", "effects: {copper: does_not_meet}")
    before = {q["key"]: q["fingerprint"] for q in read_catalogue().standards[3]["questions"]}
    after = {q["key"]: q["fingerprint"] for q in read_catalogue(directory).standards[3]["questions"]}
    assert before == after


def test_loaded_questions_store_their_fingerprint(catalogue):
    assert not Question.objects.filter(fingerprint="").exists()


def test_a_reassessment_under_a_new_version_asks_only_new_and_changed_questions(
    catalogue, next_version, secondary, editor_client
):
    first = submitted(secondary, "broadband", BEST["broadband"])
    call_command("load_standards", directory=next_version)
    again = services.assessment_start(establishment=secondary, standard_key="broadband", user=None)
    assert again.standard.version.label == "2026.3"
    assert again.answers == {key: BEST["broadband"][key] for key in ("technology", "upload", "backup", "filtering")}
    content = questionnaire.StandardContent(again.standard)
    path = questionnaire.walk(content, again.answers, {})
    assert path.next_question.key == "download"  # the reworded question is asked again...
    again.answers = {**again.answers, "download": "gigabit"}
    path = questionnaire.walk(content, again.answers, {})
    assert path.next_question.key == "guest_filtering"  # ...then the new one, and nothing else
    first.refresh_from_db()
    assert first.standard.version == catalogue  # the first results stay judged against 2026.2


def test_results_say_which_version_they_were_judged_against_and_what_changed_since(
    catalogue, next_version, primary, editor, client
):
    submitted(primary, "broadband", BEST["broadband"])
    client.force_login(editor)
    url = reverse("standards:results", kwargs={"urn": primary.urn, "standard_key": "broadband"})
    assert "catalogue-changes" not in client.get(url).content.decode()
    call_command("load_standards", directory=next_version)
    page = client.get(url).content.decode()
    assert "against standards catalogue 2026.2" in page
    assert "The current standards catalogue, 2026.3, has changed this standard" in page
    assert "What download speed do you pay for?" in page  # changed
    assert "Does guest wifi go through the same filtering?" in page  # new
    assert "Reassess to answer only the new and changed questions" in page


def test_an_unfinished_assessment_moves_to_the_new_version_with_its_unchanged_answers(
    catalogue, next_version, secondary
):
    unfinished = services.assessment_start(establishment=secondary, standard_key="broadband", user=None)
    unfinished.answers = {"technology": "full_fibre", "download": "gigabit", "upload": "gigabit"}
    unfinished.save()
    call_command("load_standards", directory=next_version)
    unfinished.refresh_from_db()
    assert unfinished.standard == selectors.current_standard(key="broadband")
    assert unfinished.answers == {"technology": "full_fibre", "upload": "gigabit"}
    assert Assessment.objects.count() == 1
