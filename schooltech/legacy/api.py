"""JSON API for the department's legacy technology register: read the services, their scores and the
decisions taken. Read only, and for department roles only (`policy.requires_department`), which the
API's authentication checks before anything else (api/auth.py), as it checks the pages' rules.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from schooltech.accounts import policy
from schooltech.api.errors import COMMON_ERRORS, QUERY_ERRORS, MethodNotAllowed
from schooltech.legacy import selectors
from schooltech.legacy.models import Directorate
from schooltech.legacy.selectors import ServiceRisk

router = Router(tags=["The department's legacy technology"])
BASE = "/department/legacy-technology"


class LegacyCriterionOut(Schema):
    criterion: str
    label: str
    score: int | None
    derived: bool
    evidence: str


class LegacyServiceOut(Schema):
    id: int
    name: str
    purpose: str
    directorate: str
    directorate_label: str
    owner: str
    users: str
    transactions_per_year: int | None
    supports: str
    value: int
    value_label: str
    annual_cost: Decimal | None
    hosting: str
    integrations: list[str]
    is_example: bool
    likelihood: int | None
    impact: int | None
    score: int | None
    rating: str
    criteria: list[LegacyCriterionOut]


class LegacySoftwareOut(Schema):
    name: str
    version: str
    support_ends: datetime.date | None
    vulnerabilities: list[dict]


class LegacyContractOut(Schema):
    supplier: str
    description: str
    ends_on: datetime.date | None
    notice_by: datetime.date | None


class LegacyDecisionOut(Schema):
    service_id: int
    service: str
    kind: str
    kind_label: str
    rationale: str
    approved_by: str
    decided_on: datetime.date


class LegacyMilestoneOut(Schema):
    title: str
    owner: str
    due_on: datetime.date
    done_on: datetime.date | None
    overdue: bool


class LegacyScoreHistoryOut(Schema):
    criterion: str
    score: int
    reason: str
    scored_at: datetime.datetime
    by: str


class LegacyServiceDetailOut(LegacyServiceOut):
    software: list[LegacySoftwareOut]
    contracts: list[LegacyContractOut]
    decisions: list[LegacyDecisionOut]
    milestones: list[LegacyMilestoneOut]
    score_history: list[LegacyScoreHistoryOut]


def _service(risk: ServiceRisk) -> dict:
    service = risk.service
    return {
        "id": service.pk,
        "name": service.name,
        "purpose": service.purpose,
        "directorate": service.directorate,
        "directorate_label": service.get_directorate_display(),
        "owner": service.owner,
        "users": service.users,
        "transactions_per_year": service.transactions_per_year,
        "supports": service.supports,
        "value": service.value,
        "value_label": service.get_value_display().split(":")[0],
        "annual_cost": service.annual_cost,
        "hosting": service.hosting,
        "integrations": [other.name for other in service.integrations.all()],
        "is_example": service.is_example,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "score": risk.score,
        "rating": risk.rating,
        "criteria": [
            {
                "criterion": result.criterion,
                "label": result.label,
                "score": result.score,
                "derived": result.derived,
                "evidence": result.evidence,
            }
            for result in risk.criteria
        ],
    }


def _decision(decision) -> dict:
    return {
        "service_id": decision.service_id,
        "service": decision.service.name,
        "kind": decision.kind,
        "kind_label": decision.get_kind_display(),
        "rationale": decision.rationale,
        "approved_by": decision.approved_by,
        "decided_on": decision.decided_on,
    }


@router.get(
    f"{BASE}/services", response={200: list[LegacyServiceOut], **QUERY_ERRORS, **COMMON_ERRORS}, summary="The register"
)
@policy.requires_department("view_legacy")
def legacy_services(request, directorate: str = "", rating: str = ""):
    """Every service with its legacy risk (the seven CDDO criteria, impact, score out of 30 and rating).
    Filter by `directorate` (its code) or `rating` (red, amber, green, not scored)."""
    if directorate and directorate not in Directorate.values:
        raise HttpError(422, "Unknown directorate")
    risks = selectors.register(today=timezone.localdate(), directorate=directorate, rating=rating)
    return [_service(risk) for risk in risks]


@router.get(
    f"{BASE}/services/{{service_id}}",
    response={200: LegacyServiceDetailOut, **QUERY_ERRORS, **COMMON_ERRORS},  # 422: an id that is not a number
    summary="A service",
)
@policy.requires_department("view_legacy")
def legacy_service(request, service_id: int):
    """One service with its components, scores (and every score given), decisions and milestones."""
    found = selectors.service_detail(service_id) if 0 < service_id < 2**63 else None
    if found is None:
        raise HttpError(404, "No such service")
    today = timezone.localdate()
    detail = _service(selectors.risk_of(found, today=today))
    detail["software"] = [
        {
            "name": software.name,
            "version": software.version,
            "support_ends": software.support_ends,
            "vulnerabilities": [
                {"reference": v.reference, "severity": v.severity, "fixed_on": v.fixed_on and v.fixed_on.isoformat()}
                for v in software.vulnerabilities.all()
            ],
        }
        for software in found.software.all()
    ]
    detail["contracts"] = [
        {"supplier": c.supplier, "description": c.description, "ends_on": c.ends_on, "notice_by": c.notice_by}
        for c in found.contracts.all()
    ]
    detail["decisions"] = [_decision(decision) for decision in selectors.decisions_of(found)]
    detail["milestones"] = [
        {
            "title": m.title,
            "owner": m.owner,
            "due_on": m.due_on,
            "done_on": m.done_on,
            "overdue": m.done_on is None and m.due_on < today,
        }
        for m in selectors.milestones_of(found)
    ]
    detail["score_history"] = [
        {
            "criterion": record.criterion,
            "score": record.score,
            "reason": record.reason,
            "scored_at": record.history_date,
            "by": (record.history_user.get_full_name() or record.history_user.email) if record.history_user else "",
        }
        for record in selectors.score_history(found)
    ]
    return detail


@router.get(f"{BASE}/decisions", response={200: list[LegacyDecisionOut], **COMMON_ERRORS}, summary="Decisions")
@policy.requires_department("view_legacy")
def legacy_decisions(request):
    """Every decision recorded, newest first."""
    return [_decision(decision) for decision in selectors.all_decisions()]


@router.api_operation(["POST", "PUT", "PATCH", "DELETE", "OPTIONS"], f"{BASE}/services", include_in_schema=False)
@policy.requires_department("view_legacy")
def refuse_legacy_services(request):
    raise MethodNotAllowed(["GET"])


@router.api_operation(
    ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"], f"{BASE}/services/{{service_id}}", include_in_schema=False
)
@policy.requires_department("view_legacy")
def refuse_legacy_service(request, service_id: int):
    raise MethodNotAllowed(["GET"])


@router.api_operation(["POST", "PUT", "PATCH", "DELETE", "OPTIONS"], f"{BASE}/decisions", include_in_schema=False)
@policy.requires_department("view_legacy")
def refuse_legacy_decisions(request):
    raise MethodNotAllowed(["GET"])
