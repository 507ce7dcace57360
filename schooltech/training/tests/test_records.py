"""Training records count: they satisfy the standards' duties, in the results and in the plan."""

import datetime

import pytest

from schooltech.planning import selectors as planning_selectors
from schooltech.planning import services as planning_services
from schooltech.standards import selectors as standards_selectors
from schooltech.standards import services as standards_services
from schooltech.standards.models import DutyRecord
from schooltech.training import selectors, services
from schooltech.training.models import Course

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
NCSC = "ncsc-staff-cyber-training"


def _record(school, *, audience, on, people=10, course=NCSC, user=None):
    return services.training_record_create(
        establishment=school,
        course=Course.objects.get(key=course),
        audience=audience,
        people=people,
        completed_on=on,
        user=user,
        today=TODAY,
    )


def _training_records(school):
    return list(
        DutyRecord.objects.filter(establishment=school, duty_key="cyber_training", source="training")
        .order_by("done_on")
        .values_list("done_on", flat=True)
    )


def test_staff_alone_do_not_make_the_duty_done_staff_and_governors_do(catalogues, school, editor):
    _record(school, audience="all_staff", on=datetime.date(2026, 9, 3), people=42, user=editor)
    assert _training_records(school) == []
    _record(school, audience="governors", on=datetime.date(2026, 10, 14), people=2, user=editor)
    assert _training_records(school) == [datetime.date(2026, 9, 3)]
    record = DutyRecord.objects.get(establishment=school, source="training")
    assert "all staff (42 people, 3 September 2026) and " in record.done_by
    assert "and governors or trustees (2 people, 14 October 2026)" in record.done_by
    assert record.recorded_by == editor


def test_the_duty_falls_due_a_year_after_the_earliest_audience(catalogues, school):
    _record(school, audience="all_staff", on=datetime.date(2026, 9, 3))
    _record(school, audience="governors", on=datetime.date(2026, 10, 14))
    due = {
        item.audience: item for item in selectors.audiences_due(establishment_ids=[school.pk], today=TODAY)[school.pk]
    }
    assert due["governors"].due == datetime.date(2027, 10, 14)
    assert due["all_staff"].due == datetime.date(2027, 9, 3)
    assert due["governors"].summary == "Cyber security training for governors or trustees: due by 14 October 2027"
    statuses = {s.duty.key: s for s in standards_selectors.duty_statuses(establishment=school, today=TODAY)}
    assert statuses["cyber_training"].next_due == datetime.date(2027, 9, 3)


def test_other_courses_and_other_audiences_do_not_count(catalogues, school):
    _record(school, audience="all_staff", on=datetime.date(2026, 9, 3), course="kcsie")
    _record(school, audience="governors", on=datetime.date(2026, 9, 3), course="ncsc-governor-questions")
    _record(school, audience="it_support", on=datetime.date(2026, 9, 3))
    assert _training_records(school) == []


def test_removing_a_record_takes_away_what_it_made(catalogues, school, editor):
    _record(school, audience="all_staff", on=datetime.date(2026, 9, 3))
    governors = _record(school, audience="governors", on=datetime.date(2026, 10, 14))
    assert _training_records(school)
    services.training_record_delete(record=governors, user=editor)
    assert _training_records(school) == []


def test_retraining_adds_a_new_date_and_keeps_the_history(catalogues, school):
    _record(school, audience="all_staff", on=datetime.date(2025, 9, 3))
    _record(school, audience="governors", on=datetime.date(2025, 10, 1))
    _record(school, audience="all_staff", on=datetime.date(2026, 9, 2))
    _record(school, audience="governors", on=datetime.date(2026, 11, 20))
    assert _training_records(school) == [
        datetime.date(2025, 9, 3),
        datetime.date(2025, 10, 1),
        datetime.date(2026, 9, 2),
    ]


def test_other_sources_of_the_duty_are_left_alone(catalogues, school, editor):
    standards_services.duty_done_record(
        establishment=school,
        duty_key="cyber_training",
        done_on=datetime.date(2026, 1, 5),
        done_by="The head",
        source=DutyRecord.Source.SELF_ASSESSMENT,
        user=editor,
    )
    governors = _record(school, audience="governors", on=datetime.date(2026, 10, 14))
    _record(school, audience="all_staff", on=datetime.date(2026, 10, 15))
    services.training_record_delete(record=governors, user=editor)
    assert list(DutyRecord.objects.filter(establishment=school).values_list("source", flat=True)) == ["self_assessment"]


def test_another_schools_records_never_count_here(catalogues, school, other_school):
    _record(other_school, audience="all_staff", on=datetime.date(2026, 9, 3))
    _record(other_school, audience="governors", on=datetime.date(2026, 9, 3))
    assert _training_records(school) == []
    assert all(
        item.last is None for item in selectors.audiences_due(establishment_ids=[school.pk], today=TODAY)[school.pk]
    )


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"people": 0}, "number of people"),
        ({"people": 10_001}, "number of people"),
        ({"audience": "parents"}, "who completed"),
        ({"completed_on": TODAY + datetime.timedelta(days=1)}, "today or in the past"),
    ],
)
def test_the_service_refuses_bad_records(catalogues, school, values, problem):
    arguments = {"audience": "all_staff", "people": 3, "completed_on": TODAY} | values
    with pytest.raises(services.TrainingError, match=problem):
        services.training_record_create(
            establishment=school, course=Course.objects.get(key=NCSC), user=None, today=TODAY, **arguments
        )


def test_a_retired_course_cannot_be_recorded(catalogues, school):
    course = Course.objects.get(key=NCSC)
    course.is_active = False
    course.save()
    with pytest.raises(services.TrainingError):
        _record(school, audience="all_staff", on=TODAY)


def _cyber_action(school):
    plan = planning_selectors.plan_for(establishment=school)
    return [a for a in planning_selectors.active_actions(plan=plan) if a.key.startswith("duty:cyber_training:")]


def test_the_plan_dates_cyber_training_from_the_training_records(catalogues, school):
    planning_services.plan_generate(establishment=school, today=TODAY)
    (before,) = _cyber_action(school)
    assert before.key == "duty:cyber_training:not-recorded"
    _record(school, audience="all_staff", on=datetime.date(2026, 9, 3))
    _record(school, audience="governors", on=datetime.date(2026, 10, 14))
    planning_services.plan_generate(establishment=school, today=TODAY)
    (after,) = _cyber_action(school)
    assert after.key == "duty:cyber_training:2027-09-03"
    assert after.due_date == datetime.date(2027, 9, 3)
    assert "governors or trustees (2 people" not in after.why  # 10 people by default
    assert (
        "by all staff (10 people, 3 September 2026) and governors or trustees (10 people, 14 October 2026)" in after.why
    )
