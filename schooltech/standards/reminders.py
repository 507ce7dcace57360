"""The standards' reminders: the catalogue's termly and annual duties.

Registered with notifications in `StandardsConfig.ready()`. At the start of each term (termly
duties) and in December (annual duties, which the plan schedules by 31 December), the editors and
approvers of each school that has assessed itself or tracks its duties elsewhere are reminded of
the round's duties not yet done.

Another app that tracks duties (the technology plan schedules each one as an action) tells this
app, through `register_duty_tracker`, which schools it tracks, so the standards app never reads that
app's tables. What each school has done is the standards' own `DutyRecord`s: a plan action marked
done records one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from schooltech.accounts import policy
from schooltech.accounts.selectors import SchoolPeople
from schooltech.core import calendar, jobs
from schooltech.core.dates import govuk_date
from schooltech.notifications import registry, reminders
from schooltech.organisations.models import Establishment
from schooltech.standards import selectors
from schooltech.standards.duties import next_due
from schooltech.standards.models import Assessment, Duty

KIND = "standards_duty"
JOB = "termly and annual checks for the standards"
ANNUAL_DUTY_MONTH = 12  # the plan schedules annual duties by the end of the autumn term, 31 December


@dataclass(frozen=True)
class DutyRound:
    """The duties of one cadence falling due together: this term's termly ones, or this year's annual ones."""

    cadence: str
    code: str  # the occurrence code: "2026-autumn" for a term, "2026" for a school year
    period: str  # "autumn term 2026", "2026 to 2027 school year"
    starts: date  # when its reminder falls due
    due: date


@dataclass(frozen=True)
class DutyTracker:
    """Another app that tracks schools' duties (what they have done is recorded here, as DutyRecords)."""

    schools: Callable[[], QuerySet]  # the ids of the schools it tracks duties for (a values() query)


_trackers: list[DutyTracker] = []


def register_duty_tracker(tracker: DutyTracker) -> None:
    if tracker not in _trackers:
        _trackers.append(tracker)


def duty_rounds(today: date) -> list[DutyRound]:
    """The rounds whose reminder is due today: the current term's (from its first day) and, in
    December, the school year's annual duties."""
    term = calendar.term_of(today)
    rounds = [DutyRound("termly", term.code, term.label.lower(), term.start, term.end)]
    if today.month == ANNUAL_DUTY_MONTH:
        year = calendar.academic_year_of(today)
        rounds.append(
            DutyRound(
                "annual",
                str(year),
                f"{calendar.academic_year_label(year)} school year",
                date(today.year, ANNUAL_DUTY_MONTH, 1),
                date(today.year, 12, 31),
            )
        )
    return rounds


def schools_with_standards_work() -> QuerySet[Establishment]:
    """Schools that have submitted a self-assessment or whose duties another app tracks."""
    condition = Q(pk__in=Assessment.objects.filter(state=Assessment.State.SUBMITTED).values("establishment_id"))
    for tracker in _trackers:
        condition |= Q(pk__in=tracker.schools())
    return Establishment.objects.filter(condition)


def duties_outstanding(schools: list[Establishment], round_: DutyRound, duties: list[Duty]) -> dict[int, list[Duty]]:
    """Each school's duties of the round, less those done recently enough not to be due again by the
    round's end (recorded by a self-assessment's "when did you last…" or a plan action marked done)."""
    last = selectors.duties_last_done(establishment_ids=[school.pk for school in schools])

    def outstanding(school: Establishment, duty: Duty) -> bool:
        record = last.get((school.pk, duty.key))
        return record is None or next_due(record.done_on, duty.cadence) <= round_.due

    return {school.pk: [duty for duty in duties if outstanding(school, duty)] for school in schools}


def _duty_line(duty: Duty) -> str:
    return f"{duty.title} ({duty.standard.title} standard, usually done by: {duty.usually_done_by})"


def _remind(school: Establishment, round_: DutyRound, outstanding: list[Duty], *, people, now: datetime) -> int:
    if not outstanding:
        return 0
    return reminders.send_to_each(
        people.for_school(school),
        kind=KIND,
        subjects=[(school, round_.starts)],
        template_key="standards_duties_due",
        personalisation={
            "organisation_name": school.name,
            "period": round_.period,
            "due_date": govuk_date(round_.due),
            "duties": reminders.bullets(_duty_line(duty) for duty in outstanding),
            "standards_url": reminders.absolute(reverse("standards:overview", kwargs={"urn": school.urn})),
            "preferences_url": reminders.preferences_url(),
        },
        organisation=school,
        now=now,
    )


def standards_duties(*, now: datetime) -> int:
    """Remind each school's people of the round's duties it has not done."""
    today = timezone.localdate(now)
    duties = list(selectors.current_duties())
    people = SchoolPeople()
    count = 0
    for round_ in duty_rounds(today):
        round_duties = [duty for duty in duties if duty.cadence == round_.cadence]
        if not round_duties:
            continue
        schools = list(schools_with_standards_work().order_by("pk"))
        outstanding = duties_outstanding(schools, round_, round_duties)
        count += jobs.each_isolated(
            [(school, round_, outstanding[school.pk]) for school in schools],
            lambda due: _remind(*due, people=people, now=now),
            job=JOB,
            describe=lambda due: f"school {due[0].pk}",
        )
    return count


def digest_lines(user, today: date) -> list[str]:
    """Duties of the rounds ending in the digest's weeks, at schools this person edits."""
    rounds = [round_ for round_ in duty_rounds(today) if round_.due <= today + reminders.DIGEST_HORIZON]
    if not rounds:
        return []
    duties = list(selectors.current_duties())
    schools = list(
        schools_with_standards_work().filter(pk__in=policy.establishments_for(user, "edit")).order_by("name")
    )
    outstanding = {
        round_: duties_outstanding(schools, round_, [d for d in duties if d.cadence == round_.cadence])
        for round_ in rounds
    }
    return [
        f"{school.name}: {duty.title}, due {govuk_date(round_.due)}"
        for school in schools
        for round_ in rounds
        for duty in outstanding[round_][school.pk]
    ]


def register() -> None:
    registry.register_kind(
        registry.ReminderKind(
            KIND,
            "Termly and annual checks for the digital and technology standards",
            position=30,
            digest_heading="Checks for the digital and technology standards",
            digest_lines=digest_lines,
        )
    )
    registry.register_job(registry.ScheduledJob(JOB, standards_duties, position=50))
