"""Catalogue versions that do not punish schools: what carries over from one version to the next.

A question is unchanged between two versions when it has the same key and the same fingerprint
(what was asked and its options, `catalogue.question_fingerprint`). Its answer carries over; only new
or changed questions are asked again. Results say which version they were judged against, and what
has changed in the current version since.
"""

from __future__ import annotations

from dataclasses import dataclass

from schooltech.standards.models import Question, Requirement, Standard


def _fingerprints(standard: Standard) -> dict[str, str]:
    return dict(Question.objects.filter(standard=standard).values_list("key", "fingerprint"))


def carried_answers(answers: dict[str, str], *, answered_under: Standard, now: Standard) -> dict[str, str]:
    """The answers, given under one version of a standard, that still stand under another."""
    if answered_under.pk == now.pk:
        before = after = _fingerprints(now)
    else:
        before, after = _fingerprints(answered_under), _fingerprints(now)
    options = set(Question.objects.filter(standard=now).values_list("key", "answers__key"))
    return {
        question: answer
        for question, answer in answers.items()
        if before.get(question) and before.get(question) == after.get(question) and (question, answer) in options
    }


@dataclass(frozen=True)
class StandardChanges:
    """What a newer version of a standard asks and requires that an older one did not."""

    new_questions: tuple[str, ...]
    changed_questions: tuple[str, ...]
    removed_questions: tuple[str, ...]
    new_requirements: tuple[str, ...]
    removed_requirements: tuple[str, ...]

    @property
    def any(self) -> bool:
        return bool(
            self.new_questions
            or self.changed_questions
            or self.removed_questions
            or self.new_requirements
            or self.removed_requirements
        )


def standard_changes(older: Standard, newer: Standard) -> StandardChanges:
    """Question texts and requirement titles (of the newer version, or the older for removals)."""
    old_questions = {q.key: q for q in Question.objects.filter(standard=older)}
    new_questions = {q.key: q for q in Question.objects.filter(standard=newer).order_by("position")}
    old_requirements = dict(Requirement.objects.filter(standard=older).values_list("key", "title"))
    new_requirements = dict(Requirement.objects.filter(standard=newer).order_by("position").values_list("key", "title"))
    return StandardChanges(
        new_questions=tuple(q.text for key, q in new_questions.items() if key not in old_questions),
        changed_questions=tuple(
            q.text
            for key, q in new_questions.items()
            if key in old_questions and old_questions[key].fingerprint != q.fingerprint
        ),
        removed_questions=tuple(q.text for key, q in old_questions.items() if key not in new_questions),
        new_requirements=tuple(title for key, title in new_requirements.items() if key not in old_requirements),
        removed_requirements=tuple(title for key, title in old_requirements.items() if key not in new_requirements),
    )
