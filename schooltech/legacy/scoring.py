"""Legacy risk, scored by the CDDO legacy IT risk assessment framework (docs/legacy.md).

Seven likelihood criteria, each 1 to 6 (3 or more means legacy on that dimension), and impact 1 to 5.
Three criteria are derived from the register, so they change as soon as the register does:
L1 (software past or near its support end), L2 (expired or expiring supplier contracts) and L6
(known vulnerabilities not yet fixed). The others, and impact, are scored by a person with a reason.

The score out of 30 is likelihood × impact, where likelihood is the mean of the seven criteria
rounded half up (1 to 6). Ratings: 16 or more red (the framework's threshold), 8 to 15 amber, 7 or
less green. A service with a criterion or impact not yet scored has no score.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from schooltech.legacy.models import Criterion, Vulnerability

RED_FROM = 16
AMBER_FROM = 8
MAX_IMPACT = 5
MAX_LIKELIHOOD = 6
SOON = datetime.timedelta(days=365)  # support or a contract ending within a year counts as expiring
DERIVED = (Criterion.L1, Criterion.L2, Criterion.L6)
LIKELIHOOD = (
    Criterion.L1,
    Criterion.L2,
    Criterion.L3,
    Criterion.L4,
    Criterion.L5,
    Criterion.L6,
    Criterion.L7,
)
SCORED_BY_PEOPLE = (Criterion.L3, Criterion.L4, Criterion.L5, Criterion.L7, Criterion.IMPACT)


class Rating:
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    NOT_SCORED = "not scored"


RATINGS = (Rating.RED, Rating.AMBER, Rating.GREEN, Rating.NOT_SCORED)


@dataclass(frozen=True)
class CriterionResult:
    criterion: str
    score: int | None
    evidence: str
    derived: bool

    @property
    def label(self) -> str:
        return Criterion(self.criterion).label


def derive_l1(software, *, today: datetime.date) -> CriterionResult:
    """Software past its support end scores 6; ending within a year 4; no end date recorded 3."""
    past = [s for s in software if s.support_ends and s.support_ends < today]
    soon = [s for s in software if s.support_ends and today <= s.support_ends < today + SOON]
    unknown = [s for s in software if not s.support_ends]
    if past:
        return _derived(Criterion.L1, 6, "Past support: " + _names(past))
    if soon:
        return _derived(Criterion.L1, 4, "Support ends within a year: " + _names(soon))
    if unknown:
        return _derived(Criterion.L1, 3, "No support end date recorded: " + _names(unknown))
    if not software:
        return _derived(Criterion.L1, 1, "No software recorded")
    return _derived(Criterion.L1, 1, "All software supported for more than a year")


def derive_l2(contracts, *, today: datetime.date) -> CriterionResult:
    """An expired contract scores 6; its notice date passed 5; ending within a year 4."""
    expired = [c for c in contracts if c.ends_on and c.ends_on < today]
    notice_passed = [c for c in contracts if c.notice_by and c.notice_by < today and c not in expired]
    soon = [c for c in contracts if c.ends_on and today <= c.ends_on < today + SOON]
    if expired:
        return _derived(Criterion.L2, 6, "Expired: " + _names(expired))
    if notice_passed:
        return _derived(Criterion.L2, 5, "Notice date passed: " + _names(notice_passed))
    if soon:
        return _derived(Criterion.L2, 4, "Ends within a year: " + _names(soon))
    if not contracts:
        return _derived(Criterion.L2, 1, "No supplier contracts recorded")
    return _derived(Criterion.L2, 1, "All contracts run for more than a year")


SEVERITY_SCORE = {
    Vulnerability.Severity.CRITICAL: 6,
    Vulnerability.Severity.HIGH: 5,
    Vulnerability.Severity.MEDIUM: 4,
    Vulnerability.Severity.LOW: 3,
}


def derive_l6(vulnerabilities) -> CriterionResult:
    """The worst unfixed vulnerability: critical 6, high 5, medium 4, low 3; none unfixed 1."""
    open_ones = [v for v in vulnerabilities if not v.fixed_on]
    if not open_ones:
        return _derived(Criterion.L6, 1, "No unfixed vulnerabilities recorded")
    worst = max(open_ones, key=lambda v: SEVERITY_SCORE[v.severity])
    return _derived(
        Criterion.L6,
        SEVERITY_SCORE[worst.severity],
        f"{len(open_ones)} unfixed, worst {worst.get_severity_display().lower()}: " + _names(open_ones),
    )


def likelihood(results: list[CriterionResult]) -> int | None:
    scores = [r.score for r in results if r.criterion in LIKELIHOOD]
    if len(scores) != len(LIKELIHOOD) or None in scores:
        return None
    mean = Decimal(sum(scores)) / len(scores)
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def total(likelihood_score: int | None, impact: int | None) -> int | None:
    if likelihood_score is None or impact is None:
        return None
    return likelihood_score * impact


def rating(score: int | None) -> str:
    if score is None:
        return Rating.NOT_SCORED
    if score >= RED_FROM:
        return Rating.RED
    if score >= AMBER_FROM:
        return Rating.AMBER
    return Rating.GREEN


def _derived(criterion: str, score: int, evidence: str) -> CriterionResult:
    return CriterionResult(criterion=criterion, score=score, evidence=evidence, derived=True)


def _names(rows) -> str:
    return ", ".join(str(row) for row in rows)
