"""Scoring of every requirement of every standard, primary versus secondary thresholds, "I don't
know", and the small functions that combine evidence."""

import pytest

from schooltech.standards import questionnaire, selectors
from schooltech.standards.catalogue import UNKNOWN
from schooltech.standards.models import PhaseGroup, Standard, Status
from schooltech.standards.scoring import Evidence, combine, effect_for_phase, phase_group_for, standard_status
from tests.answers import BEST, WORST

pytestmark = pytest.mark.django_db

ALL_STANDARDS = [
    "broadband",
    "wireless",
    "switching",
    "cabling",
    "cyber_security",
    "filtering_monitoring",
    "digital_leadership",
    "servers_storage",
    "cloud",
    "devices",
    "accessibility",
    "it_support",
]
# Where the worst answers still leave part of a requirement met.
WORST_PARTLY = {("cloud", "data_protection")}  # data outside the UK or EU is "partly", no DPIA "does not meet"


def statuses(standard_key: str, answers: dict, phase_group=PhaseGroup.SECONDARY, facts=None) -> dict[str, str]:
    content = questionnaire.StandardContent(selectors.current_standard(key=standard_key))
    path = questionnaire.walk(content, answers, facts or {})
    assert path.complete, f"{standard_key}: the answers stop at {path.next_question.key}"
    return {result.key: result.status for result in questionnaire.score(content, path, phase_group)}


def test_the_answer_tables_cover_every_standard(catalogue):
    assert sorted(BEST) == sorted(WORST) == sorted(ALL_STANDARDS)
    assert sorted(s.key for s in selectors.current_standards()) == sorted(ALL_STANDARDS)


@pytest.mark.parametrize("standard_key", ALL_STANDARDS)
@pytest.mark.parametrize("phase_group", [PhaseGroup.PRIMARY, PhaseGroup.SECONDARY])
def test_the_best_answers_meet_every_requirement(catalogue, standard_key, phase_group):
    result = statuses(standard_key, BEST[standard_key], phase_group)
    requirement_keys = {r.key for r in Standard.objects.get(version=catalogue, key=standard_key).requirements.all()}
    assert set(result) == requirement_keys
    assert result == dict.fromkeys(requirement_keys, Status.MEETS)


@pytest.mark.parametrize("standard_key", ALL_STANDARDS)
def test_the_worst_answers_meet_no_requirement(catalogue, standard_key):
    result = statuses(standard_key, WORST[standard_key])
    expected = {key: Status.PARTLY if (standard_key, key) in WORST_PARTLY else Status.DOES_NOT_MEET for key in result}
    assert result == expected


@pytest.mark.parametrize("standard_key", ALL_STANDARDS)
def test_i_dont_know_to_everything_leaves_every_requirement_not_assessed(catalogue, standard_key):
    content = questionnaire.StandardContent(selectors.current_standard(key=standard_key))
    answers = dict.fromkeys(content.questions, "dont_know")
    path = questionnaire.walk(content, answers, {})
    assert path.complete
    results = questionnaire.score(content, path, PhaseGroup.PRIMARY)
    assert {r.status for r in results} == {Status.NOT_ASSESSED}
    assert all(r.unknowns for r in results), "each requirement says which answers were not known"


def test_every_question_offers_i_dont_know(catalogue):
    for standard in selectors.current_standards():
        for question in standard.questions.all():
            assert question.answers.filter(key="dont_know", text="I don't know").exists(), question.key


@pytest.mark.parametrize(
    ("download", "upload", "phase_group", "expected"),
    [
        ("from_100", "from_30", PhaseGroup.PRIMARY, Status.MEETS),  # 100 down and 30 up is enough for a primary
        ("from_100", "from_30", PhaseGroup.SECONDARY, Status.DOES_NOT_MEET),  # a secondary needs 1 Gbps both ways
        ("gigabit", "gigabit", PhaseGroup.SECONDARY, Status.MEETS),
        ("gigabit", "from_30", PhaseGroup.SECONDARY, Status.PARTLY),
        ("under_100", "from_30", PhaseGroup.PRIMARY, Status.PARTLY),
        ("under_100", "under_30", PhaseGroup.PRIMARY, Status.DOES_NOT_MEET),
        ("from_100", "from_30", None, Status.NOT_ASSESSED),  # phase unknown: the thresholds cannot be applied
    ],
)
def test_broadband_speed_uses_the_schools_phase(catalogue, download, upload, phase_group, expected):
    answers = {**BEST["broadband"], "download": download, "upload": upload}
    assert statuses("broadband", answers, phase_group)["speed"] == expected


