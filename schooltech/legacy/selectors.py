"""Reads of the legacy register: services with their risk worked out (scoring.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from schooltech.legacy import scoring
from schooltech.legacy.models import (
    CriterionScore,
    Decision,
    LegacyService,
    Milestone,
    Principle,
    PrincipleAssessment,
    PrinciplesVersion,
    Software,
    SupplierContract,
    Vulnerability,
)
from schooltech.legacy.scoring import CriterionResult


@dataclass(frozen=True)
class ServiceRisk:
    service: LegacyService
    criteria: list[CriterionResult]
    likelihood: int | None
    impact: int | None
    score: int | None
    rating: str

    @property
    def impact_reason(self) -> str:
        return next((r.evidence for r in self.criteria if r.criterion == "impact"), "")


def services_with_components() -> QuerySet[LegacyService]:
    return LegacyService.objects.prefetch_related(
        Prefetch("software", queryset=Software.objects.prefetch_related("vulnerabilities")),
        "contracts",
        "scores",
        "integrations",
    )


def risk_of(service: LegacyService, *, today: datetime.date) -> ServiceRisk:
    """The service's risk from its prefetched register rows and people's scores."""
    software = list(service.software.all())
    people = {score.criterion: score for score in service.scores.all()}
    derived = {
        "L1": scoring.derive_l1(software, today=today),
        "L2": scoring.derive_l2(list(service.contracts.all()), today=today),
        "L6": scoring.derive_l6([v for s in software for v in s.vulnerabilities.all()]),
    }
    criteria = [derived.get(criterion) or _scored(criterion, people.get(criterion)) for criterion in _ALL]
    likelihood = scoring.likelihood(criteria)
    impact = criteria[-1].score
    score = scoring.total(likelihood, impact)
    return ServiceRisk(service, criteria, likelihood, impact, score, scoring.rating(score))


_ALL = [*scoring.LIKELIHOOD, "impact"]


def _scored(criterion: str, row: CriterionScore | None) -> CriterionResult:
    if row is None:
        return CriterionResult(criterion=criterion, score=None, evidence="Not scored yet", derived=False)
    return CriterionResult(criterion=criterion, score=row.score, evidence=row.reason, derived=False)


def register(*, today: datetime.date, directorate: str = "", rating: str = "") -> list[ServiceRisk]:
    services = services_with_components()
    if directorate:
        services = services.filter(directorate=directorate)
    risks = [risk_of(service, today=today) for service in services]
    return [risk for risk in risks if not rating or risk.rating == rating]


def service_detail(pk: int) -> LegacyService | None:
    return services_with_components().filter(pk=pk).first()


def score_history(service: LegacyService, *, limit: int = 50) -> list:
    return list(
        CriterionScore.history.filter(service_id=service.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )


def decisions_of(service: LegacyService) -> list[Decision]:
    return list(service.decisions.all())


def milestones_of(service: LegacyService) -> list[Milestone]:
    return list(service.milestones.all())


def overdue_milestones(*, today: datetime.date) -> QuerySet[Milestone]:
    return Milestone.objects.filter(done_on__isnull=True, due_on__lt=today).select_related("service")


def service_named(name: str) -> LegacyService | None:
    return LegacyService.objects.filter(name=name).first()


# The largest id a row can have. Django keeps an out-of-range id in a primary key lookup from the
# database, but not in a foreign key one (`service_id=`), which SQLite answers with OverflowError.
LARGEST_ID = 2**63 - 1


def _ids_fit(*ids: int) -> bool:
    return all(0 <= pk <= LARGEST_ID for pk in ids)


def milestone_of(*, service_id: int, milestone_id: int) -> Milestone | None:
    if not _ids_fit(service_id, milestone_id):
        return None
    return Milestone.objects.filter(service_id=service_id, pk=milestone_id).first()


def decision_of(*, service_id: int, decision_id: int) -> Decision | None:
    if not _ids_fit(service_id, decision_id):
        return None
    return Decision.objects.filter(service_id=service_id, pk=decision_id).first()


def software_of(*, service_id: int, software_id: int) -> Software | None:
    if not _ids_fit(service_id, software_id):
        return None
    return Software.objects.filter(service_id=service_id, pk=software_id).first()


def contract_of(*, service_id: int, contract_id: int) -> SupplierContract | None:
    if not _ids_fit(service_id, contract_id):
        return None
    return SupplierContract.objects.filter(service_id=service_id, pk=contract_id).first()


def vulnerability_of(*, service_id: int, software_id: int, vulnerability_id: int) -> Vulnerability | None:
    if not _ids_fit(service_id, software_id, vulnerability_id):
        return None
    return Vulnerability.objects.filter(
        software__service_id=service_id, software_id=software_id, pk=vulnerability_id
    ).first()


def what_goes_with(service: LegacyService) -> list[str]:
    """What deleting the service deletes with it, in words, and the services that lose an integration."""
    software = service.software.count()
    found = [
        (software, "software", "software"),
        (Vulnerability.objects.filter(software__service=service).count(), "vulnerability", "vulnerabilities"),
        (service.contracts.count(), "supplier contract", "supplier contracts"),
        (service.scores.count(), "score", "scores"),
        (service.decisions.count(), "decision", "decisions"),
        (service.milestones.count(), "milestone", "milestones"),
        (service.principle_assessments.count(), "principle assessment", "principle assessments"),
    ]
    return [f"{count:,} {one if count == 1 else many}" for count, one, many in found if count]


def integrated_by(service: LegacyService) -> list[LegacyService]:
    """The other services that integrate with this one."""
    return list(service.integrated_by.exclude(pk=service.pk))


def milestones_not_done(*, due_before: datetime.date) -> QuerySet[Milestone]:
    """Milestones not done and due on or before `due_before` (overdue ones included), soonest first."""
    return (
        Milestone.objects.filter(done_on__isnull=True, due_on__lte=due_before)
        .select_related("service")
        .order_by("due_on", "pk")
    )


def software_support_ending(*, start: datetime.date, end: datetime.date) -> QuerySet[Software]:
    return (
        Software.objects.filter(support_ends__gte=start, support_ends__lte=end)
        .select_related("service")
        .order_by("support_ends", "pk")
    )


def contracts_notice_between(*, start: datetime.date, end: datetime.date) -> QuerySet[SupplierContract]:
    return (
        SupplierContract.objects.filter(notice_by__gte=start, notice_by__lte=end)
        .select_related("service")
        .order_by("notice_by", "pk")
    )


@dataclass(frozen=True)
class BoardLine:
    """One red or amber service for the board: its risk, the latest decision and the next milestone."""

    risk: ServiceRisk
    decision: Decision | None
    next_milestone: Milestone | None
    overdue: int
    outweighs: bool


def board_lines(risks: list[ServiceRisk], *, today: datetime.date, outweighs) -> list[BoardLine]:
    """The red and amber services, worst first, with what was decided and what is next."""
    chosen = [risk for risk in risks if risk.rating in (scoring.Rating.RED, scoring.Rating.AMBER)]
    ids = [risk.service.pk for risk in chosen]
    latest: dict[int, Decision] = {}
    for decision in Decision.objects.filter(service_id__in=ids).order_by("service_id", "-decided_on", "-id"):
        latest.setdefault(decision.service_id, decision)
    upcoming: dict[int, Milestone] = {}
    overdue: dict[int, int] = {}
    for milestone in Milestone.objects.filter(service_id__in=ids, done_on__isnull=True).order_by("due_on", "id"):
        if milestone.due_on < today:
            overdue[milestone.service_id] = overdue.get(milestone.service_id, 0) + 1
        else:
            upcoming.setdefault(milestone.service_id, milestone)
    lines = [
        BoardLine(
            risk,
            latest.get(risk.service.pk),
            upcoming.get(risk.service.pk),
            overdue.get(risk.service.pk, 0),
            outweighs(risk),
        )
        for risk in chosen
    ]
    return sorted(lines, key=lambda line: (-(line.risk.score or 0), line.risk.service.name))


def components(service_ids: list[int]) -> tuple[list[Software], list[SupplierContract], list[Vulnerability]]:
    software = list(Software.objects.filter(service_id__in=service_ids).select_related("service"))
    contracts = list(SupplierContract.objects.filter(service_id__in=service_ids).select_related("service"))
    vulnerabilities = list(
        Vulnerability.objects.filter(software__service_id__in=service_ids).select_related("software__service")
    )
    return software, contracts, vulnerabilities


def all_decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("service").order_by("-decided_on", "-id")


def current_principles_version() -> PrinciplesVersion | None:
    return PrinciplesVersion.objects.order_by("-published_on", "-id").first()


def current_principles() -> list[Principle]:
    version = current_principles_version()
    return list(version.principles.all()) if version else []


def principle_named(key: str) -> Principle | None:
    version = current_principles_version()
    return version.principles.filter(key=key).first() if version else None


def principle_assessments_of(service: LegacyService) -> dict[int, PrincipleAssessment]:
    """The service's assessments against the current principles, by principle id."""
    version = current_principles_version()
    if version is None:
        return {}
    rows = PrincipleAssessment.objects.filter(service=service, principle__version=version)
    return {row.principle_id: row for row in rows}


