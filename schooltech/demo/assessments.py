"""Realistic, repeatable self-assessments for the demo trust's matrix.

Answers are chosen by a random generator seeded with the school and standard, so every run gives
the same results; schools that already have an assessment for a standard are left alone.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from schooltech.organisations.models import Establishment, Group
from schooltech.standards import duties, questionnaire, register_facts, selectors, services

# The standard the demo trust answers once for several schools: its questions are the trust's to
# answer (digital leadership is set by the trust), and no register answers them.
TOGETHER_STANDARD = "digital_leadership"
TOGETHER_SCHOOLS = 4
# The thresholds used for a school GIAS cannot place as primary or secondary.
UNPLACED_PHASE = "secondary"


def record_for(school: Establishment) -> int:
    """Record and submit this school's demo assessments, as a person would; returns how many were recorded."""
    if selectors.phase_group_of(establishment=school) is None:
        services.school_phase_set(establishment=school, phase_group=UNPLACED_PHASE, user=None)
    recorded = 0
    for position, standard in enumerate(selectors.current_standards()):
        if selectors.assessment_in_progress(
            establishment=school, standard_key=standard.key
        ) or selectors.latest_submitted(establishment=school, standard_key=standard.key):
            continue
        content = questionnaire.StandardContent(standard)
        from_registers = questionnaire.fact_answers(content, register_facts.facts_for(school))
        chosen = choose(school, position, content, from_registers)
        if chosen is None:
            continue
        answers, dates = chosen
        assessment = services.assessment_start(establishment=school, standard_key=standard.key, user=None)
        services.assessment_answers_record(assessment=assessment, answers=answers, dates=dates, user=None)
        services.assessment_submit(assessment=assessment, user=None)
        recorded += 1
    return recorded


def record_many(schools: list[Establishment]) -> int:
    """The same assessments for many schools at once, bulk-inserted without history (national scale:
    `standards.services.generated_assessments_insert`); returns how many were recorded."""
    return services.generated_assessments_insert(establishments=schools, choose=choose, phase_group=UNPLACED_PHASE)


def choose(
    school: Establishment, position: int, content: questionnaire.StandardContent, from_registers: dict
) -> tuple[dict[str, str], dict[str, dict]] | None:
    """This school's answers and dates for one standard, or None when it has not assessed it yet."""
    chooser = random.Random(f"{school.urn}:{content.standard.key}")
    if chooser.random() < 0.15 + 0.02 * position:  # some standards not assessed yet
        return None
    struggling = random.Random(school.urn).random() < 0.25  # a quarter of schools mostly give the last answer
    answers = answers_for(content, chooser, from_registers, struggling=struggling)
    return answers, dates_for(content, answers, chooser, timezone.localdate())


def answers_for(
    content: questionnaire.StandardContent,
    chooser: random.Random,
    from_registers: dict[str, questionnaire.FactAnswer] | None = None,
    struggling: bool = False,
) -> dict[str, str]:
    """Walk the questions choosing answers, the first (usually best) more often, "I don't know" rarely.

    A struggling school favours the last answer before "I don't know" (usually the worst) instead.

    Questions the registers answer follow the registers' answer, as the submitted walk will.
    """
    answers: dict[str, str] = {}
    from_registers = from_registers or {}
    key = content.standard.first_question
    while key:
        if key in from_registers:
            key = content.answers[(key, from_registers[key].answer_key)].next_question
            continue
        options = content.answers_for(content.questions[key])
        favoured = len(options) - 2 if struggling else 0
        weights = [1 if a.is_dont_know else (12 if index == favoured else 2) for index, a in enumerate(options)]
        chosen = chooser.choices(options, weights=weights)[0]
        answers[key] = chosen.key
        key = chosen.next_question
    return answers


def dates_for(
    content: questionnaire.StandardContent, answers: dict[str, str], chooser: random.Random, today: datetime.date
) -> dict[str, dict]:
    """A date for each "when did you last…" answered in time or overdue, that falls in that band today."""
    dates = {}
    for key, answer in answers.items():
        question = content.questions[key]
        if not question.asks_a_date or answer not in (duties.IN_TIME, duties.OVERDUE):
            continue
        termly = content.cadence_of(question) == duties.TERMLY
        if answer == duties.IN_TIME:
            days_ago = chooser.randint(7, 40 if termly else 300)  # 40 days back is always this term or the last
        else:
            days_ago = chooser.randint(400, 700)
        done_by = content.duties[question.duty_key].usually_done_by
        dates[key] = {"on": (today - datetime.timedelta(days=days_ago)).isoformat(), "by": done_by}
    return dates


def answer_together(trust: Group, user):
    """The trust answers one standard once for a few of its schools that have not assessed it, as its
    IT director would from "Assess together"; each school gets its own assessment. Done once: a trust
    that has answered together already is left alone."""
    if selectors.shared_assessments(trust=trust).exists():
        return None
    schools = [
        school
        for school in Establishment.objects.filter(trust=trust, status__in=Establishment.OPEN_STATUSES).order_by("urn")
        if not selectors.latest_submitted(establishment=school, standard_key=TOGETHER_STANDARD)
        and not selectors.assessment_in_progress(establishment=school, standard_key=TOGETHER_STANDARD)
    ][:TOGETHER_SCHOOLS]
    if len(schools) < 2:
        return None
    for school in schools:
        if selectors.phase_group_of(establishment=school) is None:
            services.school_phase_set(establishment=school, phase_group="secondary", user=None)
    shared = services.shared_assessment_start(trust=trust, standard_key=TOGETHER_STANDARD, user=user)
    services.shared_assessment_schools_set(shared=shared, establishments=schools, user=user)
    content = questionnaire.StandardContent(shared.standard)
    chooser = random.Random(f"{trust.uid}:{TOGETHER_STANDARD}")
    answers = answers_for(content, chooser)
    dates = dates_for(content, answers, chooser, timezone.localdate())
    for question_key, answer_key in answers.items():
        done = dates.get(question_key, {})
        on = datetime.date.fromisoformat(done["on"]) if done else None
        services.shared_assessment_answer(
            shared=shared,
            question_key=question_key,
            answer_key=services.ON_A_DATE if on else answer_key,  # the date decides in time or overdue
            user=user,
            done_on=on,
            done_by=done.get("by", ""),
        )
    return services.shared_assessment_apply(shared=shared, user=user)
