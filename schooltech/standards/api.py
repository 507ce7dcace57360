"""JSON API for the standards: a school's latest results and its recommendations.

Scoped by the same policy as the pages: each operation is declared with `policy.requires`.
"""

from __future__ import annotations

import datetime
import inspect

from django.http import HttpRequest, HttpResponseNotAllowed
from ninja import Router, Schema

from schooltech.accounts import policy
from schooltech.organisations.models import Establishment
from schooltech.standards import selectors
from schooltech.standards.models import Recommendation, Status

router = Router(tags=["Standards"])


def school_operation(action: str):
    """policy.requires(action, establishment="urn") for a django-ninja operation.

    The policy hands the view the Establishment instead of the URN, so the signature django-ninja
    reads (for the path parameter) is set to take `urn`.
    """

    def decorator(view):
        wrapped = policy.requires(action, establishment="urn")(view)
        wrapped.__signature__ = inspect.Signature(
            [
                inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
                inspect.Parameter("urn", inspect.Parameter.KEYWORD_ONLY, annotation=str),
            ]
        )
        return wrapped

    return decorator


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


@router.get("/schools/{urn}/standards", response=SchoolResultsOut, summary="A school's latest standards results")
@school_operation("view")
def school_results(request: HttpRequest, establishment: Establishment):
    return SchoolResultsOut(
        urn=establishment.urn,
        name=establishment.name,
        standards=[_standard_result(establishment, s) for s in selectors.current_standards()],
    )


@router.get(
    "/schools/{urn}/standards/recommendations",
    response=list[RecommendationOut],
    summary="A school's current recommendations and their progress",
)
@school_operation("view")
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


def _read_only(path: str) -> None:
    """Other methods on a read-only route: checked by the policy first (403 for other schools), then 405."""

    @school_operation("view")
    def refuse(request: HttpRequest, establishment: Establishment):
        return HttpResponseNotAllowed(["GET"])

    refuse.__name__ = refuse.__qualname__ = (
        f"refuse_writes_{path.strip('/').replace('/', '_').replace('{', '').replace('}', '')}"
    )
    router.api_operation(["POST", "PUT", "PATCH", "DELETE"], path, include_in_schema=False)(refuse)


for _path in ("/schools/{urn}/standards", "/schools/{urn}/standards/recommendations"):
    _read_only(_path)
