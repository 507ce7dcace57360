"""Writes for the standards: loading the catalogue, answering and submitting assessments, and
tracking recommendations."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from schooltech.accounts import policy
from schooltech.accounts.models import Membership, Role
from schooltech.core import bulk
from schooltech.core.changes import school_facts_changed, schools_facts_changed
from schooltech.core.history import record_change
from schooltech.notifications.services import email_enqueue
from schooltech.organisations.models import Establishment, Group
from schooltech.organisations.reference import OrganisationKind
from schooltech.organisations.selectors import establishments_looked_after
from schooltech.standards import duties, kept, questionnaire, register_facts, selectors, versions
from schooltech.standards.catalogue import CATALOGUE_DIR, read_catalogue
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
)


class AssessmentError(Exception):
    """Something the user asked for that the assessment cannot do; the message says why."""


class PhaseNeeded(AssessmentError):
    """The standard's thresholds depend on phase and GIAS does not say which applies."""


# --- the catalogue ---


@transaction.atomic
def catalogue_load(*, directory: Path = CATALOGUE_DIR) -> tuple[CatalogueVersion, bool]:
    """Store the catalogue files as a new version, unless these exact files are already stored.

    Returns the version and whether it was created. The new version becomes current; older
    versions stay, so assessments answered under them are still read against them.
    """
    parsed = read_catalogue(directory)
    existing = CatalogueVersion.objects.filter(digest=parsed.digest).first()
    if existing:
        if not existing.is_current:
            CatalogueVersion.objects.update(is_current=False)
            CatalogueVersion.objects.filter(pk=existing.pk).update(is_current=True)
            existing.is_current = True
            kept.catalogue_changed()
            _assessments_in_progress_move(version=existing)
        return existing, False
    CatalogueVersion.objects.update(is_current=False)
    version = CatalogueVersion.objects.create(
        label=parsed.label, digest=parsed.digest, published=parsed.published, is_current=True
    )
    _standards_create(version=version, standards=parsed.standards)
    kept.catalogue_changed()
    _assessments_in_progress_move(version=version)
    return version, True


def _assessments_in_progress_move(*, version: CatalogueVersion) -> None:
    """Move unfinished assessments to the current version, keeping the answers to unchanged questions.

    Submitted assessments stay with the version they were judged against.
    """
    standards = {s.key: s for s in Standard.objects.filter(version=version)}
    moving = Assessment.objects.filter(state=Assessment.State.IN_PROGRESS, standard_key__in=list(standards))
    for assessment in moving.exclude(standard__version=version).select_related("standard"):
        now = standards[assessment.standard_key]
        assessment.answers = versions.carried_answers(assessment.answers, answered_under=assessment.standard, now=now)
        assessment.standard = now
        record_change(assessment, user=None, reason=f"Moved to standards catalogue {version.label}")
        assessment.save(update_fields=["standard", "answers", "updated_at"])
    shared = SharedAssessment.objects.filter(state=SharedAssessment.State.IN_PROGRESS, standard_key__in=list(standards))
    for together in shared.exclude(standard__version=version).select_related("standard"):
        now = standards[together.standard_key]
        together.answers = versions.carried_answers(together.answers, answered_under=together.standard, now=now)
        together.standard = now
        record_change(together, user=None, reason=f"Moved to standards catalogue {version.label}")
        together.save(update_fields=["standard", "answers", "updated_at"])


