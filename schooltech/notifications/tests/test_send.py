"""Sending outbox messages through the fake Notify: success, retries, faults and idempotency."""

from datetime import timedelta

import pytest
import requests
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from schooltech.notifications import services
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


def control(fake, **changes):
    requests.post(f"{fake.url}/_control", json=changes, timeout=2).raise_for_status()


def reload(message):
    return OutboxMessage.objects.get(pk=message.pk)


def test_a_due_message_is_sent_once_and_recorded_as_accepted(fake_notify, message):
    assert services.outbox_message_send(message_id=message.pk) == "accepted"

    message = reload(message)
    [sent] = fake_notify.find(reference=None)
    assert message.status == Status.ACCEPTED
    assert str(message.notify_id) == sent["id"]
    assert sent["reference"] == message.reference
    assert sent["subject"] == "You can now use Plan and manage school technology for Oak Academy"
    assert message.attempts == 1
    assert message.sent_at is not None


def test_sending_the_same_message_again_does_nothing(fake_notify, message):
    services.outbox_message_send(message_id=message.pk)
    assert services.outbox_message_send(message_id=message.pk) == "not-due"
    assert fake_notify.stats()["requests"] == 1


def test_a_5xx_schedules_a_retry_with_backoff_and_a_delayed_task(
    fake_notify, message, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_RETRY_BASE_SECONDS = 30
    control(fake_notify, mode="fail", fail_status=500)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbox_message_send(message_id=message.pk) == "retry"

    message = reload(message)
    assert message.status == Status.PENDING
    assert message.attempts == 1
    assert "500" in message.last_error
    assert before + timedelta(seconds=23) <= message.next_attempt_at <= before + timedelta(seconds=31)
    task = DBTaskResult.objects.get()
    assert task.run_after == message.next_attempt_at
    assert task.args_kwargs["kwargs"] == {"message_id": message.pk}


def test_a_retry_is_not_sent_before_it_is_due(fake_notify, message):
    control(fake_notify, mode="fail")
    services.outbox_message_send(message_id=message.pk)
    control(fake_notify, mode="ok")
    assert services.outbox_message_send(message_id=message.pk) == "not-due"
    assert fake_notify.stats()["sent"] == 0


def test_the_backoff_doubles_with_each_attempt_up_to_the_maximum(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS, settings.NOTIFY_RETRY_MAX_SECONDS = 10, 60
    delays = [services.retry_delay(attempt).total_seconds() for attempt in (1, 2, 3, 4, 5)]
    assert 8 <= delays[0] <= 10
    assert 16 <= delays[1] <= 20
    assert 32 <= delays[2] <= 40
    assert 48 <= delays[3] <= 60
    assert 48 <= delays[4] <= 60


def test_after_a_5xx_the_retry_sends_once_notify_recovers(fake_notify, message):
    control(fake_notify, mode="fail", fail_status=503)
    services.outbox_message_send(message_id=message.pk)
    control(fake_notify, mode="ok")
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert services.outbox_message_send(message_id=message.pk) == "accepted"
    assert reload(message).attempts == 2
    assert fake_notify.stats()["sent"] == 1


def test_an_answer_lost_after_notify_accepted_is_found_by_reference_not_sent_again(fake_notify, message):
    control(fake_notify, mode="drop-after-accept")
    assert services.outbox_message_send(message_id=message.pk) == "retry"
    assert reload(message).outcome_unknown is True
    control(fake_notify, mode="ok")
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert services.outbox_message_send(message_id=message.pk) == "accepted"

    stats = fake_notify.stats()
    assert stats["sent"] == 1
    assert stats["requests"] == 1  # the retry looked the message up instead of posting it again
    assert stats["duplicates"] == 0
    assert str(reload(message).notify_id) == fake_notify.find(reference=None)[0]["id"]


def test_notify_being_down_is_retried(fake_notify, message):
    control(fake_notify, mode="down")
    assert services.outbox_message_send(message_id=message.pk) == "retry"
    message = reload(message)
    assert message.status == Status.PENDING
    assert "no answer from Notify" in message.last_error


def test_a_429_is_retried_and_does_not_mark_the_outcome_unknown(fake_notify, message):
    control(fake_notify, rate_limit_per_minute=0)
    assert services.outbox_message_send(message_id=message.pk) == "retry"
    message = reload(message)
    assert message.status == Status.PENDING
    assert "429" in message.last_error
    assert message.outcome_unknown is False


def test_a_permanent_failure_is_recorded_with_notifys_reason_and_not_retried(fake_notify, message, settings):
    settings.NOTIFY_TEMPLATE_IDS = {"access_request_approved": "00000000-0000-0000-0000-000000000000"}
    assert services.outbox_message_send(message_id=message.pk) == "rejected"
    message = reload(message)
    assert message.status == Status.REJECTED
    assert "400 BadRequestError: Template not found" in message.last_error
    assert message.next_attempt_at is None
    assert services.outbox_message_send(message_id=message.pk) == "not-due"


def test_a_message_that_keeps_failing_is_marked_failed_after_the_maximum_attempts(fake_notify, message, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    control(fake_notify, mode="fail")
    services.outbox_message_send(message_id=message.pk)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert services.outbox_message_send(message_id=message.pk) == "failed"
    message = reload(message)
    assert message.status == Status.FAILED
    assert message.next_attempt_at is None
    assert message.last_error.startswith("Attempt 2: 500")


def test_a_message_abandoned_by_a_dead_worker_is_looked_up_then_sent(fake_notify, message):
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=6), attempts=1
    )
    assert services.outbox_message_send(message_id=message.pk) == "accepted"
    assert fake_notify.stats()["sent"] == 1


def test_a_message_being_sent_by_a_live_worker_is_left_alone(fake_notify, message):
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=timezone.now())
    assert services.outbox_message_send(message_id=message.pk) == "not-due"
    assert fake_notify.stats()["requests"] == 0


