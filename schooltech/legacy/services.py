"""Every write to the legacy register. Each records who made it and why (core/history.py)."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from schooltech.core.history import acting_user, record_change
from schooltech.legacy import selectors
from schooltech.legacy.models import (
    Criterion,
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
from schooltech.legacy.scoring import DERIVED, MAX_IMPACT, MAX_LIKELIHOOD


@transaction.atomic
def legacy_service_create(
    *,
    actor: Any,
    name: str,
    purpose: str,
    directorate: str,
    owner: str,
    value: int,
    users: str = "",
    transactions_per_year: int | None = None,
    supports: str = "",
    annual_cost: Decimal | None = None,
    hosting: str = "",
    is_example: bool = False,
    integrations: list[LegacyService] | None = None,
) -> LegacyService:
    service = LegacyService(
        name=name,
        purpose=purpose,
        directorate=directorate,
        owner=owner,
        value=value,
        users=users,
        transactions_per_year=transactions_per_year,
        supports=supports,
        annual_cost=annual_cost,
        hosting=hosting,
        is_example=is_example,
    )
    service.full_clean()
    record_change(service, user=actor, reason="Service added")
    service.save()
    if integrations:
        legacy_service_integrations_set(service=service, others=integrations)
    return service


@transaction.atomic
def legacy_service_integrate(*, service: LegacyService, others: list[LegacyService]) -> None:
    service.integrations.add(*others)


@transaction.atomic
def software_add(
    *, actor: Any, service: LegacyService, name: str, version: str = "", support_ends: datetime.date | None = None
) -> Software:
    software = Software(service=service, name=name, version=version, support_ends=support_ends)
    software.full_clean()
    record_change(software, user=actor, reason="Software added")
    software.save()
    return software


@transaction.atomic
def vulnerability_add(
    *, actor: Any, software: Software, reference: str, severity: str, fixed_on: datetime.date | None = None
) -> Vulnerability:
    vulnerability = Vulnerability(software=software, reference=reference, severity=severity, fixed_on=fixed_on)
    vulnerability.full_clean()
    record_change(vulnerability, user=actor, reason="Vulnerability recorded")
    vulnerability.save()
    return vulnerability


@transaction.atomic
def supplier_contract_add(
    *,
    actor: Any,
    service: LegacyService,
    supplier: str,
    description: str = "",
    ends_on: datetime.date | None = None,
    notice_by: datetime.date | None = None,
) -> SupplierContract:
    contract = SupplierContract(
        service=service, supplier=supplier, description=description, ends_on=ends_on, notice_by=notice_by
    )
    contract.full_clean()
    record_change(contract, user=actor, reason="Contract added")
    contract.save()
    return contract


@transaction.atomic
def criterion_score_set(
    *, actor: Any, service: LegacyService, criterion: str, score: int, reason: str
) -> CriterionScore:
    """A person's score for L3, L4, L5, L7 or impact; L1, L2 and L6 come from the register."""
    if criterion in DERIVED:
        raise ValidationError(f"{criterion} is worked out from the register, not scored by hand")
    highest = MAX_IMPACT if criterion == Criterion.IMPACT else MAX_LIKELIHOOD
    if not 1 <= score <= highest:
        raise ValidationError(f"Enter a score from 1 to {highest}")
    row = CriterionScore.objects.filter(service=service, criterion=criterion).first() or CriterionScore(
        service=service, criterion=criterion
    )
    row.score, row.reason, row.scored_by = score, reason, acting_user(actor)
    row.full_clean(exclude=["scored_by"])  # a scheduled job or the demo scores as nobody
    record_change(row, user=actor, reason=f"{criterion} scored {score}")
    row.save()
    return row


