"""Rows owned by another organisation, for the isolation test (docs/architecture-accounts.md)."""

from schooltech.organisations.models import Establishment, Group
from schooltech.standards import selectors, services
from schooltech.standards.models import Assessment, Recommendation, SharedAssessment, Status
from tests.factories import AcademyFactory, EstablishmentFactory, TrustFactory


def _establishment(organisation) -> Establishment:
    if isinstance(organisation, Establishment):
        return organisation
    if isinstance(organisation, Group):
        return AcademyFactory(trust=organisation, local_authority=None)
    return EstablishmentFactory(local_authority=organisation)


def _assessment(organisation) -> Assessment:
    services.catalogue_load()
    standard = selectors.current_standard(key="broadband")
    return Assessment.objects.create(
        establishment=_establishment(organisation),
        standard=standard,
        standard_key=standard.key,
        state=Assessment.State.SUBMITTED,
        phase_group="primary",
        answers={"technology": "copper"},
        results=[{"requirement": "full_fibre", "status": Status.DOES_NOT_MEET, "reasons": ["SECRET"], "unknowns": []}],
        overall_status=Status.DOES_NOT_MEET,
    )


def _recommendation(organisation) -> Recommendation:
    return Recommendation.objects.create(
        establishment=_establishment(organisation),
        standard_key="broadband",
        requirement_key="full_fibre",
        kind=Recommendation.Kind.ACTION,
        title="Use a full-fibre connection",
        detail="Another organisation's recommendation",
    )


def _shared_assessment(organisation) -> SharedAssessment:
    """A trust's answers given together (a trust of its own for an organisation that is not one)."""
    services.catalogue_load()
    trust = organisation if isinstance(organisation, Group) else TrustFactory()
    standard = selectors.current_standard(key="broadband")
    shared = SharedAssessment.objects.create(
        trust=trust, standard=standard, standard_key=standard.key, answers={"technology": "copper"}
    )
    shared.establishments.set([_establishment(trust)])
    return shared


FACTORIES = {Assessment: _assessment, Recommendation: _recommendation, SharedAssessment: _shared_assessment}
