"""Reads for training: the catalogue (with filters), a school's records, and when each audience's
training for a duty is next due."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from schooltech.core.dates import govuk_date
from schooltech.organisations.models import Establishment
from schooltech.standards import duties as standards_duties
from schooltech.standards import selectors as standards_selectors
from schooltech.training.models import Audience, Course, DutyCoverage, TrainingRecord

DUE_SOON_DAYS = 30


def courses(*, audience: str = "", cost: str = "", standard: str = "", include_inactive: bool = False) -> list[Course]:
    """The catalogue, filtered by audience, cost and the standard whose requirements a course serves."""
    found = Course.objects.all() if include_inactive else Course.objects.filter(is_active=True)
    if cost:
        found = found.filter(cost=cost)
    rows = list(found.order_by("title"))
    if audience:
        rows = [course for course in rows if audience in course.audiences]
    if standard:
        rows = [course for course in rows if any(key.split(".")[0] == standard for key in course.requirements)]
    return rows


def course_by_key(*, key: str, include_inactive: bool = False) -> Course | None:
    found = Course.objects.filter(key=key)
    return (found if include_inactive else found.filter(is_active=True)).first()


def courses_for_requirement(*, standard_key: str, requirement_key: str) -> list[Course]:
    wanted = f"{standard_key}.{requirement_key}"
    return [course for course in Course.objects.filter(is_active=True) if wanted in course.requirements]


def requirement_titles() -> dict[str, str]:
    """ "<standard>.<requirement>" -> "Standard: requirement", for showing what a course serves."""
    return {
        f"{standard}.{key}": f"{requirement.standard.title}: {requirement.title}"
        for (standard, key), requirement in standards_selectors.current_requirements().items()
    }


def duty_titles() -> dict[str, str]:
    return {duty.key: duty.title for duty in standards_selectors.current_duties()}


def records_for(*, establishment: Establishment) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(establishment=establishment).select_related("course")


@dataclass(frozen=True)
class AudienceDue:
    """One audience's part of a duty at a school: when it was last trained and when it is due again."""

    duty_key: str
    duty_title: str
    name: str  # what the training is called: "Cyber security training"
    audience: str
    last: TrainingRecord | None
    due: datetime.date | None  # None: never recorded, so due now
    today: datetime.date

    @property
    def audience_label(self) -> str:
        return Audience(self.audience).label

    @property
    def state(self) -> str:
        if self.due is None:
            return "not_recorded"
        if self.due < self.today:
            return "overdue"
        if (self.due - self.today).days <= DUE_SOON_DAYS:
            return "due_soon"
        return "in_time"

    @property
    def summary(self) -> str:
        """ "Cyber training for governors or trustees: due by 3 October 2027" and the like."""
        what = f"{self.name} for {self.audience_label.lower()}"
        if self.due is None:
            return f"{what}: not recorded, due now"
        if self.due < self.today:
            return f"{what}: overdue since {govuk_date(self.due)}"
        return f"{what}: due by {govuk_date(self.due)}"


def audiences_due(*, establishment_ids: Iterable[int], today: datetime.date) -> dict[int, list[AudienceDue]]:
    """For each school, each audience of each duty training covers, from its training records (one query)."""
    ids = list(establishment_ids)
    coverages = list(DutyCoverage.objects.all())
    duties = {duty.key: duty for duty in standards_selectors.current_duties()}
    latest: dict[tuple[int, str, str], TrainingRecord] = {}
    records = TrainingRecord.objects.filter(establishment_id__in=ids).select_related("course")
    for record in records.order_by("completed_on", "pk"):
        for duty_key in record.course.duties:
            latest[(record.establishment_id, duty_key, record.audience)] = record
    result: dict[int, list[AudienceDue]] = {school_id: [] for school_id in ids}
    for school_id in ids:
        for coverage in coverages:
            duty = duties.get(coverage.duty_key)
            if duty is None:
                continue
            for audience in coverage.audiences:
                record = latest.get((school_id, coverage.duty_key, audience))
                due = standards_duties.next_due(record.completed_on, duty.cadence) if record else None
                result[school_id].append(AudienceDue(duty.key, duty.title, coverage.name, audience, record, due, today))
    return result


def schools_with_records() -> QuerySet[Establishment]:
    return Establishment.objects.filter(pk__in=TrainingRecord.objects.values("establishment_id"))


def course_links_due_a_check(*, now: datetime.datetime, every: datetime.timedelta) -> bool:
    """Whether any offered course's link was never checked, or not within `every`."""
    unchecked = Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=now - every)
    return Course.objects.filter(is_active=True).filter(unchecked).exists()