@transaction.atomic
def decision_record(
    *, actor: Any, service: LegacyService, kind: str, rationale: str, approved_by: str, decided_on: datetime.date
) -> Decision:
    decision = Decision(
        service=service,
        kind=kind,
        rationale=rationale,
        approved_by=approved_by,
        decided_on=decided_on,
        recorded_by=acting_user(actor),
    )
    decision.full_clean(exclude=["recorded_by"])
    record_change(decision, user=actor, reason="Decision recorded")
    decision.save()
    return decision


@transaction.atomic
def milestone_add(*, actor: Any, service: LegacyService, title: str, owner: str, due_on: datetime.date) -> Milestone:
    milestone = Milestone(service=service, title=title, owner=owner, due_on=due_on)
    milestone.full_clean()
    record_change(milestone, user=actor, reason="Milestone added")
    milestone.save()
    return milestone


@transaction.atomic
def milestone_complete(*, actor: Any, milestone: Milestone, done_on: datetime.date) -> Milestone:
    milestone.done_on = done_on
    record_change(milestone, user=actor, reason="Milestone done")
    milestone.save()
    return milestone


def _apply(instance, fields: dict[str, Any], *, actor: Any, reason: str, exclude: list[str] | None = None):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=exclude)
    record_change(instance, user=actor, reason=reason)
    instance.save()
    return instance


@transaction.atomic
def legacy_service_update(
    *, actor: Any, service: LegacyService, integrations: list[LegacyService] | None = None, **fields: Any
) -> LegacyService:
    """Change a service's details (and, given `integrations`, which other services it integrates with)."""
    _apply(service, fields, actor=actor, reason="Service changed")
    if integrations is not None:
        legacy_service_integrations_set(service=service, others=integrations)
    return service


@transaction.atomic
def legacy_service_integrations_set(*, service: LegacyService, others: list[LegacyService]) -> None:
    service.integrations.set([other for other in others if other.pk != service.pk])


@transaction.atomic
def software_update(*, actor: Any, software: Software, **fields: Any) -> Software:
    return _apply(software, fields, actor=actor, reason="Software changed")


@transaction.atomic
def vulnerability_update(*, actor: Any, vulnerability: Vulnerability, **fields: Any) -> Vulnerability:
    reason = "Vulnerability fixed" if fields.get("fixed_on") and not vulnerability.fixed_on else "Vulnerability changed"
    return _apply(vulnerability, fields, actor=actor, reason=reason)


@transaction.atomic
def supplier_contract_update(*, actor: Any, contract: SupplierContract, **fields: Any) -> SupplierContract:
    return _apply(contract, fields, actor=actor, reason="Contract changed")


@transaction.atomic
def decision_update(*, actor: Any, decision: Decision, **fields: Any) -> Decision:
    """Change a decision; who first recorded it stays recorded, and the history says who changed it."""
    return _apply(decision, fields, actor=actor, reason="Decision changed", exclude=["recorded_by"])


@transaction.atomic
def milestone_update(*, actor: Any, milestone: Milestone, **fields: Any) -> Milestone:
    """Change a milestone's title, owner or due date; whether it is done is kept."""
    return _apply(milestone, fields, actor=actor, reason="Milestone changed")


# --- Deleting: every row removed is recorded in the history with who removed it and why --------------
#
# Rows a deletion takes with it (a software's vulnerabilities, a service's components, scores,
# decisions and milestones) are deleted one by one first, so each has its own history record with
# the person and the reason, rather than a cascade that records neither outside a request.


def _delete(instance, *, actor: Any, reason: str) -> None:
    record_change(instance, user=actor, reason=reason)
    instance.delete()


def _delete_vulnerabilities_of(software: Software, *, actor: Any, reason: str) -> None:
    for vulnerability in list(Vulnerability.objects.filter(software=software)):
        _delete(vulnerability, actor=actor, reason=reason)


@transaction.atomic
def vulnerability_delete(*, actor: Any, vulnerability: Vulnerability) -> None:
    _delete(vulnerability, actor=actor, reason="Vulnerability deleted")


