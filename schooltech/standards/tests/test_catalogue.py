"""The catalogue as versioned data: all twelve standards, duties, loading twice, a changed file
making a new version while old assessments stay read against theirs, and refusing bad files."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from schooltech.standards import questionnaire, selectors, services
from schooltech.standards.catalogue import CATALOGUE_DIR, CatalogueError, read_catalogue
from schooltech.standards.models import Assessment, Cadence, CatalogueVersion, Standard, WhenToMeet
from tests.answers import BEST

pytestmark = pytest.mark.django_db

CORE = {"broadband", "wireless", "switching", "cyber_security", "filtering_monitoring", "digital_leadership"}


@pytest.fixture
def catalogue_copy(tmp_path):
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, directory)
    return directory


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_all_twelve_standards_load_with_six_core(catalogue):
    standards = selectors.current_standards()
    assert len(standards) == 12
    assert {s.key for s in standards if s.is_core} == CORE
    assert all(
        s.guidance_url.startswith("https://www.gov.uk/guidance/meeting-digital-and-technology") for s in standards
    )
    assert all(s.requirements.exists() and s.questions.exists() for s in standards)


def test_broadband_thresholds_differ_by_phase(catalogue):
    speed = Standard.objects.get(key="broadband").requirements.get(key="speed")
    assert speed.thresholds["primary"] == "At least 100 Mbps download and at least 30 Mbps upload."
    assert "1 Gbps download and 1 Gbps upload" in speed.thresholds["secondary"]
    assert speed.when_to_meet == WhenToMeet.END_OF_CONTRACT
    filtering = Standard.objects.get(key="filtering_monitoring").requirements.get(key="annual_review")
    assert filtering.when_to_meet == WhenToMeet.NOW


def test_recurring_duties_are_machine_readable(catalogue):
    duties = {d.key: d for d in selectors.current_duties()}
    termly = {k for k, d in duties.items() if d.cadence == Cadence.TERMLY}
    annual = {k for k, d in duties.items() if d.cadence == Cadence.ANNUAL}
    assert termly == {
        "cyber_risk_review",
        "user_account_review",
        "firewall_rule_review",
        "backup_restore_test",
        "contracts_register_review",
        "server_security_review",
    }
    assert annual == {
        "filtering_monitoring_review",
        "cyber_training",
        "disaster_recovery_test",
        "digital_strategy_review",
        "it_support_review",
        "device_review",
        "registers_budget_review",
        "continuity_plan_review",
    }
    assert duties["cyber_training"].standard.key == "cyber_security"
    assert "governor" in duties["cyber_training"].title
    assert all(d.usually_done_by for d in duties.values())


def test_loading_twice_changes_nothing(catalogue, capsys):
    call_command("load_standards")
    assert "already loaded: nothing changed" in capsys.readouterr().out
    assert CatalogueVersion.objects.count() == 1
    assert Standard.objects.count() == 12


def test_a_changed_file_makes_a_new_version_and_old_assessments_keep_theirs(catalogue, catalogue_copy, primary):
    old_standard = selectors.current_standard(key="cabling")
    assessment = services.assessment_start(establishment=primary, standard_key="cabling", user=None)
    assessment.answers = BEST["cabling"]
    assessment.save()
    services.assessment_submit(assessment=assessment, user=None)

    edit(catalogue_copy / "standards" / "cabling.yaml", "title: Use Category 6A copper cabling", "title: Use Cat 6A")
    edit(catalogue_copy / "catalogue.yaml", 'label: "2026.2"', 'label: "2026.3"')
    call_command("load_standards", directory=catalogue_copy)
    assert CatalogueVersion.objects.count() == 2
    assert selectors.current_version().label == "2026.3"
    assert selectors.current_standard(key="cabling").requirements.get(key="copper").title == "Use Cat 6A"

    assessment = Assessment.objects.get()
    assert assessment.standard == old_standard
    content = questionnaire.StandardContent(assessment.standard)
    assert content.requirements_by_key["copper"].title == "Use Category 6A copper cabling"
    # Going back to the old files makes the old version current again, without a copy.
    call_command("load_standards")
    assert CatalogueVersion.objects.count() == 2 and selectors.current_version().label == "2026.2"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("broadband.yaml", "next: download", "next: nowhere", "next question nowhere does not exist"),
        ("broadband.yaml", "next: filtering\n", "next: technology\n", "questions loop"),
        ("broadband.yaml", "effects: {full_fibre: meets}", "effects: {full_fibre: brilliant}", "effect must be one of"),
        ("broadband.yaml", "effects: {full_fibre: meets}", "effects: {fibre: meets}", "no requirement fibre"),
        ("broadband.yaml", "when: now", "when: someday", "'when' must be one of"),
        ("broadband.yaml", "fact_rule: broadband_download", "fact_rule: guess", "no fact rule guess"),
        ("broadband.yaml", "guidance: https://www.gov.uk/", "guidance: https://example.com/", "GOV.UK"),
        ("cyber_security.yaml", "cadence: termly", "cadence: weekly", "'cadence' must be one of"),
        ("wireless.yaml", "next: guests", "next: sign_in", "no answer leads to question guests"),
        ("cabling.yaml", "key: copper\n    title", "key: fibre\n    title", "requirement keys must be unique"),
    ],
)
def test_bad_catalogue_files_are_refused_and_nothing_is_stored(catalogue_copy, file, old, new, message):
    edit(catalogue_copy / "standards" / file, old, new)
    with pytest.raises(CatalogueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_catalogue(catalogue_copy)
    with pytest.raises(CommandError, match="The catalogue was not loaded"):
        call_command("load_standards", directory=catalogue_copy)
    assert not CatalogueVersion.objects.exists()


def test_not_yaml_is_refused(catalogue_copy):
    (catalogue_copy / "standards" / "cloud.yaml").write_text("key: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        read_catalogue(catalogue_copy)
