"""Training's reminders: an audience's training for a duty is about to lapse.

Registered with notifications in `TrainingConfig.ready()`. From 30 days before an audience's
training falls due again (a year after it was last recorded, for yearly cyber training), the
school's editors and approvers get one email for it, naming the courses that count. The ledger is
keyed by the training record and its due date, so each lapse is reminded once; recording the
training again moves the due date and, next year, brings a new reminder.

The daily run also queues the course link check once a course's link has gone a week unchecked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from schooltech.accounts import policy
from schooltech.accounts.selectors import SchoolPeople
from schooltech.core import jobs
from schooltech.core.dates import govuk_date
from schooltech.notifications import registry, reminders
from schooltech.organisations.models import Establishment
from schooltech.training import selectors, tasks
from schooltech.training.models import Course

KIND = "training_due"
JOB = "training about to lapse"
REMIND_BEFORE = timedelta(days=30)
LINK_CHECK_JOB = "training course links, checked weekly"
LINK_CHECK_EVERY = timedelta(days=7)


def _lapsing(schools: list[Establishment], today: date) -> list[tuple[Establishment, selectors.AudienceDue]]:
    due = selectors.audiences_due(establishment_ids=[school.pk for school in schools], today=today)
    return [
        (school, item)
        for school in schools
        for item in due[school.pk]
        if item.last is not None and item.due is not None and today <= item.due <= today + REMIND_BEFORE
    ]


def _courses_text(duty_key: str) -> str:
    found = [course for course in Course.objects.filter(is_active=True).order_by("title") if duty_key in course.duties]
    return reminders.bullets(f"{course.title} ({course.provider}): {course.url}" for course in found) or "* Any"


def _remind(school: Establishment, item: selectors.AudienceDue, *, people, today: date, now: datetime) -> int:
    return reminders.send_to_each(
        people.for_school(school),
        kind=KIND,
        subjects=[(item.last, item.due)],
        template_key="training_due",
        personalisation={
            "organisation_name": school.name,
            "training": f"{item.name} for {item.audience_label.lower()}",
            "due_date": govuk_date(item.due),
            "days": reminders.days_text((item.due - today).days),
            "last_done": govuk_date(item.last.completed_on),
            "courses": _courses_text(item.duty_key),
            "training_url": reminders.absolute(reverse("training:school", kwargs={"urn": school.urn})),
            "preferences_url": reminders.preferences_url(),
        },
        organisation=school,
        now=now,
    )


def training_due(*, now: datetime) -> int:
    """Remind each school's people of training about to lapse (one email per audience and due date)."""
    today = timezone.localdate(now)
    people = SchoolPeople()
    schools = list(selectors.schools_with_records().order_by("pk"))
    return jobs.each_isolated(
        _lapsing(schools, today),
        lambda pair: _remind(*pair, people=people, today=today, now=now),
        job=JOB,
        describe=lambda pair: f"school {pair[0].pk} {pair[1].duty_key} {pair[1].audience}",
    )


def course_links_check_due(*, now: datetime) -> int:
    """Queue the link check (a task: it waits on other websites) once a course's link is a week unchecked."""
    if not selectors.course_links_due_a_check(now=now, every=LINK_CHECK_EVERY):
        return 0
    return jobs.enqueue_unless_waiting(tasks.check_course_links)


def digest_lines(user, today: date) -> list[str]:
    """Training falling due in the digest's weeks, at schools this person edits."""
    schools = list(selectors.schools_with_records().filter(pk__in=policy.establishments_for(user, "edit")))
    horizon = today + reminders.DIGEST_HORIZON
    return [
        f"{school.name}: {item.summary}"
        for school, item in _lapsing(sorted(schools, key=lambda s: s.name), today)
        if item.due <= horizon
    ]


def register() -> None:
    registry.register_kind(
        registry.ReminderKind(
            KIND,
            "Training about to lapse (such as yearly cyber training for staff and governors)",
            position=35,
            digest_heading="Training about to lapse",
            digest_lines=digest_lines,
        )
    )
    registry.register_job(registry.ScheduledJob(JOB, training_due, position=55))
    registry.register_job(registry.ScheduledJob(LINK_CHECK_JOB, course_links_check_due, position=58))