@transaction.atomic
def software_delete(*, actor: Any, software: Software) -> None:
    """Delete software and the vulnerabilities recorded against it."""
    _delete_vulnerabilities_of(software, actor=actor, reason=f"Deleted with the software {software}")
    _delete(software, actor=actor, reason="Software deleted")


@transaction.atomic
def supplier_contract_delete(*, actor: Any, contract: SupplierContract) -> None:
    _delete(contract, actor=actor, reason="Contract deleted")


@transaction.atomic
def decision_delete(*, actor: Any, decision: Decision) -> None:
    _delete(decision, actor=actor, reason="Decision removed")


@transaction.atomic
def milestone_delete(*, actor: Any, milestone: Milestone) -> None:
    _delete(milestone, actor=actor, reason="Milestone removed")


@transaction.atomic
def legacy_service_delete(*, actor: Any, service: LegacyService) -> None:
    """Delete a service with its components, scores, decisions, milestones and principle assessments.

    Services that integrate with it lose only that integration."""
    reason = f"Deleted with the service {service.name}"
    for software in list(Software.objects.filter(service=service)):
        _delete_vulnerabilities_of(software, actor=actor, reason=reason)
        _delete(software, actor=actor, reason=reason)
    for model in (SupplierContract, CriterionScore, Decision, Milestone, PrincipleAssessment):
        for row in list(model.objects.filter(service=service)):
            _delete(row, actor=actor, reason=reason)
    service.integrations.clear()
    service.integrated_by.clear()
    _delete(service, actor=actor, reason="Service deleted")


