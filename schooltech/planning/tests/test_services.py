import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from schooltech.core import calendar
from schooltech.estate.models import AssetCategory, ConnectionTechnology
from schooltech.planning import engine, selectors, services
from schooltech.planning.models import PlanAction, PlanVersion
from schooltech.standards.models import DutyRecord
from tests import factories as estate

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 11)


@pytest.fixture
def registers(school):
    contract = estate.ContractFactory(
        establishment=school, supplier="Copper Broadband Ltd", title="Broadband", end_date=datetime.date(2027, 7, 11)
    )
    estate.ConnectionFactory(establishment=school, technology=ConnectionTechnology.FTTC, contract=contract)
    estate.AssetFactory.create_batch(
        3, establishment=school, operating_system="Windows 10 Education", os_version="22H2", support_end=None
    )
    estate.AssetFactory(
        establishment=school, category=AssetCategory.CORE_SWITCH, operating_system="", os_version="",
        make="Cisco", model_name="Catalyst 3750", support_end=datetime.date(2024, 1, 31),
    )  # fmt: skip
    estate.AssetFactory(
        establishment=school, category=AssetCategory.SERVER, operating_system="", os_version="",
        server_role="file", could_move_to_cloud=True, support_end=datetime.date(2028, 1, 31),
    )  # fmt: skip
    estate.ServiceFactory(establishment=school, hosting="cloud", mfa_enforced=False, data_location="uk")
    return contract


def test_a_plan_comes_from_the_registers_and_the_standards(reference_data, school, registers, editor):
    plan, result = services.plan_generate(establishment=school, user=editor, today=TODAY)
    actions = {a.key: a for a in plan.actions.all()}
    assert result.created == len(actions) > 0
    notice = actions[f"contract-notice:{registers.pk}"]
    assert notice.title.startswith("Give notice by 12 April 2027 and move to full fibre")
    assert notice.route_keys[0] == "everything-ict"
    laptops = next(a for a in actions.values() if a.rule_key == "device_support")
    assert laptops.title == "Replace or upgrade 3 laptops now: Windows 10 support ended on 14 October 2025"
    assert laptops.estimated_cost == Decimal("1800.00")
    switch = next(a for a in actions.values() if a.rule_key == "network_kit_support")
    assert "ict-storage-network" in switch.route_keys
    assert "broadband-backup" in actions and "cloud-mfa" in actions
    assert sum(1 for a in actions.values() if a.group_key.startswith("cloud-migration")) == 5
    assert any(a.key.startswith("duty:filtering_monitoring_review") for a in actions.values())
    assert sum(1 for a in actions.values() if a.key.startswith("assess:")) == 12
    assert plan.generated_on == TODAY
    assert notice.history.first().history_user == editor


def test_regenerating_keeps_statuses_and_manual_actions_and_retires_what_is_no_longer_needed(
    reference_data, school, registers, editor
):
    plan, _ = services.plan_generate(establishment=school, user=editor, today=TODAY)
    notice = plan.actions.get(key=f"contract-notice:{registers.pk}")
    services.action_status_set(action=notice, status="in_progress", user=editor)
    manual = services.action_create(
        plan=plan, title="Buy visualisers", why="", due_date=datetime.date(2027, 1, 10), category="audio_visual",
        priority=4, estimated_cost=Decimal("450"), owner="Head of science", user=editor,
    )  # fmt: skip
    again, result = services.plan_generate(establishment=school, user=editor, today=TODAY)
    assert (result.created, result.updated, result.retired) == (0, 0, 0)
    assert again.actions.get(pk=notice.pk).status == "in_progress"
    registers.end_date = None
    registers.save()
    _, result = services.plan_generate(establishment=school, user=editor, today=TODAY)
    retired = PlanAction.objects.get(pk=notice.pk)
    assert not retired.is_active and retired.status == "in_progress"
    assert PlanAction.objects.filter(key=f"contract-end-unknown:{registers.pk}", is_active=True).exists()
    assert PlanAction.objects.get(pk=manual.pk).is_active
    assert result.retired >= 1


def test_the_same_inputs_give_the_same_plan(reference_data, school, registers):
    plan, _ = services.plan_generate(establishment=school, today=TODAY)
    first = [selectors.action_as_dict(a) for a in selectors.active_actions(plan=plan)]
    plan, _ = services.plan_generate(establishment=school, today=TODAY)
    assert [selectors.action_as_dict(a) for a in selectors.active_actions(plan=plan)] == first


def test_deferring_needs_a_reason_and_other_statuses_clear_it(reference_data, school, registers, editor):
    plan, _ = services.plan_generate(establishment=school, today=TODAY)
    action = plan.actions.first()
    with pytest.raises(services.PlanningError, match="why"):
        services.action_status_set(action=action, status="deferred", user=editor, reason="  ")
    assert PlanAction.objects.get(pk=action.pk).status == "planned"
    services.action_status_set(action=action, status="deferred", user=editor, reason="Waiting for the budget")
    assert PlanAction.objects.get(pk=action.pk).deferred_reason == "Waiting for the budget"
    services.action_status_set(action=action, status="done", user=editor)
    assert PlanAction.objects.get(pk=action.pk).deferred_reason == ""
    with pytest.raises(services.PlanningError):
        services.action_status_set(action=action, status="lost", user=editor)
    reasons = [h.history_change_reason for h in action.history.all()]
    assert "Status: Deferred (Waiting for the budget)" in reasons


