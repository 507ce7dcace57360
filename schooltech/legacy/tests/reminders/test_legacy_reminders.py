"""The legacy register's reminders through the outbox: milestones (and overdue ones), support ends,
contract notice dates and the quarterly review, to department roles only, once each."""

import datetime

import pytest
from django.utils import timezone

from schooltech.accounts.models import Role
from schooltech.legacy import reminders, services
from schooltech.legacy.models import Milestone
from schooltech.notifications import registry
from schooltech.notifications import reminders as run
from schooltech.notifications.models import OutboxMessage
from schooltech.organisations.reference import DEPARTMENT
from tests.factories import LegacyContractFactory, LegacyServiceFactory, LegacySoftwareFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def department(member):
    return {
        "owner": member("owner@education.example", DEPARTMENT, Role.SERVICE_OWNER),
        "architect": member("architect@education.example", DEPARTMENT, Role.ARCHITECT),
        "reviewer": member("reviewer@education.example", DEPARTMENT, Role.RISK_REVIEWER),
        "viewer": member("viewer@education.example", DEPARTMENT, Role.VIEWER),
    }


@pytest.fixture
def service(db):
    return LegacyServiceFactory(name="Teacher pensions calculator")


def _milestone(service, due_on, **fields):
    return Milestone.objects.create(
        service=service, title="Move to the cloud", owner="Ann Lee", due_on=due_on, **fields
    )


@pytest.mark.parametrize(("days_left", "expected"), [(31, None), (30, 30), (8, 30), (7, 7), (0, 7), (-1, None)])
def test_which_reminder_is_due_depends_on_the_days_left(today, days_left, expected):
    day = today + days_left * DAY
    found = reminders.occurrence(day, today, reminders.MILESTONE_DAYS)
    assert found == (None if expected is None else day - expected * DAY)


def test_a_milestone_30_days_away_reminds_service_owners_and_risk_reviewers_once(
    department, service, editor, approver, now, today, sent_to
):
    _milestone(service, today + 30 * DAY)
    assert reminders.legacy_reminders(now=now) == 2
    assert sent_to("legacy_date_due") == ["owner@education.example", "reviewer@education.example"]
    message = OutboxMessage.objects.filter(template_key="legacy_date_due").first()
    assert message.personalisation["event"] == "Milestone “Move to the cloud” (owner Ann Lee) is due"
    assert message.personalisation["days_left"] == "in 30 days"
    assert message.personalisation["service_url"].endswith(f"/department/legacy-technology/services/{service.pk}")
    assert reminders.legacy_reminders(now=now) == 0  # the ledger: once
    assert reminders.legacy_reminders(now=now + 10 * DAY) == 0  # still the 30-day reminder's window
    assert reminders.legacy_reminders(now=now + 23 * DAY) == 2  # 7 days before


def test_an_overdue_milestone_reminds_once_and_a_done_one_never(department, service, now, today, sent_to):
    _milestone(service, today - 3 * DAY)
    _milestone(service, today + 7 * DAY, done_on=today - DAY)
    assert reminders.legacy_reminders(now=now) == 2
    message = OutboxMessage.objects.get(template_key="legacy_date_due", to_email="owner@education.example")
    assert "is overdue" in message.personalisation["event"]
    assert message.personalisation["days_left"].startswith("overdue since")
    assert reminders.legacy_reminders(now=now + DAY) == 0


def test_support_ends_and_notice_dates_remind_service_owners_and_architects(department, service, now, today, sent_to):
    LegacySoftwareFactory(service=service, name="Java", version="8", support_ends=today + 180 * DAY)
    LegacyContractFactory(
        service=service, supplier="Hosting Ltd", ends_on=today + 200 * DAY, notice_by=today + 30 * DAY
    )
    LegacySoftwareFactory(service=service, name="Far", version="1", support_ends=today + 181 * DAY)
    assert reminders.legacy_reminders(now=now) == 4
    assert sent_to("legacy_date_due") == ["architect@education.example"] * 2 + ["owner@education.example"] * 2
    events = set(OutboxMessage.objects.values_list("personalisation__event", flat=True))
    assert events == {"Support for Java 8 ends", "Notice must be given on the Hosting Ltd contract"}


def test_nobody_at_a_school_and_no_department_viewer_hears(department, service, editor, approver, now, today):
    _milestone(service, today + 7 * DAY)
    LegacySoftwareFactory(service=service, support_ends=today + 60 * DAY)
    reminders.legacy_reminders(now=now)
    recipients = set(OutboxMessage.objects.values_list("to_email", flat=True))
    assert recipients and not recipients & {"editor@oak.example", "head@oak.example", "viewer@education.example"}


def test_the_quarterly_review_goes_to_every_department_role_in_the_quarters_first_two_weeks(
    department, service, sent_to
):
    at = timezone.make_aware(datetime.datetime(2027, 4, 3, 7, 0))
    _milestone(service, datetime.date(2027, 3, 1))
    assert reminders.legacy_reminders(now=at) >= 3
    assert sent_to("legacy_quarterly_review") == [
        "architect@education.example",
        "owner@education.example",
        "reviewer@education.example",
    ]
    review = OutboxMessage.objects.filter(template_key="legacy_quarterly_review").first()
    assert review.personalisation["quarter"] == "1 April 2027 to 30 June 2027"
    assert (
        "Teacher pensions calculator: milestone “Move to the cloud” was due 1 March 2027"
        in review.personalisation["services"]
    )
    assert reminders.legacy_reminders(now=at + 5 * DAY) == 0  # once a quarter
    OutboxMessage.objects.all().delete()
    assert (
        reminders.legacy_reminders(now=timezone.make_aware(datetime.datetime(2027, 4, 20, 7))) == 0
    )  # after the window


