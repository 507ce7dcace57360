"""The scheduler that runs wherever the service runs: once an hour, one copy at a time, and the
reminder it queues reaches the fake Notify the next day."""

import datetime
import importlib.util
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from schooltech.notifications import reminders, services, templates
from schooltech.notifications.management.commands import run_scheduler
from schooltech.notifications.models import OutboxMessage, ScheduledRun, SentReminder
from tests import worker
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def scheduler_looks_once(capture) -> str:
    output = StringIO()
    with capture(execute=True):  # the scheduler's transaction commits, so its tasks are queued
        call_command("run_scheduler", "--once", stdout=output)
    return output.getvalue()


@pytest.fixture
def worker_runs_the_queue(monkeypatch):
    return lambda: worker.run_the_worker(monkeypatch)


def test_a_due_reminder_reaches_the_fake_notify_the_next_day_without_anyone_running_a_command(
    school, editor, today, now, fake_notify, django_capture_on_commit_callbacks, worker_runs_the_queue
):
    # Notice must be given 91 days from today: the 90-day reminder falls due tomorrow.
    ContractFactory(
        establishment=school, supplier="Acme Ltd", title="Broadband", end_date=today + 121 * DAY, notice_days=30
    )
    with time_machine.travel(now, tick=False):
        first = scheduler_looks_once(django_capture_on_commit_callbacks)
        worker_runs_the_queue()
    assert "contract notice deadlines: 0 queued" in first
    assert not OutboxMessage.objects.exists()

    with time_machine.travel(now + DAY, tick=False):
        second = scheduler_looks_once(django_capture_on_commit_callbacks)
        worker_runs_the_queue()

    assert "contract notice deadlines: 1 queued" in second
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.ACCEPTED
    [sent] = fake_notify.find(reference=message.reference)
    assert sent["email_address"] == "editor@oak.example"
    assert sent["subject"] == "Give notice on the Acme Ltd contract by 31 May 2027"
    assert f"{settings.SERVICE_BASE_URL}/account/email-preferences" in sent["body"]


def test_two_schedulers_in_the_same_hour_run_the_jobs_once(school, editor, today, now):
    ContractFactory(establishment=school, end_date=today + 120 * DAY, notice_days=30)

    first = reminders.scheduled_run(now=now, runner="web-1:100")
    second = reminders.scheduled_run(now=now + datetime.timedelta(minutes=20), runner="web-2:200")

    assert dict(first)["contract notice deadlines"] == 1
    assert second is None
    run = ScheduledRun.objects.get()
    assert (run.slot, run.runner) == (services.scheduled_run_slot(now), "web-1:100")
    assert run.results["contract notice deadlines"] == 1 and run.finished_at is not None
    assert OutboxMessage.objects.count() == SentReminder.objects.count() == 1


def test_the_next_hour_runs_again_and_the_ledger_sends_nothing_twice(school, editor, today, now):
    ContractFactory(establishment=school, end_date=today + 120 * DAY, notice_days=30)
    reminders.scheduled_run(now=now, runner="web-1:100")

    later = reminders.scheduled_run(now=now + datetime.timedelta(hours=1), runner="web-2:200")

    assert later is not None and dict(later)["contract notice deadlines"] == 0
    assert ScheduledRun.objects.count() == 2
    assert OutboxMessage.objects.count() == 1


def test_a_second_look_in_the_same_hour_says_so_and_queues_nothing(
    school, editor, today, now, django_capture_on_commit_callbacks
):
    with time_machine.travel(now, tick=False):
        scheduler_looks_once(django_capture_on_commit_callbacks)
        again = scheduler_looks_once(django_capture_on_commit_callbacks)
    assert "already run by a scheduler" in again
    assert ScheduledRun.objects.count() == 1


def test_make_dev_starts_the_scheduler_beside_the_worker():
    path = Path(settings.BASE_DIR) / "scripts" / "dev.py"
    spec = importlib.util.spec_from_file_location("dev_launcher", path)
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    commands = {name: command[2:] for name, command in dev.PROCESSES}
    assert commands["scheduler"] == ["run_scheduler"]
    assert "default" in commands["worker"][-1] and "notifications" in commands["worker"][-1]


# Email preferences within reach ------------------------------------------------------------------------

REMINDER_TEMPLATES = [
    "contract_notice_reminder",
    "plan_actions_due",
    "plan_actions_overdue",
    "standards_duties_due",
    "access_request_waiting",
    "weekly_digest",
]


@pytest.mark.parametrize("key", REMINDER_TEMPLATES)
def test_every_reminder_email_links_to_the_email_preferences(key):
    template = templates.load_templates()[key]
    assert "((preferences_url))" in template.body
    _, body = template.render({field: field for field in template.fields} | {"preferences_url": "PREFS"})
    assert "You can choose which reminders you get and how often:\nPREFS" in body


def test_your_account_links_to_the_email_preferences(client, editor):
    client.force_login(editor)
    html = client.get(reverse("accounts:account")).content.decode()
    assert f'href="{reverse("notifications:preferences")}"' in html
    assert "Change your email preferences" in html


def test_the_scheduler_keeps_running_when_a_look_fails(monkeypatch, caplog):
    looks = []

    def failing_run(*, now, runner):
        looks.append(now)
        if len(looks) == 1:
            raise RuntimeError("the database went away")
        raise KeyboardInterrupt  # stop the loop after the second look

    monkeypatch.setattr(run_scheduler.reminders, "scheduled_run", failing_run)
    monkeypatch.setattr(run_scheduler.time, "sleep", lambda seconds: None)

    call_command("run_scheduler", "--interval", "1", stdout=StringIO())

    assert len(looks) == 2
    assert "Scheduler run failed" in caplog.text
