"""The national generators (`--national`): every open school and no closed one, the same data as
the school-by-school path, nothing new when run again, and one broken school never stops the rest."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from schooltech.demo import assessments, estate
from schooltech.estate.models import Asset, Connection, Contract, Service
from schooltech.insights.models import SharingChoice
from schooltech.organisations.models import Establishment
from schooltech.planning import engine
from schooltech.planning.models import Plan, PlanAction
from schooltech.standards.models import Assessment, DutyRecord, Recommendation, SchoolPhase
from tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def schools(db):
    call_command("load_standards", stdout=io.StringIO())
    open_schools = [
        EstablishmentFactory(urn="700001", number_of_pupils=60, phase_code="2"),  # primary
        EstablishmentFactory(urn="700002", number_of_pupils=90, phase_code="4", phase_name="Secondary"),
        EstablishmentFactory(urn="700003", number_of_pupils=40, phase_code=""),  # GIAS cannot place it
    ]
    closed = EstablishmentFactory(urn="700004", number_of_pupils=80, status=Establishment.Status.CLOSED)
    return open_schools, closed


def generate_everything(**streams):
    for command in ("generate_estate", "generate_assessments", "generate_plans", "generate_sharing"):
        extra = {"today": TODAY} if command in ("generate_estate", "generate_plans") else {}
        call_command(command, national=True, verbosity=0, stdout=io.StringIO(), **extra, **streams)


def everything():
    """What the generators wrote, without ids or times."""
    return {
        "assets": sorted(Asset.objects.values_list("establishment__urn", "asset_tag", "serial_number", "model_name")),
        "contracts": sorted(Contract.objects.values_list("establishment__urn", "title", "supplier", "annual_cost")),
        "connections": sorted(Connection.objects.values_list("establishment__urn", "provider", "technology")),
        "services": sorted(Service.objects.values_list("establishment__urn", "name", "mfa_enforced")),
        "assessments": sorted(
            (a.establishment.urn, a.standard_key, a.state, a.overall_status, sorted(a.answers.items()), a.results)
            for a in Assessment.objects.select_related("establishment")
        ),
        "recommendations": sorted(
            Recommendation.objects.values_list("establishment__urn", "standard_key", "requirement_key", "kind", "title")
        ),
        "duty records": sorted(DutyRecord.objects.values_list("establishment__urn", "duty_key", "done_on", "source")),
        "phases": sorted(SchoolPhase.objects.values_list("establishment__urn", "phase_group")),
        "actions": sorted(
            PlanAction.objects.values_list("establishment__urn", "key", "title", "due_date", "is_active", "status")
        ),
        "sharing": sorted(SharingChoice.objects.values_list("establishment__urn", "standards", "estate", "plans")),
    }


def test_every_open_school_gets_registers_assessments_plans_and_sharing_once(schools):
    open_schools, closed = schools
    generate_everything()
    first = everything()

    urns = {school.urn for school in open_schools}
    for kind in ("assets", "contracts", "assessments", "actions", "sharing"):
        assert {row[0] for row in first[kind]} == urns, kind  # every open school, never the closed one
    assert first["phases"] == [("700003", "secondary")]  # thresholds for the school GIAS cannot place
    assert {row[2] for row in first["assessments"]} == {"submitted"}
    assert first["recommendations"] and first["duty records"]
    assert Plan.objects.filter(establishment=closed).count() == 0
    assert Service.objects.filter(contract__isnull=False).exists()  # services name their contract

    generate_everything()
    assert everything() == first  # running it again changes nothing


def test_national_assessments_are_those_a_school_would_record_one_by_one(schools):
    """The bulk path writes no history, but the same answers, results, recommendations and duty records."""
    open_schools, _ = schools
    call_command("generate_estate", national=True, today=TODAY, verbosity=0, stdout=io.StringIO())
    for school in open_schools:
        assessments.record_for(school)
    one_by_one = everything()
    assert Assessment.history.exists()
    Recommendation.objects.all().delete()
    DutyRecord.objects.all().delete()
    Assessment.objects.all().delete()
    SchoolPhase.objects.all().delete()

    call_command("generate_assessments", national=True, verbosity=0, stdout=io.StringIO())

    assert everything() == one_by_one


def test_a_school_whose_data_breaks_a_generator_does_not_stop_the_others(schools, monkeypatch):
    open_schools, _ = schools
    broken = open_schools[1]
    real_devices, real_choose, real_build_plan = estate.SchoolGenerator.devices, assessments.choose, engine.build_plan

    def devices(generator):
        if generator.school.urn == broken.urn:
            raise ValueError("a pupil count no register could hold")
        return real_devices(generator)

    def choose(school, *args):
        if school.urn == broken.urn:
            raise KeyError("an answer the catalogue no longer has")
        return real_choose(school, *args)

    def build_plan(plan_inputs):
        if plan_inputs.urn == broken.urn:
            raise OverflowError("date value out of range")
        return real_build_plan(plan_inputs)

    monkeypatch.setattr(estate.SchoolGenerator, "devices", devices)
    monkeypatch.setattr(assessments, "choose", choose)
    monkeypatch.setattr(engine, "build_plan", build_plan)
    errors = io.StringIO()

    generate_everything(stderr=errors)

    written = everything()
    others = {school.urn for school in open_schools} - {broken.urn}
    for kind in ("assets", "assessments", "actions"):
        assert {row[0] for row in written[kind]} == others, kind
    assert errors.getvalue().count("1 establishments skipped") == 3


@pytest.mark.parametrize("command", ["generate_estate", "generate_assessments", "generate_plans"])
@pytest.mark.parametrize("option", [("--chunk", "0"), ("--chunk", "-5"), ("--chunk", "1e9"), ("--processes", "0")])
def test_a_chunk_or_process_count_out_of_range_is_refused_before_anything_runs(command, option):
    with pytest.raises(CommandError, match="give a whole number from 1 to"):
        call_command(command, "--national", *option)
    assert not Plan.objects.exists()