def _standards_create(*, version: CatalogueVersion, standards: list[dict[str, Any]]) -> None:
    """A handful of bulk inserts for the whole catalogue (it is loaded by every test that needs it)."""
    fields = ("key", "position", "title", "summary", "is_core", "guidance_url", "first_question")
    rows = Standard.objects.bulk_create(Standard(version=version, **{k: d[k] for k in fields}) for d in standards)
    requirements, duties, questions, answers = [], [], [], []
    for standard, data in zip(rows, standards, strict=True):
        requirements += [Requirement(standard=standard, **r) for r in data["requirements"]]
        duties += [Duty(version=version, standard=standard, **d) for d in data["duties"]]
        for q in data["questions"]:
            question = Question(standard=standard, **{k: v for k, v in q.items() if k != "answers"})
            questions.append(question)
            answers += [(question, a) for a in q["answers"]]
    Requirement.objects.bulk_create(requirements)
    Duty.objects.bulk_create(duties)
    Question.objects.bulk_create(questions)
    Answer.objects.bulk_create(Answer(question=question, **a) for question, a in answers)


# --- phase ---


@transaction.atomic
def school_phase_set(*, establishment: Establishment, phase_group: str, user: Any) -> SchoolPhase:
    phase, _ = SchoolPhase.objects.update_or_create(
        establishment=establishment, defaults={"phase_group": phase_group, "chosen_by": user}
    )
    return phase


# --- assessments ---


@transaction.atomic
def assessment_start(*, establishment: Establishment, standard_key: str, user: Any) -> Assessment:
    """The assessment in progress for this standard, or a new one on the current catalogue.

    A new one after a submitted assessment (a reassessment) starts from the previous answers,
    so the user changes only what has changed; the submitted one stays in the history.
    """
    existing = selectors.assessment_in_progress(establishment=establishment, standard_key=standard_key)
    if existing:
        return existing
    standard = selectors.current_standard(key=standard_key)
    if standard is None:
        raise AssessmentError("There is no such standard")
    content = questionnaire.StandardContent(standard)
    phase_group = selectors.phase_group_of(establishment=establishment)
    if content.phase_dependent and phase_group is None:
        raise PhaseNeeded("Tell us which thresholds apply to your school")
    previous = selectors.latest_submitted(establishment=establishment, standard_key=standard_key)
    answers = {}
    if previous:  # only new or changed questions are asked again
        answers = versions.carried_answers(previous.answers, answered_under=previous.standard, now=standard)
    assessment = Assessment(
        establishment=establishment,
        standard=standard,
        standard_key=standard_key,
        phase_group=phase_group or "",
        answers=answers,
        started_by=user,
    )
    record_change(assessment, user=user, reason="Reassessment started" if previous else "Self-assessment started")
    assessment.save()
    return assessment


ON_A_DATE = "on_date"  # the answer to a "when did you last…" question that comes with a date


@transaction.atomic
def assessment_answer(
    *,
    assessment: Assessment,
    question_key: str,
    answer_key: str,
    user: Any,
    done_on: datetime.date | None = None,
    done_by: str = "",
) -> Assessment:
    """Record one answer. The question must be on the path the earlier answers lead to.

    A "when did you last…" question takes ON_A_DATE with `done_on` (and who did it), "never" or
    "I don't know"; the date decides whether the duty was done in time.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.state != Assessment.State.IN_PROGRESS:
        raise AssessmentError("This assessment has been submitted")
    content = questionnaire.StandardContent(assessment.standard)
    found = questionnaire.fact_answers(content, register_facts.facts_for(assessment.establishment))
    answers, dates = _answer_checked(
        content,
        assessment.answers,
        assessment.dates,
        found=found,
        question_key=question_key,
        answer_key=answer_key,
        done_on=done_on,
        done_by=done_by,
    )
    assessment.answers = answers
    assessment.dates = dates
    record_change(assessment, user=user, reason="Answered a question")
    assessment.save(update_fields=["answers", "dates", "updated_at"])
    return assessment


def _answer_checked(
    content: questionnaire.StandardContent,
    answers: dict[str, str],
    dates: dict[str, dict],
    *,
    found: dict,
    question_key: str,
    answer_key: str,
    done_on: datetime.date | None,
    done_by: str,
) -> tuple[dict[str, str], dict[str, dict]]:
    """The answers and dates with one more answer, checked: a known answer to a question on the path
    (`found`: the questions the registers answer). The same rules for a school's own assessment and
    a trust's answers given together."""
    question = content.questions.get(question_key)
    dates = {key: value for key, value in dates.items() if key != question_key}
    if question is not None and question.asks_a_date and answer_key == ON_A_DATE:
        if done_on is None or done_on > timezone.localdate():
            raise AssessmentError("Enter the date it was last done, today or earlier")
        answer_key = duties.answer_for(done_on, content.cadence_of(question), timezone.localdate())
        dates[question_key] = {"on": done_on.isoformat(), "by": done_by.strip()[:200]}
    elif question is not None and question.asks_a_date and answer_key in (duties.IN_TIME, duties.OVERDUE):
        raise AssessmentError("Enter the date it was last done")
    if (question_key, answer_key) not in content.answers:
        raise AssessmentError("Select an answer")
    path = questionnaire.walk(content, answers, found)
    on_path = {step.question.key for step in path.steps} | ({path.next_question.key} if path.next_question else set())
    if question_key not in on_path:
        raise AssessmentError("Your earlier answers do not lead to this question")
    return {**answers, question_key: answer_key}, dates


