"""Facts from the estate registers: each rule, and a registered provider answering questions
instead of the user, with the source shown on check answers and results."""

import datetime

import pytest
from django.urls import reverse

from schooltech.standards import facts, questionnaire, selectors
from schooltech.standards.models import Assessment, Status
from schooltech.standards.register_facts import FACT_KEYS, RegisterFact, facts_for
from tests.answers import BEST

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 12)


def fact(key, value, source="Register"):
    return RegisterFact(key=key, value=value, source=source, as_of=MARCH)


def facts_of(**values):
    return {key.replace("__", "."): fact(key.replace("__", "."), value) for key, value in values.items()}


@pytest.mark.parametrize(
    ("technology", "answer"),
    [
        ("fttp", "full_fibre"),
        ("leased_line", "full_fibre"),
        ("fttc", "copper"),
        ("adsl", "copper"),
        ("satellite", "other"),
        ("mobile", "other"),
        ("pigeon", None),
    ],
)
def test_broadband_technology(technology, answer):
    result = facts.broadband_technology(facts_of(broadband__primary_technology=technology))
    assert (result.answer_key if result else None) == answer


@pytest.mark.parametrize(
    ("download", "upload", "down_answer", "up_answer"),
    [
        (99.9, 29.9, "under_100", "under_30"),
        (100, 30, "from_100", "from_30"),
        (999, 999, "from_100", "from_30"),
        (1000, 1000, "gigabit", "gigabit"),
    ],
)
def test_contracted_speeds_fall_in_the_right_band(download, upload, down_answer, up_answer):
    given = facts_of(broadband__download_mbps_contracted=download, broadband__upload_mbps_contracted=upload)
    assert facts.broadband_download(given).answer_key == down_answer
    assert facts.broadband_upload(given).answer_key == up_answer


def test_a_gigabit_line_that_measures_940_mbps_is_judged_on_its_contracted_capacity():
    given = facts_of(
        broadband__download_mbps_contracted=1000,
        broadband__upload_mbps_contracted=1000,
        broadband__download_mbps_measured=940,
        broadband__upload_mbps_measured=930,
    )
    assert facts.broadband_download(given).answer_key == "gigabit"
    assert facts.broadband_upload(given).answer_key == "gigabit"
    assert [f.key for f in facts.broadband_download(given).facts] == ["broadband.download_mbps_contracted"]


def test_a_speed_test_alone_answers_only_when_it_proves_the_capacity():
    assert facts.broadband_download(facts_of(broadband__download_mbps_measured=940)) is None
    assert facts.broadband_upload(facts_of(broadband__upload_mbps_measured=20)) is None
    assert facts.broadband_download(facts_of(broadband__download_mbps_measured=1000)).answer_key == "gigabit"


def test_broadband_backup():
    assert facts.broadband_backup(facts_of(broadband__has_backup_of_different_type=False)).answer_key == "none"
    both = facts_of(broadband__has_backup_of_different_type=True, broadband__automatic_failover=True)
    assert facts.broadband_backup(both).answer_key == "automatic"
    manual = facts_of(broadband__has_backup_of_different_type=True, broadband__automatic_failover=False)
    assert facts.broadband_backup(manual).answer_key == "partial"
    assert facts.broadband_backup(facts_of(broadband__has_backup_of_different_type=True)) is None


@pytest.mark.parametrize(
    ("total", "out", "unknown", "answer"),
    [
        (10, 0, 0, "all_supported"),
        (10, 2, 0, "some_unsupported"),
        (10, 2, 3, "some_unsupported"),
        (10, 0, 3, None),
        (0, 0, 0, None),
    ],
)
def test_switch_support_counts_unknown_support_as_not_known(total, out, unknown, answer):
    given = facts_of(switching__total=total, switching__out_of_support=out, switching__support_unknown=unknown)
    result = facts.switches_support(given)
    assert (result.answer_key if result else None) == answer


def test_access_points_are_judged_on_support_only_with_no_wifi_version_floor():
    supported = facts_of(wireless__total=8, wireless__out_of_support=0)
    assert facts.wireless_support(supported).answer_key == "all_supported"
    unsupported = facts_of(wireless__total=8, wireless__out_of_support=2)
    assert facts.wireless_support(unsupported).answer_key == "some_unsupported"
    assert "wireless.below_wifi_minimum" not in FACT_KEYS
    assert facts.wireless_managed(facts_of(wireless__centrally_managed=False)).answer_key == "no"