def test_the_daily_cap_defers_sending_to_the_next_day(fake_notify, approved_personalisation, settings):
    settings.NOTIFY_DAILY_CAP = 1
    first, second = (
        services.email_enqueue(
            to_email=f"person{number}@example.org",
            template_key="access_request_approved",
            personalisation=approved_personalisation,
        )
        for number in (1, 2)
    )
    assert services.outbox_message_send(message_id=first.pk) == "accepted"
    assert services.outbox_message_send(message_id=second.pk) == "daily-cap"

    second = reload(second)
    assert second.status == Status.PENDING
    assert second.attempts == 0
    assert "Daily sending cap of 1 reached" in second.last_error
    assert timezone.localtime(second.next_attempt_at).date() == timezone.localdate() + timedelta(days=1)
    assert timezone.localtime(second.next_attempt_at).hour == 0
    assert fake_notify.stats()["sent"] == 1


def test_a_deleted_message_is_not_sent(fake_notify):
    assert services.outbox_message_send(message_id=123456) == "not-due"


def test_a_message_over_the_shared_rate_is_handed_back_unsent_to_go_when_a_token_is_due(
    fake_notify, approved_personalisation, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_SEND_RATE_PER_MINUTE, settings.NOTIFY_SEND_BURST = 1, 1
    first, second = (
        services.email_enqueue(
            to_email=f"person{number}@example.org",
            template_key="access_request_approved",
            personalisation=approved_personalisation,
        )
        for number in (1, 2)
    )
    assert services.outbox_message_send(message_id=first.pk) == "accepted"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbox_message_send(message_id=second.pk) == "rate-limited"

    second = reload(second)
    assert second.status == Status.PENDING
    assert second.attempts == 0
    assert second.outcome_unknown is False
    assert timedelta(seconds=55) <= second.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    assert DBTaskResult.objects.filter(run_after=second.next_attempt_at).exists()
    assert fake_notify.stats()["requests"] == 1
