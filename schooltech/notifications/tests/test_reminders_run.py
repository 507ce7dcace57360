"""The scheduling command end to end: --today, running twice, and a reminder reaching the fake Notify."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from schooltech.accounts.selectors import SchoolPeople
from schooltech.estate import reminders as estate_reminders
from schooltech.notifications import registry, services, tasks
from schooltech.notifications.models import OutboxMessage, SentReminder
from schooltech.planning.models import Plan, PlanAction
from tests.factories import ContractFactory, UserFactory, make_access_request

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def run(today: datetime.date) -> dict[str, int]:
    output = StringIO()
    call_command("enqueue_due_notifications", "--today", today.isoformat(), stdout=output)
    counts = {}
    for line in output.getvalue().splitlines():
        name, _, queued = line.rpartition(": ")
        counts[name] = int(queued.removesuffix(" queued"))
    return counts


@pytest.fixture
def everything_due(school, editor, approver, viewer, prefer, today, now):
    """One of each kind of reminder due on `today`, and a person who takes plan actions weekly."""
    ContractFactory(establishment=school, supplier="Acme Ltd", end_date=today + 120 * DAY, notice_days=30)
    plan = Plan.objects.create(establishment=school)
    PlanAction.objects.create(
        plan=plan, establishment=school, key="a", title="Replace the firewall", why="", due_date=today + 7 * DAY
    )
    asker = UserFactory(email="asker@example.org")
    waiting = make_access_request(asker, school)
    type(waiting).objects.filter(pk=waiting.pk).update(created_at=now - 3 * DAY)
    prefer(viewer, plan_action_due="weekly")
    prefer(editor, plan_action_due="weekly")


def test_the_command_queues_each_kind_for_the_given_day(everything_due, today):
    counts = run(today)

    assert counts == {
        "emails due a retry": 0,
        "access requests waiting for an approver": 0,
        "access requests: nudges to approvers": 1,
        "contract notice deadlines": 2,
        "technology plan actions due": 1,
        "termly and annual checks for the standards": 0,
        "training about to lapse": 0,
        "peer support requests nobody answered": 0,
        "peer support requests waiting": 0,
        "training course links, checked weekly": 0,
        "the department's legacy technology": 0,
        "national picture snapshot, daily": 1,
        "weekly digests": 1,
    }
    assert sorted(OutboxMessage.objects.values_list("template_key", "to_email")) == [
        ("access_request_waiting", "head@oak.example"),
        ("contract_notice_reminder", "editor@oak.example"),
        ("contract_notice_reminder", "head@oak.example"),
        ("plan_actions_due", "head@oak.example"),
        ("weekly_digest", "editor@oak.example"),
    ]


def test_running_twice_on_the_same_day_sends_nothing_new(everything_due, today, now):
    with time_machine.travel(now, tick=False):  # so the first run's emails are not yet due a retry
        run(today)
        before = OutboxMessage.objects.count(), SentReminder.objects.count()

        again = run(today)

    assert set(again.values()) == {0}
    assert (OutboxMessage.objects.count(), SentReminder.objects.count()) == before


def test_a_date_before_anything_is_due_queues_nothing(everything_due, today):
    counts = run(today - 200 * DAY)
    assert counts.pop("national picture snapshot, daily") == 1  # no figures yet: the term's first snapshot
    assert set(counts.values()) == {0}
    assert not OutboxMessage.objects.exists()


def test_an_invalid_date_is_refused_and_changes_nothing(everything_due):
    with pytest.raises(CommandError, match="must be a date like 2027-03-01"):
        call_command("enqueue_due_notifications", "--today", "1 March", stdout=StringIO())
    assert not OutboxMessage.objects.exists()


def test_the_ledger_refuses_a_second_copy_and_queues_no_task_for_it(
    school, editor, today, django_capture_on_commit_callbacks
):
    contract = ContractFactory(establishment=school)
    send = {
        "user": editor,
        "kind": "contract_notice",
        "subjects": [(contract, today)],
        "template_key": "access_request_approved",
        "personalisation": {"organisation_name": "Oak", "role": "Editor", "service_url": "http://x/"},
    }
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.reminder_send(**send)
        second = services.reminder_send(**send)

    assert first is not None and second is None
    assert OutboxMessage.objects.count() == 1
    assert len(callbacks) == 1


def test_a_reminder_in_the_outbox_is_sent_by_the_task_to_notify(
    school, editor, today, now, fake_notify, django_capture_on_commit_callbacks
):
    ContractFactory(
        establishment=school, supplier="Acme Ltd", title="Broadband", end_date=today + 120 * DAY, notice_days=30
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert estate_reminders.contract_notice_deadlines(now=now) == 1
    [queued] = DBTaskResult.objects.all()

    assert tasks.send_outbox_message.call(**queued.args_kwargs["kwargs"]) == "accepted"

    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.ACCEPTED
    [sent] = fake_notify.find(reference=message.reference)
    assert sent["email_address"] == "editor@oak.example"
    assert sent["subject"] == "Give notice on the Acme Ltd contract by 30 May 2027"
    assert "must give notice by 30 May 2027 (in 90 days)" in sent["body"]
    assert message.personalisation["contract_url"] in sent["body"]


# One bad record never stops the run ---------------------------------------------------------------------

EXPECTED_FOR_EVERYTHING_DUE = [
    ("access_request_waiting", "head@oak.example"),
    ("contract_notice_reminder", "editor@oak.example"),
    ("contract_notice_reminder", "head@oak.example"),
    ("plan_actions_due", "head@oak.example"),
    ("weekly_digest", "editor@oak.example"),
]


def skipped(caplog) -> list[tuple[str, str, str]]:
    return [
        (record.job, record.record, record.reason)
        for record in caplog.records
        if record.getMessage() == "Scheduled job skipped a record"
    ]


@pytest.mark.parametrize("notice_days", [1_000_000, 100_000_000])  # before year 1; past the calendar's end
def test_a_contract_whose_notice_period_overflows_is_logged_and_everyone_else_is_reminded(
    everything_due, other_school, outsider, prefer, today, caplog, notice_days
):
    poisoned = ContractFactory(establishment=other_school, end_date=today + 120 * DAY, notice_days=notice_days)
    prefer(outsider, contract_notice="weekly")  # so the digest meets the poisoned contract too

    counts = run(today)

    assert counts["contract notice deadlines"] == 2
    assert counts["weekly digests"] == 1
    assert sorted(OutboxMessage.objects.values_list("template_key", "to_email")) == EXPECTED_FOR_EVERYTHING_DUE
    assert (
        "contract notice deadlines",
        f"contract {poisoned.pk} (school {other_school.pk}, notice {notice_days} days)",
        f"ValueError: no notice deadline: {notice_days} days before {poisoned.end_date} is not a date",
    ) in skipped(caplog)
    assert any(job == "weekly digest: contract_notice" for job, _, _ in skipped(caplog))


def test_a_school_whose_data_raises_is_logged_and_skipped_and_every_other_school_is_reminded(
    everything_due, other_school, outsider, today, caplog, monkeypatch
):
    ContractFactory(establishment=other_school, end_date=today + 120 * DAY, notice_days=30)
    plan = Plan.objects.create(establishment=other_school)
    PlanAction.objects.create(
        plan=plan, establishment=other_school, key="b", title="Replace", why="", due_date=today + 7 * DAY
    )
    for_school = SchoolPeople.for_school

    def broken_for_elm(self, establishment, **kwargs):
        if establishment.pk == other_school.pk:
            raise ValueError("this school's data is broken")
        return for_school(self, establishment, **kwargs)

    monkeypatch.setattr(SchoolPeople, "for_school", broken_for_elm)

    counts = run(today)

    assert counts["contract notice deadlines"] == 2
    assert counts["technology plan actions due"] == 1
    assert sorted(OutboxMessage.objects.values_list("template_key", "to_email")) == EXPECTED_FOR_EVERYTHING_DUE
    reasons = {(job, reason) for job, _, reason in skipped(caplog)}
    assert ("contract notice deadlines", "ValueError: this school's data is broken") in reasons
    assert ("technology plan actions due", "ValueError: this school's data is broken") in reasons


def test_a_job_that_fails_as_a_whole_is_reported_and_the_other_jobs_still_run(everything_due, today, monkeypatch):
    def broken(*, now):
        raise RuntimeError("the database went away")

    registry.register_job(registry.ScheduledJob("a broken job", broken, position=35))
    try:
        output = StringIO()
        with pytest.raises(CommandError, match="These jobs failed: a broken job"):
            call_command("enqueue_due_notifications", "--today", today.isoformat(), stdout=output)
    finally:
        registry.unregister_job("a broken job")

    assert "a broken job: failed (see the log)" in output.getvalue()
    assert sorted(OutboxMessage.objects.values_list("template_key", "to_email")) == EXPECTED_FOR_EVERYTHING_DUE