@transaction.atomic
def legacy_services_import(*, actor: Any, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Add or update every service in the rows, all or nothing; returns (added, updated).

    A row whose name matches a service in the register (ignoring case) updates it; the others add one.
    Any row the models refuse raises ValidationError and nothing is saved."""
    added = updated = 0
    for row in rows:
        existing = LegacyService.objects.filter(name__iexact=row["name"]).first()
        if existing is None:
            service = LegacyService(**row)
            service.full_clean()
            record_change(service, user=actor, reason="Service imported")
            service.save()
            added += 1
        else:
            changes = {key: value for key, value in row.items() if key != "name"}  # the name is the key
            _apply(existing, changes, actor=actor, reason="Service updated by import")
            updated += 1
    return added, updated


@transaction.atomic
def legacy_register_import(
    *,
    actor: Any,
    services: list[dict[str, Any]],
    software: list[dict[str, Any]] = (),
    contracts: list[dict[str, Any]] = (),
    vulnerabilities: list[dict[str, Any]] = (),
) -> dict[str, tuple[int, int]]:
    """Add or update services, then their software, contracts and vulnerabilities, all or nothing;
    returns (added, updated) for each.

    Components are matched as selectors.matching_* say; those in the register but not in the rows
    are left alone. Each component row names its service ("service") and a vulnerability its
    software ("software", as Software.__str__). Anything that no longer matches, or that the models
    refuse, raises ValidationError and nothing is saved."""
    counts = {"services": legacy_services_import(actor=actor, rows=list(services))}
    register = selectors.register_components()
    counts["software"] = _import_software(actor, register, software)
    counts["contracts"] = _import_contracts(actor, register, contracts)
    counts["vulnerabilities"] = _import_vulnerabilities(actor, register, vulnerabilities)
    return counts


def _service_of(register: selectors.RegisterComponents, name: str) -> LegacyService:
    service = register.services.get(name.strip().lower())
    if service is None:
        raise ValidationError(f"There is no service called {name}")
    return service


def _add_or_update(actor: Any, existing, new, fields: dict[str, Any], candidates: list, what: str) -> tuple[int, int]:
    """Update the matching component, or add `new` (unsaved) to the register; returns (added, updated)."""
    if existing is not None:
        _apply(existing, fields, actor=actor, reason=f"{what} updated by import")
        return 0, 1
    new.full_clean()
    record_change(new, user=actor, reason=f"{what} imported")
    new.save()
    candidates.append(new)  # a later row of the file matches it
    return 1, 0


def _summed(counts) -> tuple[int, int]:
    added_and_updated = list(counts)
    return sum(added for added, _ in added_and_updated), sum(updated for _, updated in added_and_updated)


def _import_software(actor: Any, register: selectors.RegisterComponents, rows) -> tuple[int, int]:
    def one(row) -> tuple[int, int]:
        service = _service_of(register, row["service"])
        fields = {"name": row["name"], "version": row["version"], "support_ends": row["support_ends"]}
        candidates = register.software.setdefault(service.name.lower(), [])
        existing = selectors.matching_software(candidates, row["name"], row["version"])
        return _add_or_update(actor, existing, Software(service=service, **fields), fields, candidates, "Software")

    return _summed(one(row) for row in rows)


def _import_contracts(actor: Any, register: selectors.RegisterComponents, rows) -> tuple[int, int]:
    keys = [
        (row["service"].strip().lower(), selectors.contract_key(row["supplier"], row["description"])) for row in rows
    ]
    counted = Counter(keys)

    def one(row, key) -> tuple[int, int]:
        service = _service_of(register, row["service"])
        fields = {name: row[name] for name in ("supplier", "description", "ends_on", "notice_by")}
        candidates = register.contracts.setdefault(service.name.lower(), [])
        existing = selectors.matching_contract(
            candidates, row["supplier"], row["description"], row["ends_on"], alone=counted[key] == 1
        )
        new = SupplierContract(service=service, **fields)
        return _add_or_update(actor, existing, new, fields, candidates, "Contract")

    return _summed(one(row, key) for row, key in zip(rows, keys, strict=True))


def _import_vulnerabilities(actor: Any, register: selectors.RegisterComponents, rows) -> tuple[int, int]:
    def one(row) -> tuple[int, int]:
        service = _service_of(register, row["service"])
        found = selectors.software_labelled(register.software.get(service.name.lower(), []), row["software"])
        if len(found) != 1:
            raise ValidationError(f"{service.name} has no one software called {row['software']}")
        software = found[0]
        fields = {name: row[name] for name in ("reference", "severity", "fixed_on")}
        candidates = register.vulnerabilities.setdefault(software.pk, [])
        existing = selectors.matching_vulnerability(candidates, row["reference"])
        new = Vulnerability(software=software, **fields)
        return _add_or_update(actor, existing, new, fields, candidates, "Vulnerability")

    return _summed(one(row) for row in rows)


@transaction.atomic
def principles_load(*, label: str, published_on: datetime.date, principles: list[dict[str, Any]]) -> tuple[Any, bool]:
    """Add a version of the principles and standards if its label is new; returns (version, created).

    Earlier versions and the assessments made against them are kept."""
    existing = PrinciplesVersion.objects.filter(label=label).first()
    if existing is not None:
        return existing, False
    version = PrinciplesVersion.objects.create(label=label, published_on=published_on)
    keys = set()
    for position, item in enumerate(principles, start=1):
        principle = Principle(
            version=version,
            key=item["key"],
            kind=item["kind"],
            title=item["title"],
            description=item["description"],
            source=item.get("source", ""),
            position=position,
        )
        if principle.key in keys:
            raise ValidationError(f"The key {principle.key} is used twice")
        keys.add(principle.key)
        principle.full_clean(exclude=["version"])
        principle.save()
    return version, True


@transaction.atomic
def principle_assess(
    *, actor: Any, service: LegacyService, principle: Principle, outcome: str, evidence: str
) -> PrincipleAssessment:
    row = PrincipleAssessment.objects.filter(service=service, principle=principle).first() or PrincipleAssessment(
        service=service, principle=principle
    )
    row.outcome, row.evidence, row.assessed_by = outcome, evidence, acting_user(actor)
    row.full_clean(exclude=["assessed_by"])
    record_change(row, user=actor, reason=f"Assessed against {principle.key}"[:100])
    row.save()
    return row
