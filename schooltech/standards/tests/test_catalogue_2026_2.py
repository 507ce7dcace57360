"""Catalogue 2026.2 against the GOV.UK standards pages as updated 16 September 2026: broadband judged
on contracted capacity, no Wi-Fi floor for access points, what schools should already meet, the
sub-standards the first catalogue missed, the IT support standard's owner and the RPA branch."""

import datetime

import pytest

from schooltech.standards import questionnaire, selectors
from schooltech.standards.models import Duty, PhaseGroup, Requirement, Standard, Status, WhenToMeet
from schooltech.standards.register_facts import RegisterFact
from tests.answers import BEST, WORST

pytestmark = pytest.mark.django_db
GOVUK_STANDARDS = "https://www.gov.uk/guidance/meeting-digital-and-technology-standards-in-schools-and-colleges/"


def content_of(standard_key):
    return questionnaire.StandardContent(selectors.current_standard(key=standard_key))


def score(standard_key, answers, phase_group=PhaseGroup.SECONDARY, facts=None):
    content = content_of(standard_key)
    found = questionnaire.fact_answers(content, facts or {})
    path = questionnaire.walk(content, answers, found)
    assert path.complete, path.next_question.key
    results = {r.key: r for r in questionnaire.score(content, path, phase_group)}
    return results, [step.question.key for step in path.steps]


def register(**values):
    return {
        key.replace("__", "."): RegisterFact(key.replace("__", "."), value, "Register", datetime.date(2026, 11, 1))
        for key, value in values.items()
    }


def test_the_catalogue_is_2026_2_published_with_the_september_2026_pages(catalogue):
    assert (catalogue.label, catalogue.published) == ("2026.2", datetime.date(2026, 9, 16))


def test_every_requirement_links_to_its_standards_govuk_page(catalogue):
    for requirement in Requirement.objects.filter(standard__version=catalogue).select_related("standard"):
        assert requirement.standard.guidance_url.startswith(GOVUK_STANDARDS), requirement.key


def test_a_secondary_on_a_1_gbps_line_that_tests_at_940_mbps_meets_the_speed_requirement(catalogue):
    facts = register(
        broadband__primary_technology="leased_line",
        broadband__download_mbps_contracted=1000,
        broadband__upload_mbps_contracted=1000,
        broadband__download_mbps_measured=940,
        broadband__upload_mbps_measured=935,
    )
    results, asked = score("broadband", BEST["broadband"], facts=facts)
    assert results["speed"].status == Status.MEETS
    assert "download" in asked  # answered from the registers' contracted capacity


def test_the_speed_questions_ask_for_the_contracted_speed_not_a_speed_test(catalogue):
    content = content_of("broadband")
    download = content.questions["download"]
    assert "contracted" in download.text and "not a" in download.hint and "speed test" in download.hint
    speed = Standard.objects.get(version=catalogue, key="broadband").requirements.get(key="speed")
    assert "contracted capacity, not a speed test" in speed.thresholds["secondary"]
    assert speed.thresholds["primary"] == "At least 100 Mbps download and at least 30 Mbps upload."


@pytest.mark.parametrize("phase_group", [PhaseGroup.PRIMARY, PhaseGroup.SECONDARY])
def test_copper_never_meets_the_speed_requirement_and_its_speed_is_not_asked(catalogue, phase_group):
    answers = {**BEST["broadband"], "technology": "copper"}
    results, asked = score("broadband", answers, phase_group)
    assert results["speed"].status == Status.DOES_NOT_MEET
    assert results["full_fibre"].status == Status.DOES_NOT_MEET
    assert "download" not in asked and "upload" not in asked


def test_a_primary_needs_100_down_and_30_up(catalogue):
    results, _ = score("broadband", {**BEST["broadband"], "download": "from_100", "upload": "from_30"}, "primary")
    assert results["speed"].status == Status.MEETS
    results, _ = score("broadband", {**BEST["broadband"], "download": "from_100", "upload": "under_30"}, "primary")
    assert results["speed"].status == Status.PARTLY


def test_access_points_have_no_wifi_version_floor_and_upgrades_use_wifi_7(catalogue):
    wireless = Standard.objects.get(version=catalogue, key="wireless")
    equipment = wireless.requirements.get(key="supported_equipment")
    assert "Wi-Fi 7 (802.11be)" in equipment.thresholds["all"]
    assert "Wi-Fi 5" not in equipment.recommendation + equipment.thresholds["all"]
    answers = wireless.questions.get(key="equipment").answers.values_list("text", flat=True)
    assert not any("Wi-Fi 5" in text for text in answers)
    old_but_supported = register(wireless__total=12, wireless__out_of_support=0)
    results, _ = score("wireless", BEST["wireless"], facts=old_but_supported)
    assert results["supported_equipment"].status == Status.MEETS
    devices = Standard.objects.get(version=catalogue, key="devices").requirements.get(key="minimums")
    assert "802.11ac Wave 2" in devices.thresholds["all"]  # the floor is for laptops and tablets


def test_wpa3_a_guest_network_vlans_and_mfa_are_things_you_may_need(catalogue):
    security = Standard.objects.get(version=catalogue, key="wireless").requirements.get(key="security")
    assert "may also need WPA3, a separate guest network, VLANs and multi-factor" in security.thresholds["all"]


