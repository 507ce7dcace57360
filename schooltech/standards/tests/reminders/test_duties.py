"""The standards' termly duties (at the start of each term) and annual duties (in December)."""

import datetime

import pytest
from django.utils import timezone

from schooltech.notifications.models import OutboxMessage, SentReminder
from schooltech.planning.models import Plan
from schooltech.standards import reminders
from schooltech.standards.models import CatalogueVersion, Duty, DutyRecord, Standard

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 0)))


@pytest.fixture
def duties(db):
    version = CatalogueVersion.objects.create(label="test", digest="d" * 64, is_current=True)
    cyber = Standard.objects.create(
        version=version,
        key="cyber_security",
        position=1,
        title="Cyber security",
        summary="",
        guidance_url="https://www.gov.uk/",
        first_question="q",
    )
    make = lambda key, title, cadence: Duty.objects.create(  # noqa: E731
        version=version, standard=cyber, key=key, title=title, cadence=cadence, usually_done_by="IT lead"
    )
    return [
        make("user_account_review", "Review user accounts and remove leavers", "termly"),
        make("backup_restore_test", "Test restoring from a backup", "termly"),
        make("disaster_recovery_test", "Test the disaster recovery plan", "annual"),
    ]


@pytest.fixture
def planned_school(school):
    Plan.objects.create(establishment=school)
    return school


def test_a_term_starts_the_termly_round_and_december_adds_the_annual_one():
    spring = reminders.duty_rounds(datetime.date(2027, 1, 4))
    assert [(r.cadence, r.code, r.period, r.starts, r.due) for r in spring] == [
        ("termly", "2026-spring", "spring term 2027", datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))
    ]
    december = reminders.duty_rounds(datetime.date(2026, 12, 2))
    assert [(r.cadence, r.code, r.period, r.starts, r.due) for r in december] == [
        ("termly", "2026-autumn", "autumn term 2026", datetime.date(2026, 9, 1), datetime.date(2026, 12, 31)),
        ("annual", "2026", "2026 to 2027 school year", datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)),
    ]


def test_schools_with_a_plan_hear_about_the_termly_duties_at_the_start_of_term(
    duties, planned_school, editor, viewer, outsider, sent_to
):
    assert reminders.standards_duties(now=at(datetime.date(2027, 4, 1))) == 1

    assert sent_to("standards_duties_due") == ["editor@oak.example"]
    message = OutboxMessage.objects.get()
    assert message.personalisation == {
        "organisation_name": "Oak Primary School",
        "period": "summer term 2027",
        "due_date": "31 August 2027",
        "duties": (
            "* Test restoring from a backup (Cyber security standard, usually done by: IT lead)\n"
            "* Review user accounts and remove leavers (Cyber security standard, usually done by: IT lead)"
        ),
        "standards_url": "http://127.0.0.1:8000/schools/800001/standards",
        "preferences_url": "http://127.0.0.1:8000/account/email-preferences",
    }
    ledger = SentReminder.objects.get()
    assert (ledger.subject, ledger.occurrence) == (planned_school, datetime.date(2027, 4, 1))


def test_the_termly_reminder_is_sent_once_a_term(duties, planned_school, editor):
    assert reminders.standards_duties(now=at(datetime.date(2027, 4, 1))) == 1
    assert reminders.standards_duties(now=at(datetime.date(2027, 4, 2))) == 0
    assert reminders.standards_duties(now=at(datetime.date(2027, 8, 31))) == 0
    assert reminders.standards_duties(now=at(datetime.date(2027, 9, 1))) == 1


def test_annual_duties_come_in_december_in_their_own_email(duties, planned_school, editor):
    reminders.standards_duties(now=at(datetime.date(2026, 11, 30)))  # the autumn term's termly round
    assert reminders.standards_duties(now=at(datetime.date(2026, 12, 1))) == 1

    annual = OutboxMessage.objects.order_by("-pk").first()
    assert annual.personalisation["period"] == "2026 to 2027 school year"
    assert annual.personalisation["duties"].startswith("* Test the disaster recovery plan")
    assert reminders.standards_duties(now=at(datetime.date(2026, 12, 20))) == 0


def test_schools_without_an_assessment_or_plan_are_not_reminded(duties, school, editor):
    assert reminders.standards_duties(now=at(datetime.date(2027, 4, 1))) == 0


def test_a_submitted_self_assessment_is_enough(duties, school, editor):
    from schooltech.standards.models import Assessment

    Assessment.objects.create(
        establishment=school, standard=duties[0].standard, standard_key="cyber_security", state="in_progress"
    )
    assert reminders.standards_duties(now=at(datetime.date(2027, 4, 1))) == 0
    Assessment.objects.filter(establishment=school).update(state="submitted")
    assert reminders.standards_duties(now=at(datetime.date(2027, 4, 2))) == 1


def test_duties_done_this_term_are_left_out(duties, planned_school, editor):
    for duty in duties[:2]:
        DutyRecord.objects.create(
            establishment=planned_school, duty_key=duty.key, done_on=datetime.date(2027, 4, 1), source="plan"
        )
    assert reminders.standards_duties(now=at(datetime.date(2027, 4, 1))) == 0
    assert reminders.standards_duties(now=at(datetime.date(2027, 9, 1))) == 1  # a new term, new duties


@pytest.mark.parametrize(("frequency", "sent"), [("immediately", 1), ("weekly", 0), ("never", 0)])
def test_preferences_decide_whether_standards_reminders_come_now(
    duties, planned_school, editor, prefer, frequency, sent
):
    prefer(editor, standards_duty=frequency)
    assert reminders.standards_duties(now=at(datetime.date(2027, 4, 1))) == sent
