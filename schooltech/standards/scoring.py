"""Scoring: from the answers on a questionnaire's path to a status, with reasons, per requirement.

Each answer in the catalogue names its effect on requirements ("meets", "partly",
"does_not_meet", or per phase; "I don't know" has the effect "unknown"). A requirement's status
combines the effects of the answers on the path; a standard's status combines its requirements'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from schooltech.organisations.models import Establishment
from schooltech.standards.catalogue import UNKNOWN
from schooltech.standards.models import PhaseGroup, Status

Phase = Establishment.Phase
PRIMARY_PHASE_CODES = {Phase.PRIMARY, Phase.MIDDLE_DEEMED_PRIMARY}
SECONDARY_PHASE_CODES = {Phase.SECONDARY, Phase.MIDDLE_DEEMED_SECONDARY, Phase.SIXTEEN_PLUS, Phase.ALL_THROUGH}


def phase_group_for(phase_code: str | None) -> str | None:
    """Which thresholds apply for a GIAS phase code; None when GIAS does not say (ask the user)."""
    if phase_code in PRIMARY_PHASE_CODES:
        return PhaseGroup.PRIMARY
    if phase_code in SECONDARY_PHASE_CODES:
        return PhaseGroup.SECONDARY
    return None


@dataclass(frozen=True)
class Evidence:
    status: str  # a Status value (not NOT_ASSESSED) or UNKNOWN
    reason: str
    from_registers: bool = False


@dataclass
class RequirementResult:
    key: str
    status: str
    reasons: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)


def effect_for_phase(status: str | dict, phase_group: str | None) -> str:
    """An effect that differs by phase resolves to the school's phase; without a phase it is unknown."""
    if isinstance(status, dict):
        return status.get(phase_group, UNKNOWN) if phase_group else UNKNOWN
    return status


def combine(evidence: Iterable[Evidence]) -> str:
    """One requirement's status from all the evidence about it.

    No evidence, or only "I don't know": not assessed. Everything meets: meets. Nothing meets at
    all (does not meet, perhaps with unknowns): does not meet. Any other mix: partly meets.
    """
    statuses = {item.status for item in evidence}
    known = statuses - {UNKNOWN}
    if not known:
        return Status.NOT_ASSESSED
    if statuses == {Status.MEETS}:
        return Status.MEETS
    if known == {Status.DOES_NOT_MEET}:
        return Status.DOES_NOT_MEET
    return Status.PARTLY


def standard_status(requirement_statuses: Iterable[str]) -> str:
    """A standard meets only when every requirement meets; nothing assessed means not assessed."""
    statuses = set(requirement_statuses)
    assessed = statuses - {Status.NOT_ASSESSED}
    if not assessed:
        return Status.NOT_ASSESSED
    if statuses == {Status.MEETS}:
        return Status.MEETS
    if assessed == {Status.DOES_NOT_MEET}:
        return Status.DOES_NOT_MEET
    return Status.PARTLY


def score_requirements(
    requirement_keys: Iterable[str], evidence_by_requirement: dict[str, list[Evidence]]
) -> list[RequirementResult]:
    results = []
    for key in requirement_keys:
        evidence = evidence_by_requirement.get(key, [])
        results.append(
            RequirementResult(
                key=key,
                status=combine(evidence),
                reasons=[item.reason for item in evidence if item.status != UNKNOWN],
                unknowns=[item.reason for item in evidence if item.status == UNKNOWN],
            )
        )
    return results
