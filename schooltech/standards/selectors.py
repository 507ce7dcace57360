"""Reads for the standards: the current catalogue, a school's assessments and results, what is due
next, and the schools-by-standards matrix for trusts and local authorities."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from schooltech.accounts.audit import Change
from schooltech.organisations.models import Establishment
from schooltech.organisations.selectors import establishments_looked_after
from schooltech.standards import duties, scoring
from schooltech.standards.kept import current_catalogue
from schooltech.standards.models import (
    Answer,
    Assessment,
    CatalogueVersion,
    Duty,
    DutyRecord,
    Question,
    Recommendation,
    Requirement,
    SchoolPhase,
    SharedAssessment,
    Standard,
    Status,
    WhenToMeet,
)

WHEN_ORDER = [
    WhenToMeet.NOW,
    WhenToMeet.BEFORE_BUDGET,
    WhenToMeet.END_OF_CONTRACT,
    WhenToMeet.BY_2030,
    WhenToMeet.WHEN_UPGRADING,
]
STATUS_TAG_CLASSES = {
    Status.MEETS: "govuk-tag--green",
    Status.PARTLY: "govuk-tag--yellow",
    Status.DOES_NOT_MEET: "govuk-tag--red",
    Status.NOT_ASSESSED: "govuk-tag--grey",
}
PROGRESS_TAG_CLASSES = {
    Recommendation.Progress.NOT_STARTED: "govuk-tag--grey",
    Recommendation.Progress.IN_PROGRESS: "govuk-tag--blue",
    Recommendation.Progress.COMPLETE: "govuk-tag--green",
}


def current_version() -> CatalogueVersion | None:
    return current_catalogue().version


def current_standards() -> list[Standard]:
    return list(current_catalogue().standards)


def current_standard(*, key: str) -> Standard | None:
    return current_catalogue().standard(key)


def current_duties(*, standard_key: str | None = None) -> list[Duty]:
    """The current duties (of one standard, or all), by standard, cadence and key."""
    duties = current_catalogue().duties
    return [duty for duty in duties if standard_key is None or duty.standard.key == standard_key]


def phase_group_of(*, establishment: Establishment) -> str | None:
    """Primary or secondary thresholds: from GIAS, or as the school told us (asked once)."""
    from_gias = scoring.phase_group_for(establishment.phase_code)
    if from_gias:
        return from_gias
    chosen = SchoolPhase.objects.filter(establishment=establishment).first()
    return chosen.phase_group if chosen else None


def phase_groups_of(*, establishments: Iterable[Establishment]) -> dict[int, str | None]:
    """`phase_group_of` for many schools at once (one query for those GIAS cannot place)."""
    phases = {school.pk: scoring.phase_group_for(school.phase_code) for school in establishments}
    missing = [pk for pk, phase in phases.items() if phase is None]
    if missing:
        chosen = SchoolPhase.objects.filter(establishment_id__in=missing).values_list("establishment_id", "phase_group")
        phases.update(dict(chosen))
    return phases


def overall_status(results: Iterable[dict]) -> str:
    return scoring.standard_status(item["status"] for item in results)


def assessment_in_progress(*, establishment: Establishment, standard_key: str) -> Assessment | None:
    return (
        Assessment.objects.filter(
            establishment=establishment, standard_key=standard_key, state=Assessment.State.IN_PROGRESS
        )
        .select_related("standard")
        .first()
    )


def latest_submitted(*, establishment: Establishment, standard_key: str) -> Assessment | None:
    return (
        Assessment.objects.filter(
            establishment=establishment, standard_key=standard_key, state=Assessment.State.SUBMITTED
        )
        .select_related("standard", "submitted_by")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def assessment_history(*, establishment: Establishment, standard_key: str) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(
            establishment=establishment, standard_key=standard_key, state=Assessment.State.SUBMITTED
        )
        .select_related("standard__version", "submitted_by")
        .order_by("-submitted_at", "-pk")
    )


def latest_results_by_standard(*, establishments: Iterable[Establishment]) -> dict[tuple[int, str], Assessment]:
    """The latest submitted assessment of each (establishment id, standard key): one query."""
    latest: dict[tuple[int, str], Assessment] = {}
    rows = (
        Assessment.objects.filter(establishment__in=list(establishments), state=Assessment.State.SUBMITTED)
        .only("id", "establishment_id", "standard_key", "phase_group", "overall_status", "submitted_at", "results")
        .order_by("establishment_id", "standard_key", "-submitted_at", "-pk")
    )
    for assessment in rows:
        latest.setdefault((assessment.establishment_id, assessment.standard_key), assessment)
    return latest


@dataclass
class StandardRow:
    standard: Standard
    status: str
    latest: Assessment | None
    in_progress: Assessment | None
    open_recommendations: int


@dataclass
class Overview:
    rows: list[StandardRow]
    due_next: list[Recommendation]
    duties: list[Duty]
    assessed: int = 0
    meeting: int = 0
    core_meeting: int = 0
    core_total: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def school_overview(*, establishment: Establishment) -> Overview:
    standards = current_standards()
    latest = latest_results_by_standard(establishments=[establishment])
    in_progress = {
        a.standard_key: a
        for a in Assessment.objects.filter(establishment=establishment, state=Assessment.State.IN_PROGRESS)
    }
    open_recommendations = open_recommendations_for(establishment=establishment)
    open_by_standard: dict[str, int] = {}
    for recommendation in open_recommendations:
        open_by_standard[recommendation.standard_key] = open_by_standard.get(recommendation.standard_key, 0) + 1
    rows = []
    for standard in standards:
        assessment = latest.get((establishment.pk, standard.key))
        rows.append(
            StandardRow(
                standard=standard,
                status=assessment.overall_status if assessment else Status.NOT_ASSESSED,
                latest=assessment,
                in_progress=in_progress.get(standard.key),
                open_recommendations=open_by_standard.get(standard.key, 0),
            )
        )
    overview = Overview(
        rows=rows,
        due_next=due_next(establishment=establishment, recommendations=open_recommendations)[:5],
        duties=list(current_duties()),
    )
    overview.assessed = sum(1 for row in rows if row.latest)
    overview.meeting = sum(1 for row in rows if row.status == Status.MEETS)
    overview.core_total = sum(1 for row in rows if row.standard.is_core)
    overview.core_meeting = sum(1 for row in rows if row.standard.is_core and row.status == Status.MEETS)
    overview.counts = {status: sum(1 for row in rows if row.status == status) for status in Status.values}
    return overview


def open_recommendations_for(*, establishment: Establishment) -> list[Recommendation]:
    return list(
        Recommendation.objects.filter(establishment=establishment, is_active=True).exclude(
            progress=Recommendation.Progress.COMPLETE
        )
    )


def recommendations_for(*, establishment: Establishment, include_inactive: bool = False) -> QuerySet[Recommendation]:
    rows = Recommendation.objects.filter(establishment=establishment)
    return rows if include_inactive else rows.filter(is_active=True)


def current_requirements() -> dict[tuple[str, str], Requirement]:
    """Every requirement of the current catalogue, by (standard key, requirement key)."""
    return dict(current_catalogue().requirements)


def due_next(*, establishment: Establishment, recommendations: list[Recommendation]) -> list[Recommendation]:
    """Open recommendations, most pressing first: by when they must be met, core standards first."""
    requirements = current_requirements()

    def urgency(recommendation: Recommendation):
        requirement = requirements.get((recommendation.standard_key, recommendation.requirement_key))
        when = requirement.when_to_meet if requirement else WhenToMeet.WHEN_UPGRADING
        core = requirement.standard.is_core if requirement else False
        started = recommendation.progress == Recommendation.Progress.IN_PROGRESS
        order = (requirement.standard.position, requirement.position) if requirement else (99, 99)
        return (
            WHEN_ORDER.index(when),
            not core,
            not started,
            recommendation.kind != Recommendation.Kind.FIND_OUT,
            order,
        )

    for recommendation in recommendations:
        requirement = requirements.get((recommendation.standard_key, recommendation.requirement_key))
        recommendation.requirement = requirement  # for templates: when it must be met, which standard
    return sorted(recommendations, key=urgency)


# --- trusts and local authorities ---


@dataclass
class MatrixRow:
    establishment: Establishment
    statuses: dict[str, str]  # standard key -> status

    @property
    def meeting(self) -> int:
        return sum(1 for status in self.statuses.values() if status == Status.MEETS)

    @property
    def assessed(self) -> int:
        return sum(1 for status in self.statuses.values() if status != Status.NOT_ASSESSED)


@dataclass
class Matrix:
    standards: list[Standard]
    rows: list[MatrixRow]
    total_schools: int


SORTS = {"name", "meeting", "assessed"}


def standards_matrix(
    *, organisation, standard_key: str = "", status: str = "", sort: str = "name", descending: bool = False
) -> Matrix:
    """Schools by standards with each latest status; filter by a standard's status, sort by name,
    by how many standards each school meets or has assessed, or by one standard's status."""
    standards = current_standards()
    schools = list(establishments_looked_after(organisation=organisation).order_by("name"))
    latest = latest_results_by_standard(establishments=schools)
    rows = [
        MatrixRow(
            establishment=school,
            statuses={
                s.key: getattr(latest.get((school.pk, s.key)), "overall_status", Status.NOT_ASSESSED) for s in standards
            },
        )
        for school in schools
    ]
    keys = {s.key for s in standards}
    if standard_key in keys and status in Status.values:
        rows = [row for row in rows if row.statuses[standard_key] == status]
    rank = {s: i for i, s in enumerate([Status.MEETS, Status.PARTLY, Status.DOES_NOT_MEET, Status.NOT_ASSESSED])}
    if sort in keys:
        rows.sort(key=lambda row: (rank[row.statuses[sort]], row.establishment.name), reverse=descending)
    elif sort in {"meeting", "assessed"}:
        rows.sort(key=lambda row: (-getattr(row, sort), row.establishment.name), reverse=descending)
    else:
        rows.sort(key=lambda row: row.establishment.name.lower(), reverse=descending)
    return Matrix(standards=standards, rows=rows, total_schools=len(schools))