def _dated_answers(content: questionnaire.StandardContent, assessment: Assessment, today: datetime.date) -> dict:
    """The answers with each "when did you last…" band worked out again for today."""
    answers = dict(assessment.answers)
    for question_key, done in assessment.dates.items():
        question = content.questions.get(question_key)
        if question is not None and question.asks_a_date:
            done_on = datetime.date.fromisoformat(done["on"])
            answers[question_key] = duties.answer_for(done_on, content.cadence_of(question), today)
    return answers


@transaction.atomic
def assessment_answers_record(
    *, assessment: Assessment, answers: dict[str, str], user: Any, dates: dict[str, dict] | None = None
) -> Assessment:
    """Record many answers at once (generated demo data); each must be one of its question's answers.

    `dates` gives the "when did you last…" answers' dates: {question key: {"on": "YYYY-MM-DD", "by": ...}}.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.state != Assessment.State.IN_PROGRESS:
        raise AssessmentError("This assessment has been submitted")
    content = questionnaire.StandardContent(assessment.standard)
    dates = dates or {}
    _answers_checked(content, answers, dates)
    assessment.answers = {**assessment.answers, **answers}
    assessment.dates = {**assessment.dates, **dates}
    record_change(assessment, user=user, reason="Answers recorded")
    assessment.save(update_fields=["answers", "dates", "updated_at"])
    return assessment


def _answers_checked(content: questionnaire.StandardContent, answers: dict[str, str], dates: dict[str, dict]) -> None:
    if any(pair not in content.answers for pair in answers.items()):
        raise AssessmentError("Select an answer")
    if any(key not in content.questions or not content.questions[key].asks_a_date for key in dates):
        raise AssessmentError('Only a "when did you last…" question takes a date')


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user: Any) -> Assessment:
    """Score the answers (with the registers' facts), keep the results and update recommendations."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.state != Assessment.State.IN_PROGRESS:
        raise AssessmentError("This assessment has already been submitted")
    content = questionnaire.StandardContent(assessment.standard)
    found = questionnaire.fact_answers(content, register_facts.facts_for(assessment.establishment))
    path, results = _scored(assessment, content, found, timezone.localdate())
    assessment.state = Assessment.State.SUBMITTED
    assessment.submitted_by = user
    assessment.submitted_at = timezone.now()
    record_change(assessment, user=user, reason="Self-assessment submitted")
    assessment.save()
    _recommendations_sync(assessment=assessment, content=content, path=path, results=results, user=user)
    _duty_records_from(assessment=assessment, path=path, user=user)
    school_facts_changed(
        establishment_id=assessment.establishment_id,
        what=f"The {assessment.standard.title} self-assessment was submitted",
    )
    return assessment


def _scored(assessment: Assessment, content: questionnaire.StandardContent, found: dict, today: datetime.date):
    """Score a complete set of answers into the assessment (answers banded for today, facts used,
    results, overall status); returns the path and the results."""
    assessment.answers = _dated_answers(content, assessment, today)
    path = questionnaire.walk(content, assessment.answers, found)
    if not path.complete:
        raise AssessmentError("Answer every question before you submit")
    used = {key: answer for key, answer in found.items() if path.step_for(key)}
    results = questionnaire.score(content, path, assessment.phase_group or None)
    assessment.facts_used = questionnaire.facts_to_json(used)
    assessment.results = [
        {"requirement": r.key, "status": r.status, "reasons": r.reasons, "unknowns": r.unknowns} for r in results
    ]
    assessment.overall_status = selectors.overall_status(assessment.results)
    return path, results


def _duty_records_from(*, assessment: Assessment, path: questionnaire.Walk, user: Any) -> None:
    for step in path.steps:
        done = assessment.dates.get(step.question.key)
        if step.question.asks_a_date and done:
            duty_done_record(
                establishment=assessment.establishment,
                duty_key=step.question.duty_key,
                done_on=datetime.date.fromisoformat(done["on"]),
                done_by=done.get("by", ""),
                source=DutyRecord.Source.SELF_ASSESSMENT,
                user=user,
            )


@transaction.atomic
def duty_done_record(
    *, establishment: Establishment, duty_key: str, done_on: datetime.date, done_by: str, source: str, user: Any
) -> DutyRecord:
    """Record that a duty was done on a date (the same duty and date twice is one record)."""
    record, created = DutyRecord.objects.get_or_create(
        establishment=establishment,
        duty_key=duty_key,
        done_on=done_on,
        defaults={
            "done_by": done_by.strip()[:200],
            "source": source,
            "recorded_by": user if getattr(user, "is_authenticated", False) else None,
        },
    )
    if created:
        title = Duty.objects.filter(key=duty_key).order_by("-version_id").values_list("title", flat=True).first()
        school_facts_changed(establishment_id=establishment.pk, what=f"Recorded as done: {title or duty_key}")
    return record


@transaction.atomic
def duty_records_sync(
    *, establishment: Establishment, duty_key: str, source: str, done: dict[datetime.date, str], user: Any
) -> None:
    """Make one source's records of a duty at a school exactly `done` (date -> who did it).

    For a source whose records are derived from its own rows (training records): a record it no
    longer supports is removed, a new one added, and the other sources' records are never touched.
    """
    if source not in DutyRecord.Source.values:
        raise ValueError(f"Unknown duty record source {source!r}")
    existing = {
        record.done_on: record
        for record in DutyRecord.objects.select_for_update().filter(
            establishment=establishment, duty_key=duty_key, source=source
        )
    }
    stale = [record.pk for day, record in existing.items() if day not in done]
    if stale:
        DutyRecord.objects.filter(pk__in=stale).delete()
    if stale or set(done) - set(existing):
        title = Duty.objects.filter(key=duty_key).order_by("-version_id").values_list("title", flat=True).first()
        label = DutyRecord.Source(source).label
        school_facts_changed(establishment_id=establishment.pk, what=f"{label} changed: {title or duty_key}")
    for day, by in done.items():
        record = existing.get(day)
        if record is None:
            DutyRecord.objects.create(
                establishment=establishment,
                duty_key=duty_key,
                done_on=day,
                done_by=by.strip()[:200],
                source=source,
                recorded_by=user if getattr(user, "is_authenticated", False) else None,
            )
        elif record.done_by != by.strip()[:200]:
            record.done_by = by.strip()[:200]
            record.save(update_fields=["done_by"])


def _recommendations_wanted(content, path, results) -> dict[tuple[str, str, str], dict[str, str]]:
    """The recommendations a submitted path calls for, by (requirement, kind, question)."""
    wanted: dict[tuple[str, str, str], dict[str, str]] = {}
    for result in results:
        if result.status in (Status.DOES_NOT_MEET, Status.PARTLY):
            requirement = content.requirements_by_key[result.key]
            wanted[(result.key, Recommendation.Kind.ACTION, "")] = {
                "title": requirement.title,
                "detail": requirement.recommendation,
                "who": requirement.usually_done_by,
            }
    for step in path.steps:
        if step.answer.is_dont_know:
            affected = content.requirement_keys_for(step.question)
            wanted[(affected[0] if affected else "", Recommendation.Kind.FIND_OUT, step.question.key)] = {
                "title": f"Find out: {step.question.text}",
                "detail": f"Ask {step.question.who_to_ask}, then reassess this standard with the answer.",
                "who": step.question.who_to_ask[:1].upper() + step.question.who_to_ask[1:],
            }
    return wanted


def _recommendations_sync(*, assessment, content, path, results, user) -> None:
    """Make the recommendations match the latest results, keeping progress and notes of ones that stay."""
    wanted = _recommendations_wanted(content, path, results)
    existing = {
        (r.requirement_key, r.kind, r.question_key): r
        for r in Recommendation.objects.select_for_update().filter(
            establishment=assessment.establishment, standard_key=assessment.standard_key
        )
    }
    for key, fields in wanted.items():
        recommendation = existing.get(key)
        if recommendation is None:
            recommendation = Recommendation(
                establishment=assessment.establishment,
                standard_key=assessment.standard_key,
                requirement_key=key[0],
                kind=key[1],
                question_key=key[2],
                assessment=assessment,
                **fields,
            )
            record_change(recommendation, user=user, reason="Recommended by a self-assessment")
            recommendation.save()
        elif not recommendation.is_active or recommendation.assessment_id != assessment.pk:
            for name, value in fields.items():
                setattr(recommendation, name, value)
            recommendation.is_active = True
            recommendation.assessment = assessment
            record_change(recommendation, user=user, reason="Still recommended after a reassessment")
            recommendation.save()
    for key, recommendation in existing.items():
        if key not in wanted and recommendation.is_active:
            recommendation.is_active = False
            recommendation.assessment = assessment
            record_change(
                recommendation, user=user, reason="No longer needed: the latest assessment found the requirement met"
            )
            recommendation.save()


# --- assessing together across a trust ---


def _trust_only(organisation: Any) -> Group:
    if not isinstance(organisation, Group):
        raise AssessmentError("Only a trust can answer for several schools")
    return organisation


@transaction.atomic
def shared_assessment_start(*, trust: Group, standard_key: str, user: Any) -> SharedAssessment:
    """A trust starts answering one standard once, for schools it chooses next."""
    _trust_only(trust)
    standard = selectors.current_standard(key=standard_key)
    if standard is None:
        raise AssessmentError("Select a standard")
    shared = SharedAssessment(trust=trust, standard=standard, standard_key=standard_key, started_by=user)
    record_change(shared, user=user, reason="Started answering together")
    shared.save()
    return shared


def _in_progress(shared: SharedAssessment) -> SharedAssessment:
    shared = SharedAssessment.objects.select_for_update().select_related("standard", "trust").get(pk=shared.pk)
    if shared.state != SharedAssessment.State.IN_PROGRESS:
        raise AssessmentError("These answers have already been shared with the schools")
    return shared


@transaction.atomic
def shared_assessment_schools_set(
    *, shared: SharedAssessment, establishments: list[Establishment], user: Any
) -> SharedAssessment:
    """Choose the schools: only open schools the trust looks after, and at least one."""
    shared = _in_progress(shared)
    if not establishments:
        raise AssessmentError("Select at least one school")
    looked_after = set(
        establishments_looked_after(organisation=shared.trust)
        .filter(pk__in=[e.pk for e in establishments])
        .values_list("pk", flat=True)
    )
    if any(e.pk not in looked_after for e in establishments):
        raise AssessmentError(f"Select only schools {shared.trust.name} looks after")
    shared.establishments.set(establishments)
    record_change(shared, user=user, reason=f"Schools chosen: {len(establishments)}")
    shared.save(update_fields=["updated_at"])
    return shared


@transaction.atomic
def shared_assessment_answer(
    *,
    shared: SharedAssessment,
    question_key: str,
    answer_key: str,
    user: Any,
    done_on: datetime.date | None = None,
    done_by: str = "",
) -> SharedAssessment:
    """Record one of the trust's answers, by the same rules as a school's (every question is asked:
    each school's registers answer their questions when its own assessment is made)."""
    shared = _in_progress(shared)
    content = questionnaire.StandardContent(shared.standard)
    shared.answers, shared.dates = _answer_checked(
        content,
        shared.answers,
        shared.dates,
        found={},
        question_key=question_key,
        answer_key=answer_key,
        done_on=done_on,
        done_by=done_by,
    )
    record_change(shared, user=user, reason="Answered a question together")
    shared.save(update_fields=["answers", "dates", "updated_at"])
    return shared


def _not_started(school: Establishment, reason: str) -> dict:
    return {
        "establishment": school.pk,
        "outcome": SharedAssessment.Outcome.NOT_STARTED,
        "reason": reason,
        "assessment": None,
    }


def _shared_to_school(*, shared: SharedAssessment, school: Establishment, user: Any) -> dict:
    """Start (and, when every question on the school's path is answered, submit) one school's own
    assessment from the trust's answers. Nothing of another school is read or written."""
    if selectors.assessment_in_progress(establishment=school, standard_key=shared.standard_key):
        return _not_started(school, "It has an assessment of this standard in progress: finish that one first")
    content = questionnaire.StandardContent(shared.standard)
    phase_group = selectors.phase_group_of(establishment=school)
    if content.phase_dependent and phase_group is None:
        return _not_started(school, "The school needs to say which thresholds apply to it first")
    assessment = Assessment(
        establishment=school,
        standard=shared.standard,
        standard_key=shared.standard_key,
        phase_group=phase_group or "",
        answers=dict(shared.answers),
        dates=dict(shared.dates),
        started_by=user,
        shared_from=shared,
    )
    record_change(assessment, user=user, reason=f"Started from {shared.trust.name}’s answers given together")
    assessment.save()
    found = questionnaire.fact_answers(content, register_facts.facts_for(school))
    if not questionnaire.walk(content, assessment.answers, found).complete:
        _tell_the_school(shared=shared, school=school, user=user, submitted=False)
        return {
            "establishment": school.pk,
            "outcome": SharedAssessment.Outcome.STARTED,
            "reason": "Its registers lead to questions the shared answers do not cover",
            "assessment": assessment.pk,
        }
    assessment_submit(assessment=assessment, user=user)
    _tell_the_school(shared=shared, school=school, user=user, submitted=True)
    return {
        "establishment": school.pk,
        "outcome": SharedAssessment.Outcome.SUBMITTED,
        "reason": "",
        "assessment": assessment.pk,
    }


def _tell_the_school(*, shared: SharedAssessment, school: Establishment, user: Any, submitted: bool) -> None:
    """Email the school's own editors and approvers (through the outbox) that its assessment was
    answered together, so they can check it and change what is different at their school."""
    people = Membership.objects.filter(
        organisation_kind=OrganisationKind.ESTABLISHMENT,
        establishment=school,
        role__in=[Role.EDITOR, Role.APPROVER],
        user__is_active=True,
    ).select_related("user")
    name = (user.get_full_name() or user.email) if getattr(user, "is_authenticated", False) else "Someone"
    outcome = (
        "Its assessment has been submitted, and its results, recommendations and plan are up to date."
        if submitted
        else "Its registers lead to questions those answers do not cover: the assessment is waiting for them."
    )
    url = settings.SERVICE_BASE_URL.rstrip("/") + reverse(
        "standards:standard", kwargs={"urn": school.urn, "standard_key": shared.standard_key}
    )
    for membership in people:
        if not membership.user.email:
            continue
        email_enqueue(
            to_email=membership.user.email,
            template_key="standards_answered_together",
            personalisation={
                "organisation_name": school.name,
                "trust_name": shared.trust.name,
                "person_name": name,
                "standard_title": shared.standard.title,
                "outcome": outcome,
                "standard_url": url,
            },
            organisation=school,
            dedupe_key=f"answered-together:{shared.pk}:{school.pk}:{membership.user_id}",
        )


@transaction.atomic
def shared_assessment_apply(*, shared: SharedAssessment, user: Any) -> SharedAssessment:
    """Give each chosen school its own assessment from the trust's answers.

    Each school is done on its own (a savepoint): a school the trust no longer looks after, that the
    user may not edit, that has an assessment of the standard in progress or whose phase is not
    known is left out with the reason; the others still get theirs.
    """
    shared = _in_progress(shared)
    content = questionnaire.StandardContent(shared.standard)
    if not questionnaire.walk(content, shared.answers, {}).complete:
        raise AssessmentError("Answer every question before you submit")
    chosen = list(shared.establishments.order_by("name"))
    if not chosen:
        raise AssessmentError("Select at least one school")
    looked_after = set(establishments_looked_after(organisation=shared.trust).values_list("pk", flat=True))
    outcomes = []
    for school in chosen:
        if school.pk not in looked_after:
            outcomes.append(_not_started(school, f"{shared.trust.name} no longer looks after it"))
            continue
        if not policy.can(user, "edit", school):
            outcomes.append(_not_started(school, "You may not change this school’s assessments"))
            continue
        try:
            with transaction.atomic():
                outcomes.append(_shared_to_school(shared=shared, school=school, user=user))
        except AssessmentError as error:
            outcomes.append(_not_started(school, str(error)))
    shared.outcomes = outcomes
    shared.state = SharedAssessment.State.APPLIED
    shared.applied_by = user
    shared.applied_at = timezone.now()
    done = sum(1 for o in outcomes if o["outcome"] != SharedAssessment.Outcome.NOT_STARTED)
    record_change(shared, user=user, reason=f"Shared with {done} of {len(outcomes)} schools")
    shared.save()
    return shared


# --- recommendations ---


@transaction.atomic
def recommendation_update(*, recommendation: Recommendation, progress: str, notes: str, user: Any) -> Recommendation:
    if progress not in Recommendation.Progress.values:
        raise AssessmentError("Select the progress")
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    changes = []
    if recommendation.progress != progress:
        changes.append(f"progress set to {Recommendation.Progress(progress).label.lower()}")
    if recommendation.notes != notes:
        changes.append("notes changed")
    if not changes:
        return recommendation
    recommendation.progress = progress
    recommendation.notes = notes
    record_change(recommendation, user=user, reason="Updated: " + ", ".join(changes))
    recommendation.save()
    return recommendation


# --- generated assessments (demo and benchmark data) ---

# (school, the standard's position in the catalogue, its content, what the registers answer) ->
# the answers and dates to submit, or None to leave the standard unassessed.
Chooser = Callable[
    [Establishment, int, questionnaire.StandardContent, dict],
    tuple[dict[str, str], dict[str, dict]] | None,
]


@transaction.atomic
def generated_assessments_insert(
    *, establishments: Iterable[Establishment], choose: Chooser, phase_group: str, batch_size: int = 2000
) -> int:
    """Submitted self-assessments for many schools at once (demo and benchmark data); returns how many.

    Each is checked and scored as `assessment_answers_record` and `assessment_submit` do, with the
    registers' facts, and gets its recommendations and duty records; but the rows are bulk-inserted
    without history rows, as nobody answered them (`estate.services.generated_registers_insert`
    does the same for the registers). A school GIAS cannot place gets `phase_group`. A standard the
    school has any assessment of is left alone, so running it again changes nothing.
    """
    schools = list(establishments)
    ids = [school.pk for school in schools]
    phases = selectors.phase_groups_of(establishments=schools)
    unplaced = [pk for pk, phase in phases.items() if phase is None]
    SchoolPhase.objects.bulk_create(SchoolPhase(establishment_id=pk, phase_group=phase_group) for pk in unplaced)
    phases.update(dict.fromkeys(unplaced, phase_group))
    contents = [questionnaire.StandardContent(standard) for standard in selectors.current_standards()]
    assessed = set(Assessment.objects.filter(establishment_id__in=ids).values_list("establishment_id", "standard_key"))
    duties_done = set(
        DutyRecord.objects.filter(establishment_id__in=ids).values_list("establishment_id", "duty_key", "done_on")
    )
    facts = register_facts.facts_for_many(schools)
    today, now = timezone.localdate(), timezone.now()
    assessments, wanted, duty_records = [], [], []
    for school in schools:
        for position, content in enumerate(contents):
            if (school.pk, content.standard.key) in assessed:
                continue
            found = questionnaire.fact_answers(content, facts[school.pk])
            chosen = choose(school, position, content, found)
            if chosen is None:
                continue
            answers, dates = chosen
            _answers_checked(content, answers, dates)
            assessment = Assessment(
                establishment=school,
                standard=content.standard,
                standard_key=content.standard.key,
                state=Assessment.State.SUBMITTED,
                phase_group=phases[school.pk] or "",
                answers=answers,
                dates=dates,
                submitted_at=now,
            )
            path, results = _scored(assessment, content, found, today)
            assessments.append(assessment)
            wanted.append((assessment, _recommendations_wanted(content, path, results)))
            for step in path.steps:
                done = dates.get(step.question.key)
                key = (school.pk, step.question.duty_key, datetime.date.fromisoformat(done["on"]) if done else None)
                if step.question.asks_a_date and done and key not in duties_done:
                    duties_done.add(key)
                    duty_records.append(
                        DutyRecord(
                            establishment=school,
                            duty_key=key[1],
                            done_on=key[2],
                            done_by=done.get("by", "").strip()[:200],
                            source=DutyRecord.Source.SELF_ASSESSMENT,
                        )
                    )
    for assessment in assessments:
        assessment.started_at = assessment.updated_at = now
    bulk.insert(Assessment, assessments, batch_size=batch_size)
    recommended = set(
        Recommendation.objects.filter(establishment_id__in=ids).values_list(
            "establishment_id", "standard_key", "requirement_key", "kind", "question_key"
        )
    )
    recommendations = [
        Recommendation(
            establishment_id=assessment.establishment_id,
            standard_key=assessment.standard_key,
            requirement_key=requirement_key,
            kind=kind,
            question_key=question_key,
            assessment=assessment,
            created_at=now,
            updated_at=now,
            **fields,
        )
        for assessment, by_key in wanted
        for (requirement_key, kind, question_key), fields in by_key.items()
        if (assessment.establishment_id, assessment.standard_key, requirement_key, kind, question_key)
        not in recommended
    ]
    bulk.insert(Recommendation, recommendations, batch_size=batch_size)
    for record in duty_records:
        record.recorded_at = now
    bulk.insert(DutyRecord, duty_records, batch_size=batch_size)
    if assessments:
        schools_facts_changed(
            establishment_ids=sorted({assessment.establishment_id for assessment in assessments}),
            what="Self-assessments were submitted",
        )
    return len(assessments)


def generated_assessments_analyse() -> None:
    """After generating many schools' assessments: refresh the database's statistics of their tables."""
    bulk.analyse([Assessment, Recommendation, DutyRecord, SchoolPhase])
