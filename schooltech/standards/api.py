"""JSON API for the standards: a school's latest results and its recommendations.

Scoped by the same policy as the pages: each operation is declared with `operation(...)`.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from schooltech.api.errors import COMMON_ERRORS
from schooltech.api.operations import operation, refuse_other_methods
from schooltech.organisations.models import Establishment
from schooltech.standards import selectors
from schooltech.standards.models import Recommendation, Status

router = Router(tags=["Standards"])


class RequirementResultOut(Schema):
    key: str
    title: str
    status: str
    reasons: list[str]
    not_known: list[str]


class StandardResultOut(Schema):
    key: str
    title: str
    core: bool
    status: str
    assessed_at: datetime.datetime | None
    catalogue_version: str | None
    requirements: list[RequirementResultOut]


class SchoolResultsOut(Schema):
    urn: str
    name: str
    standards: list[StandardResultOut]


class RecommendationOut(Schema):
    id: int
    standard: str
    requirement: str
    kind: str
    title: str
    detail: str
    who: str
    progress: str
    notes: str
    updated_at: datetime.datetime


def _standard_result(establishment: Establishment, standard) -> StandardResultOut:
    latest = selectors.latest_submitted(establishment=establishment, standard_key=standard.key)
    if latest is None:
        return StandardResultOut(
            key=standard.key,
            title=standard.title,
            core=standard.is_core,
            status=Status.NOT_ASSESSED,
            assessed_at=None,
            catalogue_version=None,
            requirements=[],
        )
    titles = {r.key: r.title for r in latest.standard.requirements.all()}
    return StandardResultOut(
        key=standard.key,
        title=standard.title,
        core=standard.is_core,
        status=latest.overall_status,
        assessed_at=latest.submitted_at,
        catalogue_version=latest.standard.version.label,
        requirements=[
            RequirementResultOut(
                key=item["requirement"],
                title=titles.get(item["requirement"], item["requirement"]),
                status=item["status"],
                reasons=item["reasons"],
                not_known=item["unknowns"],
            )
            for item in latest.results
        ],
    )


@router.get(
    "/schools/{urn}/standards",
    response={200: SchoolResultsOut, **COMMON_ERRORS},
    summary="A school's latest standards results",
)
@operation("view", establishment="urn")
def school_results(request: HttpRequest, establishment: Establishment):
    return SchoolResultsOut(
        urn=establishment.urn,
        name=establishment.name,
        standards=[_standard_result(establishment, s) for s in selectors.current_standards()],
    )


@router.get(
    "/schools/{urn}/standards/recommendations",
    response={200: list[RecommendationOut], **COMMON_ERRORS},
    summary="A school's current recommendations and their progress",
)
@operation("view", establishment="urn")
def school_recommendations(request: HttpRequest, establishment: Establishment):
    rows: list[Recommendation] = list(selectors.recommendations_for(establishment=establishment))
    return [
        RecommendationOut(
            id=r.pk,
            standard=r.standard_key,
            requirement=r.requirement_key,
            kind=r.kind,
            title=r.title,
            detail=r.detail,
            who=r.who,
            progress=r.progress,
            notes=r.notes,
            updated_at=r.updated_at,
        )
        for r in rows
    ]


for _path in ("/schools/{urn}/standards", "/schools/{urn}/standards/recommendations"):
    refuse_other_methods(router, _path, allowed=["GET"], establishment="urn")