def matrix_table(matrix: Matrix) -> tuple[list[str], list[list[str | int]]]:
    """The matrix as plain cells (counts as numbers), for CSV and XLSX exports."""
    header = ["URN", "School", *[s.title for s in matrix.standards], "Standards met", "Standards assessed"]
    rows = [
        [
            row.establishment.urn,
            row.establishment.name,
            *[Status(row.statuses[s.key]).label for s in matrix.standards],
            row.meeting,
            row.assessed,
        ]
        for row in matrix.rows
    ]
    return header, rows


def duties_last_done(*, establishment_ids: Iterable[int]) -> dict[tuple[int, str], DutyRecord]:
    """The latest record of each duty for each school, in one query: (establishment id, duty key) -> record."""
    latest: dict[tuple[int, str], DutyRecord] = {}
    rows = DutyRecord.objects.filter(establishment_id__in=list(establishment_ids)).order_by(
        "establishment_id", "duty_key", "-done_on", "-pk"
    )
    for record in rows:
        latest.setdefault((record.establishment_id, record.duty_key), record)
    return latest


@dataclass(frozen=True)
class DutyStatus:
    """A recurring duty at one school: when it was last done (by any source) and when it is next due."""

    duty: Duty
    last: DutyRecord | None
    next_due: datetime.date | None  # None when never recorded
    today: datetime.date

    @property
    def is_overdue(self) -> bool:
        return self.next_due is not None and self.next_due < self.today


