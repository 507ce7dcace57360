"""The reach rule: which establishments each kind of organisation looks after."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schooltech.organisations.models import Establishment
from schooltech.organisations.reference import DEPARTMENT
from schooltech.organisations.selectors import establishments_looked_after, looked_after_by, looks_after
from tests.factories import AcademyFactory, EstablishmentFactory, LocalAuthorityFactory, TrustFactory

pytestmark = pytest.mark.django_db

CLOSED = Establishment.Status.CLOSED


def special_school(type_code: str, type_name: str, **fields) -> Establishment:
    return EstablishmentFactory(
        type_code=type_code, type_name=type_name, type_group_code="5", type_group_name="Special schools", **fields
    )


def looked_after(organisation, **options) -> set[Establishment]:
    return set(establishments_looked_after(organisation=organisation, **options))


def test_a_school_looks_after_itself_only():
    school, other = EstablishmentFactory(), EstablishmentFactory()
    assert looked_after(school) == {school}
    assert looks_after(school, school) and not looks_after(school, other)


def test_a_trust_looks_after_its_academies_and_no_other():
    trust = TrustFactory()
    academies = {AcademyFactory(trust=trust), AcademyFactory(trust=trust)}
    AcademyFactory()
    AcademyFactory()
    assert looked_after(trust) == academies


def test_a_local_authority_looks_after_its_maintained_schools_not_the_academies_in_its_area():
    camden, islington = LocalAuthorityFactory(), LocalAuthorityFactory()
    maintained = EstablishmentFactory(local_authority=camden)
    AcademyFactory(local_authority=camden)
    EstablishmentFactory(local_authority=islington)
    assert looked_after(camden) == {maintained}


def test_a_local_authority_looks_after_its_community_and_foundation_special_schools_only():
    camden = LocalAuthorityFactory()
    community = special_school("7", "Community special school", local_authority=camden)
    foundation = special_school("12", "Foundation special school", local_authority=camden)
    special_school("8", "Non-maintained special school", local_authority=camden)
    special_school("10", "Other independent special school", local_authority=camden)
    assert looked_after(camden) == {community, foundation}


def test_the_department_looks_after_every_open_establishment():
    open_ones = {EstablishmentFactory(), AcademyFactory(), EstablishmentFactory(local_authority=None)}
    EstablishmentFactory(status=CLOSED)
    assert looked_after(DEPARTMENT) == open_ones


def test_closed_establishments_count_only_when_asked_for():
    trust, camden = TrustFactory(), LocalAuthorityFactory()
    open_academy, closed_academy = AcademyFactory(trust=trust), AcademyFactory(trust=trust, status=CLOSED)
    closing = EstablishmentFactory(local_authority=camden, status=Establishment.Status.OPEN_PROPOSED_TO_CLOSE)
    closed_school = EstablishmentFactory(local_authority=camden, status=CLOSED)
    assert looked_after(trust) == {open_academy}
    assert looked_after(trust, include_closed=True) == {open_academy, closed_academy}
    assert looked_after(camden) == {closing}
    assert looked_after(camden, include_closed=True) == {closing, closed_school}
    assert looked_after(closed_school) == set()
    assert looked_after(closed_school, include_closed=True) == {closed_school}


def test_the_database_and_in_memory_forms_of_the_rule_agree():
    trust, camden = TrustFactory(), LocalAuthorityFactory()
    establishments = [
        EstablishmentFactory(local_authority=camden),
        EstablishmentFactory(local_authority=camden, status=CLOSED),
        AcademyFactory(local_authority=camden, trust=trust),
        AcademyFactory(),
        special_school("7", "Community special school", local_authority=camden),
        special_school("8", "Non-maintained special school", local_authority=camden),
        EstablishmentFactory(local_authority=None),
    ]
    organisations = [trust, camden, LocalAuthorityFactory(), DEPARTMENT, *establishments[:2]]
    for organisation, establishment in itertools.product(organisations, establishments):
        in_database = Establishment.objects.filter(looked_after_by(organisation), pk=establishment.pk).exists()
        assert looks_after(organisation, establishment) == in_database, (organisation, establishment)


def test_the_rule_is_one_query_without_joins_and_works_as_a_subquery():
    trust = TrustFactory()
    academies = {AcademyFactory(trust=trust), AcademyFactory(trust=trust)}
    with CaptureQueriesContext(connection) as queries:
        found = set(Establishment.objects.filter(pk__in=establishments_looked_after(organisation=trust)))
    assert found == academies
    assert len(queries) == 1
    assert "JOIN" not in queries[0]["sql"].upper()


def test_anything_else_is_not_an_organisation():
    with pytest.raises(TypeError):
        looked_after_by("trust-1")
    with pytest.raises(TypeError):
        looks_after(object(), EstablishmentFactory())
