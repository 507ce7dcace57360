"""Walking a standard's branching questionnaire: which questions are on the path, which the
registers answer, which is next, and the evidence the path gives each requirement."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from schooltech.standards.facts import FACT_RULES, FactAnswer, Facts
from schooltech.standards.models import Answer, Duty, Question, Requirement, Standard
from schooltech.standards.register_facts import RegisterFact
from schooltech.standards.scoring import Evidence, RequirementResult, effect_for_phase, score_requirements


class StandardContent:
    """One standard of one catalogue version, read once with its questions, answers and requirements."""

    def __init__(self, standard: Standard):
        self.standard = standard
        self.requirements: list[Requirement] = list(standard.requirements.all())
        self.questions: dict[str, Question] = {
            q.key: q for q in standard.questions.prefetch_related("answers").order_by("position")
        }
        self.answers: dict[tuple[str, str], Answer] = {
            (q.key, a.key): a for q in self.questions.values() for a in q.answers.all()
        }
        self.duties: dict[str, Duty] = {d.key: d for d in standard.duties.all()}

    @classmethod
    def for_standard(cls, standard: Standard) -> StandardContent:
        return cls(standard)

    @cached_property
    def requirements_by_key(self) -> dict[str, Requirement]:
        return {r.key: r for r in self.requirements}

    @cached_property
    def phase_dependent(self) -> bool:
        return any(isinstance(effect["status"], dict) for answer in self.answers.values() for effect in answer.effects)

    def answers_for(self, question: Question) -> list[Answer]:
        return sorted(question.answers.all(), key=lambda a: a.position)

    def cadence_of(self, question: Question) -> str:
        return self.duties[question.duty_key].cadence

    def requirement_keys_for(self, question: Question) -> list[str]:
        return sorted({e["requirement"] for a in question.answers.all() for e in a.effects})


@dataclass(frozen=True)
class Step:
    question: Question
    answer: Answer
    fact: FactAnswer | None = None

    @property
    def from_registers(self) -> bool:
        return self.fact is not None


@dataclass(frozen=True)
class Walk:
    steps: list[Step]
    next_question: Question | None

    @property
    def complete(self) -> bool:
        return self.next_question is None

    def step_for(self, question_key: str) -> Step | None:
        return next((step for step in self.steps if step.question.key == question_key), None)


def fact_answers(content: StandardContent, facts: Facts) -> dict[str, FactAnswer]:
    """The questions the registers answer, and how."""
    found = {}
    for question in content.questions.values():
        if not question.fact_rule or question.fact_rule not in FACT_RULES:
            continue
        answer = FACT_RULES[question.fact_rule](facts)
        if answer is not None and (question.key, answer.answer_key) in content.answers:
            found[question.key] = answer
    return found


def walk(content: StandardContent, answers: dict[str, str], from_registers: dict[str, FactAnswer]) -> Walk:
    """Follow the answers from the first question; stop at the first question still to answer."""
    steps: list[Step] = []
    key = content.standard.first_question
    seen: set[str] = set()
    while key and key not in seen:
        seen.add(key)
        question = content.questions[key]
        fact = from_registers.get(key)
        answer_key = fact.answer_key if fact else answers.get(key)
        answer = content.answers.get((key, answer_key or ""))
        if answer is None:
            return Walk(steps, question)
        steps.append(Step(question, answer, fact))
        key = answer.next_question
    return Walk(steps, None)


def reason_for(step: Step) -> str:
    if step.fact:
        return f"From your registers: {step.fact.source}"
    if step.answer.reason:
        return step.answer.reason
    return f"{step.question.text} You answered: {step.answer.text}"


def score(content: StandardContent, path: Walk, phase_group: str | None) -> list[RequirementResult]:
    evidence: dict[str, list[Evidence]] = {}
    for step in path.steps:
        for effect in step.answer.effects:
            status = effect_for_phase(effect["status"], phase_group)
            evidence.setdefault(effect["requirement"], []).append(
                Evidence(status=status, reason=reason_for(step), from_registers=step.from_registers)
            )
    return score_requirements([r.key for r in content.requirements], evidence)


def facts_to_json(found: dict[str, FactAnswer]) -> dict:
    return {
        question_key: {
            "answer": answer.answer_key,
            "facts": [
                {
                    "key": fact.key,
                    "value": fact.value,
                    "source": fact.source,
                    "as_of": fact.as_of.isoformat() if fact.as_of else None,
                }
                for fact in answer.facts
            ],
        }
        for question_key, answer in found.items()
    }


def facts_from_json(stored: dict) -> dict[str, FactAnswer]:
    return {
        question_key: FactAnswer(
            item["answer"],
            tuple(
                RegisterFact(
                    key=fact["key"],
                    value=fact["value"],
                    source=fact["source"],
                    as_of=datetime.date.fromisoformat(fact["as_of"]) if fact["as_of"] else None,
                )
                for fact in item["facts"]
            ),
        )
        for question_key, item in (stored or {}).items()
    }