def test_partial_answers_give_partly_meets(catalogue):
    answers = {**BEST["broadband"], "backup": "partial", "filtering": "some"}
    result = statuses("broadband", answers)
    assert result["backup_connection"] == Status.PARTLY
    assert result["filtering_firewall"] == Status.PARTLY


def test_i_dont_know_on_one_question_of_several_gives_partly_with_the_unknown_named(catalogue):
    content = questionnaire.StandardContent(selectors.current_standard(key="cyber_security"))
    answers = {**BEST["cyber_security"], "acceptable_use": "dont_know"}
    results = {r.key: r for r in questionnaire.score(content, questionnaire.walk(content, answers, {}), None)}
    assert results["awareness"].status == Status.PARTLY
    assert results["awareness"].unknowns == [
        "Has everyone with access to your systems signed an acceptable use policy? You answered: I don't know"
    ]


def test_branching_skips_backup_questions_when_there_is_no_backup(catalogue):
    content = questionnaire.StandardContent(selectors.current_standard(key="cyber_security"))
    path = questionnaire.walk(content, WORST["cyber_security"], {})
    asked = [step.question.key for step in path.steps]
    assert "backup_copies" not in asked and "restore_test" not in asked
    assert asked[-1] == "rpa_response_plan"


def test_a_school_without_servers_meets_the_server_requirements_after_one_question(catalogue):
    content = questionnaire.StandardContent(selectors.current_standard(key="servers_storage"))
    path = questionnaire.walk(content, {"has_servers": "none"}, {})
    assert path.complete and len(path.steps) == 1
    results = questionnaire.score(content, path, None)
    assert {r.status for r in results} == {Status.MEETS}
    assert results[0].reasons == ["You have no servers on site."]


def test_reasons_quote_the_question_and_answer(catalogue):
    content = questionnaire.StandardContent(selectors.current_standard(key="broadband"))
    results = questionnaire.score(content, questionnaire.walk(content, WORST["broadband"], {}), PhaseGroup.PRIMARY)
    full_fibre = next(r for r in results if r.key == "full_fibre")
    assert full_fibre.reasons == [
        "What kind of internet connection does your school have? "
        "You answered: Fibre to the cabinet, ADSL or another copper line"
    ]


@pytest.mark.parametrize(
    ("statuses_in", "expected"),
    [
        ([], Status.NOT_ASSESSED),
        ([UNKNOWN], Status.NOT_ASSESSED),
        ([Status.MEETS, Status.MEETS], Status.MEETS),
        ([Status.DOES_NOT_MEET], Status.DOES_NOT_MEET),
        ([Status.DOES_NOT_MEET, UNKNOWN], Status.DOES_NOT_MEET),
        ([Status.MEETS, Status.DOES_NOT_MEET], Status.PARTLY),
        ([Status.MEETS, UNKNOWN], Status.PARTLY),
        ([Status.PARTLY], Status.PARTLY),
    ],
)
def test_combine_evidence(statuses_in, expected):
    assert combine([Evidence(status=s, reason="") for s in statuses_in]) == expected


@pytest.mark.parametrize(
    ("statuses_in", "expected"),
    [
        ([Status.MEETS, Status.MEETS], Status.MEETS),
        ([Status.MEETS, Status.NOT_ASSESSED], Status.PARTLY),
        ([Status.NOT_ASSESSED, Status.NOT_ASSESSED], Status.NOT_ASSESSED),
        ([Status.DOES_NOT_MEET, Status.NOT_ASSESSED], Status.DOES_NOT_MEET),
        ([Status.DOES_NOT_MEET, Status.MEETS], Status.PARTLY),
    ],
)
def test_standard_status(statuses_in, expected):
    assert standard_status(statuses_in) == expected


@pytest.mark.parametrize(
    ("phase_code", "expected"),
    [
        ("2", PhaseGroup.PRIMARY),
        ("3", PhaseGroup.PRIMARY),
        ("4", PhaseGroup.SECONDARY),
        ("5", PhaseGroup.SECONDARY),
        ("6", PhaseGroup.SECONDARY),
        ("7", PhaseGroup.SECONDARY),
        ("0", None),
        ("1", None),
        ("", None),
    ],
)
def test_phase_group_for_gias_phase_codes(phase_code, expected):
    assert phase_group_for(phase_code) == expected


def test_effect_for_phase():
    effect = {"primary": Status.MEETS, "secondary": Status.DOES_NOT_MEET}
    assert effect_for_phase(effect, PhaseGroup.PRIMARY) == Status.MEETS
    assert effect_for_phase(effect, PhaseGroup.SECONDARY) == Status.DOES_NOT_MEET
    assert effect_for_phase(effect, None) == UNKNOWN
    assert effect_for_phase(Status.PARTLY, None) == Status.PARTLY