@pytest.mark.parametrize(
    ("standard_key", "requirement_key", "when"),
    [
        ("digital_leadership", "digital_lead", WhenToMeet.NOW),
        ("digital_leadership", "registers", WhenToMeet.NOW),
        ("digital_leadership", "continuity", WhenToMeet.NOW),
        ("digital_leadership", "strategy", WhenToMeet.BEFORE_BUDGET),
        ("servers_storage", "resilience", WhenToMeet.NOW),
        ("servers_storage", "secure_room", WhenToMeet.NOW),
        ("servers_storage", "energy", WhenToMeet.NOW),
        ("cloud", "data_protection", WhenToMeet.NOW),
        ("cloud", "single_sign_on", WhenToMeet.NOW),
    ],
)
def test_what_schools_should_already_meet_is_dated_now(catalogue, standard_key, requirement_key, when):
    requirement = Requirement.objects.get(standard__version=catalogue, standard__key=standard_key, key=requirement_key)
    assert requirement.when_to_meet == when


NEW_SUB_STANDARDS = [
    ("switching", "security", "security"),
    ("servers_storage", "data_protection", "security"),
    ("servers_storage", "energy", "energy"),
    ("cloud", "portability", "export"),
    ("cloud", "availability", "availability"),
    ("devices", "educational_needs", "needs"),
    ("devices", "sustainability", "energy"),
    ("devices", "dpia", "dpia"),
    ("accessibility", "communications", "communications"),
    ("cyber_security", "rpa_cover", "rpa_member"),
]


@pytest.mark.parametrize(("standard_key", "requirement_key", "question_key"), NEW_SUB_STANDARDS)
def test_each_new_sub_standard_is_asked_and_scored(catalogue, standard_key, requirement_key, question_key):
    best, best_asked = score(standard_key, BEST[standard_key])
    worst, _ = score(standard_key, WORST[standard_key])
    assert question_key in best_asked
    assert best[requirement_key].status == Status.MEETS
    assert worst[requirement_key].status == Status.DOES_NOT_MEET


@pytest.mark.parametrize(
    ("standard_key", "requirement_key", "words"),
    [
        ("switching", "resilience", ["two power supplies", "two management modules", "two links", "(UPS)"]),
        ("servers_storage", "secure_room", ["3.4 m deep by 2.2 m wide", "0.8 m", "isolated UPS", "laptops"]),
        ("servers_storage", "data_protection", ["10 Steps to Cyber Security", "once a term", "join and leave"]),
        ("cloud", "availability", ["99% is about 7 hours", "99.9% about 45 minutes", "99.99% about", "trialled"]),
        ("cloud", "portability", ["encrypted", "CSV or ODT", "documented APIs", "exit process"]),
        ("cyber_security", "backups", ["At least 3 copies", "2 separate devices", "immutable", "never taken home"]),
        ("cyber_security", "awareness", ["pupils, staff, at least one governor", "supply and agency"]),
        ("cyber_security", "patching", ["CVSS v3.1 score of 7.0", "no rating", "14 days", "isolated"]),
        ("cyber_security", "risk_assessment", ["every year and after a big change or an incident", "every term"]),
        ("filtering_monitoring", "filtering", ["VPNs, proxies", "safe search locked", "search term", "generative AI"]),
        ("filtering_monitoring", "annual_review", ["every academic year", "responsible governor", "recorded"]),
        ("it_support", "expectations", ["several ways to ask", "no unofficial ones", "every request logged"]),
    ],
)
def test_thresholds_say_what_govuk_says(catalogue, standard_key, requirement_key, words):
    requirement = Requirement.objects.get(standard__version=catalogue, standard__key=standard_key, key=requirement_key)
    for word in words:
        assert word in requirement.thresholds["all"], word


def test_cyber_essentials_is_not_required_of_schools(catalogue):
    cyber = Standard.objects.get(version=catalogue, key="cyber_security")
    assert "Cyber Essentials certification is not required of schools" in cyber.summary


def test_the_senior_leader_for_digital_technology_owns_it_support(catalogue):
    it_support = Standard.objects.get(version=catalogue, key="it_support")
    for key in ("expectations", "review"):
        assert it_support.requirements.get(key=key).usually_done_by.startswith("Senior leader for digital technology")
    duty = Duty.objects.get(version=catalogue, key="it_support_review")
    assert duty.usually_done_by == "Senior leader for digital technology"
    assert "not the business manager" in it_support.summary


def test_an_rpa_member_is_asked_the_four_cyber_cover_conditions(catalogue):
    results, asked = score("cyber_security", BEST["cyber_security"])
    assert asked[-5:] == ["rpa_member", "rpa_backups", "rpa_training", "rpa_cyberalarm", "rpa_response_plan"]
    assert results["rpa_cover"].status == Status.MEETS
    no_cyberalarm = {**BEST["cyber_security"], "rpa_cyberalarm": "no"}
    results, _ = score("cyber_security", no_cyberalarm)
    assert results["rpa_cover"].status == Status.PARTLY
    assert "Is your school registered with Police CyberAlarm? You answered: No" in results["rpa_cover"].reasons


def test_a_school_outside_the_rpa_is_not_asked_its_conditions(catalogue):
    answers = {**BEST["cyber_security"], "rpa_member": "no"}
    results, asked = score("cyber_security", answers)
    assert asked[-1] == "rpa_member"
    assert results["rpa_cover"].status == Status.MEETS
    assert results["rpa_cover"].reasons == [
        "You are not a member of the Risk Protection Arrangement, so its cyber conditions do not apply."
    ]