def test_a_manual_action_is_checked(reference_data, school, editor):
    plan, _ = services.plan_generate(establishment=school, today=TODAY)
    with pytest.raises(services.PlanningError):
        services.action_create(
            plan=plan, title=" ", why="", due_date=TODAY, category="other", priority=4,
            estimated_cost=None, owner="", user=editor,
        )  # fmt: skip
    with pytest.raises(services.PlanningError):
        services.action_create(
            plan=plan, title="x", why="", due_date=TODAY, category="other", priority=4,
            estimated_cost=Decimal("-1"), owner="", user=editor,
        )  # fmt: skip
    assert not plan.actions.filter(source="manual").exists()


def test_approving_keeps_an_immutable_snapshot(reference_data, school, registers, approver):
    plan, _ = services.plan_generate(establishment=school, today=TODAY)
    version = services.plan_approve(plan=plan, user=approver)
    assert version.number == 1 and version.approved_by_name == "Hana Head"
    assert len(version.snapshot["actions"]) == plan.actions.filter(is_active=True).count()
    assert version.snapshot["financial_year_basis"] == "april"
    plan.refresh_from_db()
    assert plan.approved_by == approver
    services.action_status_set(action=plan.actions.first(), status="done", user=approver)
    version.refresh_from_db()
    assert all(a["status"] == "planned" for a in version.snapshot["actions"])
    version.number = 9
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert services.plan_approve(plan=plan, user=approver).number == 2
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_budget_totals_each_financial_year_of_the_horizon(reference_data, school, registers):
    plan, _ = services.plan_generate(establishment=school, today=TODAY)
    actions = list(selectors.active_actions(plan=plan))
    years = selectors.budget(plan=plan, actions=actions)
    assert [y.year.label for y in years][:2] == ["2026 to 2027", "2027 to 2028"]
    assert sum(y.total for y in years) == sum(a.estimated_cost or 0 for a in actions)
    plan.financial_year_basis = "september"
    assert selectors.budget(plan=plan, actions=actions)[0].year.label == "2025 to 2026"


def test_settings_change_the_horizon_and_regenerate(reference_data, school, registers, editor):
    plan, _ = services.plan_generate(establishment=school, today=TODAY)
    plan = services.plan_settings_update(plan=plan, horizon_years=3, financial_year_basis="september", user=editor)
    assert plan.horizon_years == 3
    with pytest.raises(services.PlanningError):
        services.plan_settings_update(plan=plan, horizon_years=4, financial_year_basis="", user=editor)


def test_one_school_that_breaks_the_engine_is_skipped_and_the_others_are_planned(
    reference_data, school, registers, monkeypatch, caplog
):
    poisoned = estate.EstablishmentFactory(name="Broken Data School")
    real_build_plan = engine.build_plan

    def build_plan(plan_inputs):
        if plan_inputs.urn == str(poisoned.urn):
            raise OverflowError("date value out of range")
        return real_build_plan(plan_inputs)

    monkeypatch.setattr(engine, "build_plan", build_plan)
    results = services.plans_generate(establishments=[poisoned, school], today=TODAY, isolate_failures=True)
    assert list(results) == [school.pk]
    assert results[school.pk][0].actions.exists()
    assert not PlanAction.objects.filter(plan__establishment=poisoned).exists()
    [skipped] = [record for record in caplog.records if record.getMessage() == "Scheduled job skipped a record"]
    assert skipped.record == f"Broken Data School (URN {poisoned.urn})"
    assert "OverflowError" in skipped.reason


def test_a_single_school_plan_still_reports_its_own_failure(reference_data, school, monkeypatch):
    def build_plan(plan_inputs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(engine, "build_plan", build_plan)
    with pytest.raises(OverflowError):
        services.plan_generate(establishment=school, today=TODAY)


def test_marking_a_duty_done_records_it_and_brings_the_next_occurrence(reference_data, school, editor):
    plan, _ = services.plan_generate(establishment=school, user=editor)
    review = plan.actions.get(key="duty:filtering_monitoring_review:not-recorded")
    services.action_status_set(action=review, status=PlanAction.Status.DONE, user=editor)
    record = DutyRecord.objects.get()
    today = datetime.date.today()
    assert (record.duty_key, record.done_on, record.done_by, record.source) == (
        "filtering_monitoring_review",
        today,
        "Erin Editor",
        DutyRecord.Source.PLAN,
    )
    review.refresh_from_db()
    assert (review.status, review.is_active) == (PlanAction.Status.DONE, False)  # kept, no longer planned
    next_review = plan.actions.get(key__startswith="duty:filtering_monitoring_review:", is_active=True)
    assert next_review.key == f"duty:filtering_monitoring_review:{calendar.add_years(today, 1).isoformat()}"
    assert next_review.status == PlanAction.Status.PLANNED


def test_one_school_whose_values_the_database_refuses_is_skipped_and_the_others_are_written(
    reference_data, school, registers, monkeypatch, caplog
):
    """The schools' actions go in together in a few bulk writes; a value the database refuses (here
    an action with no due date) must still cost only its own school its plan."""
    poisoned = estate.EstablishmentFactory(name="Refused Values School")
    real_build_plan = engine.build_plan

    def build_plan(plan_inputs):
        proposals = real_build_plan(plan_inputs)
        if plan_inputs.urn == str(poisoned.urn):
            return [dataclasses.replace(proposal, due_date=None) for proposal in proposals]
        return proposals

    monkeypatch.setattr(engine, "build_plan", build_plan)
    results = services.plans_generate(establishments=[poisoned, school], today=TODAY, isolate_failures=True)
    assert list(results) == [school.pk]
    assert PlanAction.objects.filter(plan__establishment=school).exists()
    assert not PlanAction.objects.filter(plan__establishment=poisoned).exists()
    [skipped] = [record for record in caplog.records if record.getMessage() == "Scheduled job skipped a record"]
    assert skipped.record == f"Refused Values School (URN {poisoned.urn})"
    assert "IntegrityError" in skipped.reason or "NotNullViolation" in skipped.reason  # Django or psycopg (COPY)