def test_device_and_cloud_facts():
    devices = facts_of(devices__total=300, devices__below_minimum=12, devices__support_unknown=0)
    assert facts.devices_minimums(devices).answer_key == "some_below"
    cloud = facts_of(
        cloud__services_total=5,
        cloud__services_without_mfa=0,
        cloud__services_without_sso=5,
        cloud__services_data_outside_uk_eu=1,
    )
    assert facts.cloud_mfa(cloud).answer_key == "all"
    assert facts.cloud_sso(cloud).answer_key == "none"
    assert facts.cloud_data_location(cloud).answer_key == "some_outside"
    assert facts.cloud_mfa(facts_of(cloud__services_total=0, cloud__services_without_mfa=0)) is None


def test_a_backup_service_in_the_register_answers_yes_but_its_absence_does_not_answer():
    assert facts.backup_service(facts_of(backup__has_backup_service=True)).answer_key == "yes"
    assert facts.backup_service(facts_of(backup__has_backup_service=False)) is None


def test_every_fact_rule_used_by_the_catalogue_exists_and_reads_only_contract_keys(catalogue):
    for standard in selectors.current_standards():
        for question in standard.questions.exclude(fact_rule=""):
            assert question.fact_rule in facts.FACT_RULES
    every_fact = {key: fact(key, 1) for key in FACT_KEYS}
    for rule in facts.FACT_RULES.values():
        answer = rule(every_fact)
        assert answer is None or all(f.key in FACT_KEYS for f in answer.facts)


def test_without_a_provider_the_registers_hold_nothing(primary):
    assert facts_for(primary) == {}


def test_a_provider_answers_questions_and_the_pages_skip_them(editor_client, primary, catalogue, fake_registers):
    fake_registers.facts[primary.urn] = {
        "broadband.primary_technology": fact(
            "broadband.primary_technology", "fttp", "Internet connections register: BT FTTP line"
        ),
        "broadband.download_mbps_contracted": fact(
            "broadband.download_mbps_contracted", 150.0, "Internet connections register: contracted speed"
        ),
        "broadband.upload_mbps_contracted": fact(
            "broadband.upload_mbps_contracted", 20.0, "Internet connections register: contracted speed"
        ),
        "not.a.contract.key": fact("not.a.contract.key", 1),
    }
    assert set(facts_for(primary)) == {
        "broadband.primary_technology",
        "broadband.download_mbps_contracted",
        "broadband.upload_mbps_contracted",
    }
    response = editor_client.post(reverse("standards:start", kwargs={"urn": primary.urn, "standard_key": "broadband"}))
    assert response["Location"].endswith("/questions/backup")  # the first three come from the registers
    skipped = reverse(
        "standards:question", kwargs={"urn": primary.urn, "standard_key": "broadband", "question_key": "download"}
    )
    assert editor_client.get(skipped)["Location"].endswith("/questions/backup")
    base = f"/schools/{primary.urn}/standards/broadband"
    editor_client.post(f"{base}/questions/backup", {"answer": "automatic"})
    editor_client.post(f"{base}/questions/filtering", {"answer": "all"})
    check = editor_client.get(f"{base}/check").content.decode()
    assert "From your registers: Internet connections register: BT FTTP line" in check
    assert check.count(">Change<") == 2
    editor_client.post(f"{base}/check")
    assessment = Assessment.objects.get()
    speed = next(r for r in assessment.results if r["requirement"] == "speed")
    assert speed["status"] == Status.PARTLY  # 150 down meets a primary's 100, 20 up misses its 30
    assert speed["reasons"][1] == "From your registers: Internet connections register: contracted speed"
    assert assessment.facts_used["technology"]["facts"][0]["as_of"] == "2026-03-12"
    results = editor_client.get(f"{base}/results").content.decode()
    assert "From your registers: Internet connections register: BT FTTP line" in results
    assert assessment.answers == {"backup": "automatic", "filtering": "all"}  # the user answered only two


def test_register_facts_override_an_earlier_answer(catalogue, primary, fake_registers):
    content = questionnaire.StandardContent(selectors.current_standard(key="broadband"))
    fake_registers.facts[primary.urn] = facts_of(broadband__primary_technology="adsl")
    found = questionnaire.fact_answers(content, facts_for(primary))
    path = questionnaire.walk(content, BEST["broadband"], found)  # the user had said full fibre
    results = {r.key: r.status for r in questionnaire.score(content, path, "primary")}
    assert results["full_fibre"] == Status.DOES_NOT_MEET