def duty_statuses(
    *, establishment: Establishment, today: datetime.date, standard_key: str | None = None
) -> list[DutyStatus]:
    """Each current duty (of one standard, or all) with its latest record: what a school's results show."""
    found = current_duties(standard_key=standard_key)
    last = duties_last_done(establishment_ids=[establishment.pk])
    rows = []
    for duty in found:
        record = last.get((establishment.pk, duty.key))
        due = duties.next_due(record.done_on, duty.cadence) if record else None
        rows.append(DutyStatus(duty=duty, last=record, next_due=due, today=today))
    return rows


def assessment_changes(versions: Sequence[tuple[Any, Any]]) -> list[list[Change]]:
    """What each saved version of an assessment (or of a trust's answers given together) changed,
    against the version before it (None for a new one), in words, for the audit trail: each answer
    as the question and answer were worded, a date given for a "when did you last…" question, and
    the state. A new one lists the answers it started with. The questions' and answers' words for
    all the versions are read in two queries."""
    compared = [
        (record, dict(previous.answers or {}) if previous is not None else {}, dict(record.answers or {}))
        for record, previous in versions
    ]
    changed = [
        [key for key in after if before.get(key) != after[key]] + [key for key in before if key not in after]
        for _, before, after in compared
    ]
    standard_ids = {record.standard_id for record, _ in versions}
    answered = {key for keys in changed for key in keys}
    dated = {key for record, _ in versions for key in record.dates or {}}
    questions = {
        (standard_id, key): text
        for standard_id, key, text in Question.objects.filter(
            standard_id__in=standard_ids, key__in=answered | dated
        ).values_list("standard_id", "key", "text")
    }
    answers = {
        (standard_id, question, key): text
        for standard_id, question, key, text in Answer.objects.filter(
            question__standard_id__in=standard_ids, question__key__in=answered
        ).values_list("question__standard_id", "question__key", "key", "text")
    }
    return [
        _version_changes(record, previous, before, after, keys, questions, answers)
        for (record, previous), (_, before, after), keys in zip(versions, compared, changed, strict=True)
    ]