def principle_outcomes() -> dict[int, dict[str, int]]:
    """For each current principle, how many services have each outcome."""
    version = current_principles_version()
    counts: dict[int, dict[str, int]] = {}
    if version is None:
        return counts
    rows = (
        PrincipleAssessment.objects.filter(principle__version=version)
        .values("principle_id", "outcome")
        .annotate(services=Count("id"))
    )
    for row in rows:
        counts.setdefault(row["principle_id"], {})[row["outcome"]] = row["services"]
    return counts


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    what: str
    reason: str
    who: str


def changes_of(service: LegacyService, *, limit: int = 50) -> list[Change]:
    """Who changed what about the service, newest first: its details, components, decisions, milestones,
    scores and principle assessments (django-simple-history)."""
    sources = [
        (LegacyService.history.filter(id=service.pk), "Service details"),
        (Software.history.filter(service_id=service.pk), "Software"),
        (
            # by the software's history, so vulnerabilities deleted with their software are listed too
            Vulnerability.history.filter(software_id__in=Software.history.filter(service_id=service.pk).values("id")),
            "Vulnerability",
        ),
        (SupplierContract.history.filter(service_id=service.pk), "Supplier contract"),
        (Decision.history.filter(service_id=service.pk), "Decision"),
        (Milestone.history.filter(service_id=service.pk), "Milestone"),
        (CriterionScore.history.filter(service_id=service.pk), "Score"),
        (PrincipleAssessment.history.filter(service_id=service.pk), "Principles"),
    ]
    found: list[Change] = []
    for queryset, kind in sources:
        for record in queryset.select_related("history_user").order_by("-history_date")[:limit]:
            user = record.history_user
            found.append(
                Change(
                    when=record.history_date,
                    what=f"{kind}: {record.instance}",
                    reason=record.history_change_reason
                    or {"+": "Added", "~": "Changed", "-": "Removed"}.get(record.history_type, ""),
                    who=(user.get_full_name() or user.email) if user else "Nobody recorded (an import job or the demo)",
                )
            )
    return sorted(found, key=lambda change: change.when, reverse=True)[:limit]


