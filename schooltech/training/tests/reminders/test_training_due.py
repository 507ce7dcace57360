"""Reminders before an audience's training lapses: from 30 days before it is due again, once."""

import datetime

import pytest
from django.utils import timezone

from schooltech.notifications import reminders as run
from schooltech.notifications.models import OutboxMessage
from schooltech.training import reminders, services
from schooltech.training.models import Course

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 0)))


def _record(school, audience, on, course="ncsc-staff-cyber-training"):
    return services.training_record_create(
        establishment=school,
        course=Course.objects.get(key=course),
        audience=audience,
        people=3,
        completed_on=on,
        user=None,
        today=on,
    )


@pytest.fixture
def trained(catalogues, school, editor, approver, viewer, outsider):
    _record(school, "all_staff", datetime.date(2026, 3, 10))
    _record(school, "governors", datetime.date(2026, 5, 20))
    return school


def test_nothing_goes_before_30_days_then_editors_and_approvers_hear_once(trained, sent_to):
    assert reminders.training_due(now=at(datetime.date(2027, 2, 7))) == 0
    assert reminders.training_due(now=at(datetime.date(2027, 2, 8))) == 2  # 30 days before 10 March 2027
    assert sent_to("training_due") == ["editor@oak.example", "head@oak.example"]
    message = OutboxMessage.objects.filter(template_key="training_due").first()
    assert message.personalisation["training"] == "Cyber security training for all staff"
    assert message.personalisation["due_date"] == "10 March 2027"
    assert (
        "Cyber security training for school staff (National Cyber Security Centre (NCSC))"
        in (message.personalisation["courses"])
    )
    assert reminders.training_due(now=at(datetime.date(2027, 2, 9))) == 0  # already reminded


def test_each_audience_has_its_own_reminder(trained, sent_to):
    reminders.training_due(now=at(datetime.date(2027, 2, 8)))
    assert reminders.training_due(now=at(datetime.date(2027, 4, 25))) == 2  # governors: due 20 May 2027
    governors = OutboxMessage.objects.filter(template_key="training_due").order_by("-pk").first()
    assert governors.personalisation["training"] == "Cyber security training for governors or trustees"


def test_retraining_moves_the_date_so_no_reminder_goes(trained):
    _record(trained, "all_staff", datetime.date(2027, 2, 1))
    assert reminders.training_due(now=at(datetime.date(2027, 2, 8))) == 0


def test_lapsed_training_is_not_reminded_again_here(trained):
    """Once past due the standards' own duty reminders and the plan take over."""
    assert reminders.training_due(now=at(datetime.date(2027, 6, 1))) == 0


def test_the_scheduled_run_includes_it_and_the_digest_lists_it(trained, editor, prefer):
    results = dict(run.enqueue_due(now=at(datetime.date(2027, 2, 8))))
    assert results[reminders.JOB] >= 1
    prefer(editor, training_due="weekly")
    lines = reminders.digest_lines(editor, datetime.date(2027, 2, 15))
    assert lines == ["Oak Primary School: Cyber security training for all staff: due by 10 March 2027"]


def test_one_bad_school_does_not_stop_the_others(trained, other_school, outsider, monkeypatch, sent_to):
    _record(other_school, "all_staff", datetime.date(2026, 3, 10))
    real = reminders._remind

    def broken(school, item, **kwargs):
        if school.pk == trained.pk:
            raise RuntimeError("bad data")
        return real(school, item, **kwargs)

    monkeypatch.setattr(reminders, "_remind", broken)
    assert reminders.training_due(now=at(datetime.date(2027, 2, 8))) == 1
    assert sent_to("training_due") == ["it@elm.example"]