def test_people_who_chose_never_hear_nothing_and_weekly_ones_get_it_in_the_digest(
    department, service, prefer, now, today
):
    prefer(department["owner"], legacy_technology="never")
    prefer(department["reviewer"], legacy_technology="weekly")
    _milestone(service, today + 7 * DAY)
    assert reminders.legacy_reminders(now=now) == 0
    lines = reminders.digest_lines(department["reviewer"], today)
    assert lines == ["Teacher pensions calculator: milestone “Move to the cloud” due 8 March 2027"]
    assert reminders.digest_lines(department["viewer"], today) == []


def test_one_bad_record_is_skipped_and_the_others_still_go(department, service, now, today, monkeypatch, sent_to):
    _milestone(service, today + 7 * DAY)
    LegacySoftwareFactory(service=service, name="Java", version="8", support_ends=today + 60 * DAY)
    original = reminders._remind

    def broken(due, **kwargs):
        if "Milestone" in due.event:
            raise ValueError("broken record")
        return original(due, **kwargs)

    monkeypatch.setattr(reminders, "_remind", broken)
    assert reminders.legacy_reminders(now=now) == 2
    assert sent_to("legacy_date_due") == ["architect@education.example", "owner@education.example"]


def test_the_job_is_registered_and_runs_in_the_daily_run(department, service, now, today):
    assert reminders.JOB in [job.name for job in registry.scheduled_jobs()]
    _milestone(service, today + 30 * DAY)
    results = dict(run.enqueue_due(now=now))
    assert results[reminders.JOB] == 2


def test_only_department_roles_are_asked_about_legacy_reminders_on_the_preferences_page(client, department, editor):
    client.force_login(department["architect"])
    assert "The department’s legacy technology" in client.get("/account/email-preferences").content.decode()
    client.force_login(editor)
    assert "legacy technology" not in client.get("/account/email-preferences").content.decode()


def _failures(caplog):
    return [record for record in caplog.records if record.levelname == "ERROR"]


def test_deleted_items_are_no_longer_reminded_about_and_the_runs_still_work(
    department, service, now, today, sent_to, caplog
):
    milestone = _milestone(service, today + 30 * DAY)
    software = LegacySoftwareFactory(service=service, name="Java", version="8", support_ends=today + 180 * DAY)
    contract = LegacyContractFactory(
        service=service, supplier="Hosting Ltd", ends_on=today + 200 * DAY, notice_by=today + 90 * DAY
    )
    other = LegacyServiceFactory(name="Payments hub")
    kept = Milestone.objects.create(service=other, title="Keep going", owner="Bo", due_on=today + 30 * DAY)
    assert reminders.legacy_reminders(now=now) == 8  # each of the four to two people
    owner = department["owner"]
    services.milestone_delete(actor=owner, milestone=milestone)
    services.software_delete(actor=owner, software=software)
    services.supplier_contract_delete(actor=owner, contract=contract)
    OutboxMessage.objects.all().delete()
    # each deleted item's next reminder would fall due: 7 days before the milestone, 30 before the notice
    # date, 60 before the support end; only the other service's milestone is still reminded about
    assert reminders.legacy_reminders(now=now + 23 * DAY) == 2
    events = set(OutboxMessage.objects.values_list("personalisation__event", flat=True))
    assert events == {"Milestone “Keep going” (owner Bo) is due"}
    assert reminders.digest_lines(department["reviewer"], today + 23 * DAY) == [
        "Payments hub: milestone “Keep going” due 31 March 2027"
    ]
    services.milestone_complete(actor=owner, milestone=kept, done_on=today + 23 * DAY)
    assert reminders.legacy_reminders(now=now + 60 * DAY) == 0
    assert reminders.legacy_reminders(now=now + 120 * DAY) == 0
    assert not _failures(caplog)


def test_a_deleted_service_is_no_longer_reminded_about(department, service, now, today, caplog):
    _milestone(service, today + 7 * DAY)
    _milestone(service, today - DAY)
    LegacySoftwareFactory(service=service, support_ends=today + 60 * DAY)
    services.legacy_service_delete(actor=department["owner"], service=service)
    assert reminders.legacy_reminders(now=now) == 0
    assert reminders.digest_lines(department["reviewer"], today) == []
    assert not OutboxMessage.objects.exists() and not _failures(caplog)


def test_a_changed_milestone_is_reminded_about_at_its_new_date_with_its_new_title(
    department, service, now, today, caplog
):
    milestone = _milestone(service, today + 30 * DAY)
    assert reminders.legacy_reminders(now=now) == 2
    assert reminders.legacy_reminders(now=now + DAY) == 0  # still the 30-day reminder's window
    services.milestone_update(
        actor=department["reviewer"], milestone=milestone, title="Move to a cloud", owner="Bo", due_on=today + 8 * DAY
    )
    assert reminders.legacy_reminders(now=now + DAY) == 2  # now 7 days before its new date
    latest = OutboxMessage.objects.filter(template_key="legacy_date_due").order_by("-id").first()
    assert latest.personalisation["event"] == "Milestone “Move to a cloud” (owner Bo) is due"
    assert latest.personalisation["days_left"] == "in 7 days"
    assert not _failures(caplog)
