"""Writes for training: loading the catalogue, support's corrections, schools' training records (and
the standards' duty records they make), and checking the catalogue's links."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from schooltech.core.dates import govuk_date
from schooltech.core.history import record_change
from schooltech.core.jobs import each_isolated
from schooltech.organisations.models import Establishment
from schooltech.standards import duties as standards_duties
from schooltech.standards import selectors as standards_selectors
from schooltech.standards import services as standards_services
from schooltech.training import catalogue, links
from schooltech.training.models import MAX_PEOPLE, Audience, Course, DutyCoverage, LinkStatus, TrainingRecord

EDITABLE_FIELDS = ("title", "provider", "url", "format", "cost", "cost_note", "duration", "summary", "audiences")


class TrainingError(ValueError):
    pass


@dataclass(frozen=True)
class LoadResult:
    added: int
    updated: int
    kept: int  # corrected by support, so left as they are
    retired: int


@transaction.atomic
def catalogue_load(*, path: Path = catalogue.DATA_FILE) -> LoadResult:
    """Load the training catalogue file (safe to run again). Courses support corrected are kept;
    courses no longer in the file are retired (kept for the records that name them, not offered)."""
    requirements = {f"{standard}.{key}" for standard, key in standards_selectors.current_requirements()}
    duty_keys = {duty.key for duty in standards_selectors.current_duties()}
    if not requirements:
        raise catalogue.CatalogueError("Load the standards catalogue first (manage.py load_standards)")
    found = catalogue.read_catalogue(path, requirement_keys=requirements, duty_keys=duty_keys)
    for duty_key, rule in found.duties.items():
        DutyCoverage.objects.update_or_create(
            duty_key=duty_key, defaults={"name": rule["name"], "audiences": rule["audiences"], "note": rule["note"]}
        )
    DutyCoverage.objects.exclude(duty_key__in=found.duties).delete()
    added = updated = kept = 0
    existing = {course.key: course for course in Course.objects.select_for_update()}
    for key, values in found.courses.items():
        course = existing.get(key)
        if course is None:
            course = Course(key=key, **values)
            record_change(course, user=None, reason=f"Loaded from the training catalogue {found.version}")
            course.save()
            added += 1
        elif course.changed_by_support:
            kept += 1
        elif any(getattr(course, name) != value for name, value in values.items()) or not course.is_active:
            for name, value in values.items():
                setattr(course, name, value)
            course.is_active = True
            record_change(course, user=None, reason=f"Updated from the training catalogue {found.version}")
            course.save()
            updated += 1
    retired = 0
    for key, course in existing.items():
        if key not in found.courses and course.is_active and not course.changed_by_support:
            course.is_active = False
            record_change(course, user=None, reason="No longer in the training catalogue")
            course.save(update_fields=["is_active"])
            retired += 1
    return LoadResult(added, updated, kept, retired)


@transaction.atomic
def course_update(*, course: Course, values: dict[str, Any], user: Any) -> Course:
    """Support's correction of a course. Marks it changed by support, so loading the file keeps it."""
    unknown = set(values) - set(EDITABLE_FIELDS) - {"is_active"}
    if unknown:
        raise TrainingError(f"These cannot be changed here: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        setattr(course, name, value)
    course.changed_by_support = True
    course.full_clean()
    record_change(course, user=user, reason="Corrected by support")
    course.save()
    return course


# --- A school's training records ---------------------------------------------------------------------


@transaction.atomic
def training_record_create(
    *,
    establishment: Establishment,
    course: Course,
    audience: str,
    people: int,
    completed_on: datetime.date,
    notes: str = "",
    user: Any,
    today: datetime.date | None = None,
) -> TrainingRecord:
    """Record that `people` people in a role completed a course; the duties it covers are updated."""
    today = today or timezone.localdate()
    if not course.is_active:
        raise TrainingError("Choose a course from the catalogue")
    if audience not in Audience.values:
        raise TrainingError("Choose who completed the training")
    if not 1 <= int(people) <= MAX_PEOPLE:
        raise TrainingError(f"Enter a number of people from 1 to {MAX_PEOPLE:,}")
    if completed_on > today:
        raise TrainingError("The date the training was completed must be today or in the past")
    record = TrainingRecord(
        establishment=establishment,
        course=course,
        audience=audience,
        people=int(people),
        completed_on=completed_on,
        notes=" ".join(notes.split()),
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    record.full_clean(exclude=["recorded_by"])
    record_change(record, user=user, reason="Training recorded")
    record.save()
    duties_sync(establishment=establishment, user=user)
    return record


@transaction.atomic
def training_record_delete(*, record: TrainingRecord, user: Any) -> None:
    """Remove a record made by mistake; the duties it covered are worked out again without it."""
    establishment = record.establishment
    record_change(record, user=user, reason="Training record removed")
    record.delete()
    duties_sync(establishment=establishment, user=user)


def _covered_on(records: list[TrainingRecord], audiences: list[str]) -> dict[datetime.date, str]:
    """Each date on which every audience had been trained: the earliest of their latest trainings.

    Replaying the records in date order gives the whole history, so removing a record removes the
    dates it made. Who did it reads like "all staff (40 people, 1 September 2026) and governors or trustees
    (2 people, …)", so the plan says "Last done on … by all staff (…) and governors or trustees (…)"."""
    latest: dict[str, TrainingRecord] = {}
    covered: dict[datetime.date, str] = {}
    for record in sorted(records, key=lambda r: (r.completed_on, r.pk)):
        latest[record.audience] = record
        if all(audience in latest for audience in audiences):
            day = min(latest[audience].completed_on for audience in audiences)
            parts = [
                f"{Audience(audience).label.lower()} ({latest[audience].people} "
                f"{'person' if latest[audience].people == 1 else 'people'}, "
                f"{govuk_date(latest[audience].completed_on)})"
                for audience in audiences
            ]
            covered.setdefault(day, " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts))
    return covered


def duties_sync(*, establishment: Establishment, user: Any) -> None:
    """Make the standards' duty records from training match this school's training records."""
    records = list(TrainingRecord.objects.filter(establishment=establishment).select_related("course"))
    for coverage in DutyCoverage.objects.all():
        counting = [
            record
            for record in records
            if coverage.duty_key in record.course.duties and record.audience in coverage.audiences
        ]
        standards_services.duty_records_sync(
            establishment=establishment,
            duty_key=coverage.duty_key,
            source=standards_duties.RECORDED_FROM_TRAINING,
            done=_covered_on(counting, coverage.audiences),
            user=user,
        )


# --- Checking the catalogue's links ------------------------------------------------------------------


@dataclass(frozen=True)
class LinkCheckResult:
    checked: int
    broken: int


def _check_one(course: Course, checker: links.LinkChecker, now: datetime.datetime) -> int:
    result = checker.check(course.url)
    course.link_status = LinkStatus.OK if result.ok else LinkStatus.BROKEN
    course.link_problem = "" if result.ok else result.problem[:300]
    course.link_checked_at = now
    course.save(update_fields=["link_status", "link_problem", "link_checked_at"])
    return 0 if result.ok else 1


def course_links_check(*, checker: links.LinkChecker, now: datetime.datetime | None = None) -> LinkCheckResult:
    """Check every offered course's link; one link that cannot be checked is logged and skipped."""
    now = now or timezone.now()
    courses = list(Course.objects.filter(is_active=True).order_by("key"))
    broken = each_isolated(
        courses,
        lambda course: _check_one(course, checker, now),
        job="training link check",
        describe=lambda course: f"course {course.key}",
    )
    checked = Course.objects.filter(pk__in=[c.pk for c in courses], link_checked_at=now).count()
    return LinkCheckResult(checked=checked, broken=broken)