def _version_changes(record, previous, before, after, keys, questions, answers) -> list[Change]:
    def asked(key: str) -> str:
        return questions.get((record.standard_id, key), key)

    def worded(question: str, answer: str | None) -> str:
        if not answer:
            return ""
        return answers.get(
            (record.standard_id, question, answer), "I don't know" if answer == Answer.DONT_KNOW else answer
        )

    changes = [
        Change(field=asked(key), before=worded(key, before.get(key)), after=worded(key, after.get(key))) for key in keys
    ]
    dates_before = dict(previous.dates or {}) if previous is not None else {}
    for key, done in (record.dates or {}).items():
        if dates_before.get(key) != done:
            changes.append(
                Change(
                    field=f"{asked(key)} (date)",
                    before=(dates_before.get(key) or {}).get("on", ""),
                    after=done.get("on", ""),
                )
            )
    if previous is not None and previous.state != record.state:
        labels = dict(record.instance_type.State.choices)
        changes.append(Change(field="state", before=labels.get(previous.state, ""), after=labels.get(record.state, "")))
    return changes


# --- assessing together across a trust ---


def shared_assessments(*, trust) -> QuerySet[SharedAssessment]:
    """A trust's answers given together, newest first: those being answered and those shared."""
    return (
        SharedAssessment.objects.filter(trust=trust)
        .select_related("standard", "started_by", "applied_by")
        .prefetch_related("establishments")
        .order_by("-started_at", "-pk")
    )


@dataclass(frozen=True)
class SharedOutcome:
    establishment: Establishment
    outcome: str
    label: str
    reason: str
    assessment_id: int | None


def shared_outcomes(*, shared: SharedAssessment) -> list[SharedOutcome]:
    """What sharing the answers did at each chosen school, in the order they were shared."""
    schools = Establishment.objects.in_bulk([item["establishment"] for item in shared.outcomes])
    labels = dict(SharedAssessment.Outcome.choices)
    return [
        SharedOutcome(
            establishment=schools[item["establishment"]],
            outcome=item["outcome"],
            label=labels.get(item["outcome"], item["outcome"]),
            reason=item.get("reason", ""),
            assessment_id=item.get("assessment"),
        )
        for item in shared.outcomes
        if item["establishment"] in schools
    ]
