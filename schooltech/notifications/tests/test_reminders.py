from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from schooltech.notifications import registry, reminders, services, tasks
from schooltech.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


@pytest.fixture
def message(approved_personalisation):
    return services.email_enqueue(
        to_email="head@oak.example.org",
        template_key="access_request_approved",
        personalisation=approved_personalisation,
    )


def queued_ids() -> list[int]:
    return sorted(task.args_kwargs["kwargs"]["message_id"] for task in DBTaskResult.objects.all())


def test_messages_overdue_for_sending_are_enqueued(message, django_capture_on_commit_callbacks):
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=now - timedelta(minutes=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.outbox_retries_due(now=now) == 1
    assert queued_ids() == [message.pk]


def test_messages_just_due_not_yet_due_or_finished_are_left_alone(
    message, approved_personalisation, django_capture_on_commit_callbacks
):
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=now + timedelta(minutes=1))
    services.email_enqueue(
        to_email="new@example.org", template_key="access_request_approved", personalisation=approved_personalisation
    )  # just queued: its own task will send it
    other = OutboxMessage.objects.create(to_email="a@example.org", template_key="invitation", status=Status.DELIVERED)
    OutboxMessage.objects.filter(pk=other.pk).update(next_attempt_at=now - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.outbox_retries_due(now=now) == 0
    assert queued_ids() == []


def test_a_message_abandoned_by_a_dead_worker_is_enqueued(message, django_capture_on_commit_callbacks):
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=now - timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.outbox_retries_due(now=now) == 1


def test_each_app_registers_its_jobs_and_they_run_in_order():
    assert [job.name for job in registry.scheduled_jobs()] == [
        "emails due a retry",
        "access requests waiting for an approver",
        "access requests: nudges to approvers",
        "contract notice deadlines",
        "technology plan actions due",
        "termly and annual checks for the standards",
        "training about to lapse",
        "peer support requests nobody answered",
        "peer support requests waiting",
        "training course links, checked weekly",
        "the department's legacy technology",
        "national picture snapshot, daily",
        "weekly digests",
    ]


def test_each_app_registers_its_kinds_in_the_preferences_order():
    assert registry.kind_keys() == [
        "contract_notice",
        "plan_action_due",
        "standards_duty",
        "training_due",
        "peer_request_waiting",
        "access_request_waiting",
        "legacy_technology",
    ]


# With one message due a retry and no figures yet, the run queues the retry and a first snapshot.
QUEUED_WITH_NOTHING_ELSE = {"emails due a retry", "national picture snapshot, daily"}


def test_the_command_runs_every_reminder_and_reports_counts(message):
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=3))
    output = StringIO()
    call_command("enqueue_due_notifications", stdout=output)
    lines = output.getvalue().splitlines()
    assert lines == [
        f"{job.name}: {int(job.name in QUEUED_WITH_NOTHING_ELSE)} queued" for job in registry.scheduled_jobs()
    ]


def test_running_the_command_twice_sends_each_message_once(message, fake_notify, django_capture_on_commit_callbacks):
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=3))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("enqueue_due_notifications", stdout=StringIO())
        call_command("enqueue_due_notifications", stdout=StringIO())
    for task in DBTaskResult.objects.filter(task_path=tasks.send_outbox_message.module_path):
        services.outbox_message_send(**task.args_kwargs["kwargs"])
    assert fake_notify.stats()["requests"] == 1
    message.refresh_from_db()
    assert message.status == Status.ACCEPTED