# --- Matching an import's components to the register's (importers.py previews, services.py writes) ------
#
# A service by its name, ignoring case; software by service, name and version; a supplier contract by
# service, supplier and what it is for, and among several such by its end date (one alone is updated
# even when its end date changed, so a renewal updates it); a vulnerability by its software and
# reference. A vulnerability names its software as Software.__str__ does ("name version").


@dataclass
class RegisterComponents:
    services: dict[str, LegacyService]  # by name, lower case
    software: dict[str, list[Software]]  # by service name, lower case
    contracts: dict[str, list[SupplierContract]]
    vulnerabilities: dict[int, list[Vulnerability]]  # by software id


def register_components() -> RegisterComponents:
    register = RegisterComponents({}, {}, {}, {})
    for service in LegacyService.objects.all():
        register.services[service.name.lower()] = service
    for software in Software.objects.select_related("service").order_by("id"):
        register.software.setdefault(software.service.name.lower(), []).append(software)
    for contract in SupplierContract.objects.select_related("service").order_by("id"):
        register.contracts.setdefault(contract.service.name.lower(), []).append(contract)
    for vulnerability in Vulnerability.objects.order_by("id"):
        register.vulnerabilities.setdefault(vulnerability.software_id, []).append(vulnerability)
    return register


def software_key(name: str, version: str) -> tuple[str, str]:
    return name.strip().lower(), (version or "").strip().lower()


def software_label(name: str, version: str) -> str:
    """How a vulnerability names its software: as Software.__str__ and the export do."""
    return f"{name} {version or ''}".strip().lower()


def matching_software(candidates: list[Software], name: str, version: str) -> Software | None:
    key = software_key(name, version)
    return next((s for s in candidates if software_key(s.name, s.version) == key), None)


def software_labelled(candidates: list[Software], label: str) -> list[Software]:
    """The first software of each distinct name and version whose label is `label`."""
    found: dict[tuple[str, str], Software] = {}
    for software in candidates:
        if software_label(software.name, software.version) == label.strip().lower():
            found.setdefault(software_key(software.name, software.version), software)
    return list(found.values())


def contract_key(supplier: str, description: str) -> tuple[str, str]:
    return supplier.strip().lower(), (description or "").strip().lower()


def matching_contract(
    candidates: list[SupplierContract], supplier: str, description: str, ends_on, *, alone: bool
) -> SupplierContract | None:
    """`alone`: no other row of the file has this service, supplier and purpose."""
    key = contract_key(supplier, description)
    same = [c for c in candidates if contract_key(c.supplier, c.description) == key]
    same_end = [c for c in same if c.ends_on == ends_on]
    if same_end:
        return same_end[0]
    if len(same) == 1 and alone:
        return same[0]
    return None


def matching_vulnerability(candidates: list[Vulnerability], reference: str) -> Vulnerability | None:
    return next((v for v in candidates if v.reference.strip().lower() == reference.strip().lower()), None)
