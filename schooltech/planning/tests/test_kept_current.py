"""A plan that keeps itself current: the facts behind it change, a queued update brings it up to date."""

import datetime
import json

import pytest
from django_tasks_db.models import DBTaskResult

from schooltech.core.changes import school_facts_changed
from schooltech.estate import registers
from schooltech.estate import services as estate_services
from schooltech.planning import services
from schooltech.planning.models import Category, Plan, PlanAction
from schooltech.standards import services as standards_services
from tests import worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_the_worker(monkeypatch):
    """What `db_worker` does in `make dev` and production: run every queued task, then stop."""
    return lambda: worker.run_the_worker(monkeypatch)


@pytest.fixture
def plan(reference_data, school, editor):
    plan, _ = services.plan_generate(establishment=school, user=editor)
    return plan


def test_a_register_change_is_reflected_in_the_plan_without_pressing_anything(
    plan, school, editor, editor_client, django_capture_on_commit_callbacks, run_the_worker
):
    kept = plan.actions.filter(is_active=True).first()
    services.action_status_set(action=kept, status=PlanAction.Status.IN_PROGRESS, user=editor)
    manual = services.action_create(
        plan=plan, title="Train staff on phishing", why="", due_date=datetime.date(2027, 1, 31),
        category=Category.CYBER, priority=2, estimated_cost=None, owner="", user=editor,
    )  # fmt: skip
    assert not plan.actions.filter(rule_key="device_support").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/api/v1/schools/{school.urn}/estate/assets",
            json.dumps({"category": "laptop", "serial_number": "OLD1", "operating_system": "Windows 10 Education",
                        "os_version": "22H2"}),
            content_type="application/json",
        )  # fmt: skip
    assert response.status_code == 201, response.content
    plan.refresh_from_db()
    assert plan.refresh_requested_at is not None
    assert plan.pending_changes == ["The assets register changed"]

    run_the_worker()

    plan.refresh_from_db()
    laptops = plan.actions.get(rule_key="device_support", is_active=True)
    assert "1 laptop" in laptops.title
    assert plan.refresh_requested_at is None and plan.pending_changes == []
    assert plan.last_update["changes"] == ["The assets register changed"]
    assert laptops.title in plan.last_update["new_titles"]
    kept.refresh_from_db()
    manual.refresh_from_db()
    assert kept.status == PlanAction.Status.IN_PROGRESS
    assert manual.is_active and manual.title == "Train staff on phishing"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    page = editor_client.get(f"/schools/{school.urn}/plan/").content.decode()
    assert "The assets register changed" in page
    assert "New: " + laptops.title in page.replace("&#39;", "'")


def test_fifty_changes_in_a_row_queue_one_update(
    plan, school, editor, django_capture_on_commit_callbacks, run_the_worker
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for number in range(50):
            estate_services.register_item_create(
                register=registers.REGISTERS["assets"], establishment=school, user=editor,
                data={"category": "laptop", "serial_number": f"S{number}"},
            )  # fmt: skip
    assert len(callbacks) == 1
    assert DBTaskResult.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):  # more changes while the update waits: still one
        estate_services.register_item_create(
            register=registers.REGISTERS["contracts"], establishment=school, user=editor,
            data={"supplier": "Acme Ltd", "title": "Broadband"},
        )  # fmt: skip
    assert DBTaskResult.objects.count() == 1
    plan.refresh_from_db()
    assert plan.pending_changes == ["The assets register changed", "The contracts register changed"]

    run_the_worker()
    plan.refresh_from_db()
    assert plan.last_update["changes"] == ["The assets register changed", "The contracts register changed"]


def test_an_import_queues_one_update_after_it_commits(plan, school, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        school_facts_changed(establishment_id=school.pk, what="assets.csv imported into the assets register")
    assert DBTaskResult.objects.count() == 1


def test_a_change_that_rolls_back_queues_nothing(plan, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        school_facts_changed(establishment_id=school.pk, what="The assets register changed")
    assert len(callbacks) == 1  # run only on commit: a rolled-back change never runs it
    assert not DBTaskResult.objects.exists()


def test_a_submitted_self_assessment_and_a_recorded_duty_mark_the_plan(plan, school, editor):
    standards_services.duty_done_record(
        establishment=school, duty_key="filtering_monitoring_review", done_on=datetime.date(2026, 10, 1),
        done_by="Ann", source="self_assessment", user=editor,
    )  # fmt: skip
    plan.refresh_from_db()
    assert plan.refresh_requested_at is not None
    assert plan.pending_changes[0].startswith("Recorded as done: ")


def test_a_school_without_a_plan_gets_none_made(reference_data, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        school_facts_changed(establishment_id=school.pk, what="The assets register changed")
    assert not Plan.objects.exists() and not DBTaskResult.objects.exists()


def test_an_update_that_already_happened_does_nothing(plan, school, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        school_facts_changed(establishment_id=school.pk, what="The assets register changed")
    services.plan_generate(establishment=school, user=editor, because="Ann asked for the plan to be updated")
    plan.refresh_from_db()
    assert plan.last_update["changes"] == ["The assets register changed", "Ann asked for the plan to be updated"]
    assert services.plan_refresh(establishment_id=school.pk) == "up to date"


def test_a_queued_update_whose_worker_never_ran_is_queued_again(plan, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        school_facts_changed(establishment_id=school.pk, what="The assets register changed")
    Plan.objects.filter(pk=plan.pk).update(
        refresh_requested_at=plan.generated_at - services.REFRESH_GRACE - datetime.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        school_facts_changed(establishment_id=school.pk, what="The assets register changed")
    assert DBTaskResult.objects.count() == 2


def test_duty_records_kept_in_step_by_another_source_mark_the_plan_only_when_they_change(plan, school, editor):
    done = {datetime.date(2026, 10, 1): "Ann"}
    standards_services.duty_records_sync(
        establishment=school, duty_key="cyber_training", source="training", done=done, user=editor
    )
    plan.refresh_from_db()
    assert plan.pending_changes and plan.pending_changes[0].startswith("Training records changed: ")

    Plan.objects.filter(pk=plan.pk).update(refresh_requested_at=None, pending_changes=[])
    standards_services.duty_records_sync(
        establishment=school, duty_key="cyber_training", source="training", done=done, user=editor
    )
    plan.refresh_from_db()
    assert plan.refresh_requested_at is None  # the same records: nothing changed
