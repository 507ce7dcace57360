"""Trust and local authority pages read their schools in a fixed number of queries, whatever the
number of schools or of their registers' rows and plan actions."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schooltech.accounts.models import Role
from schooltech.organisations.reference import OrganisationRef
from schooltech.planning import services as planning_services
from tests.factories import (
    AcademyFactory,
    AssetFactory,
    ContractFactory,
    EstablishmentFactory,
    LocalAuthorityFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)

pytestmark = pytest.mark.django_db
MOST_QUERIES = 10  # 7 or 8 today: session, user, memberships, the organisation, its schools, one a summary
TODAY = datetime.date(2026, 5, 11)


@pytest.fixture
def reference_data(db):
    call_command("load_planning_data", stdout=None)
    call_command("load_standards", stdout=None)


def _fill_registers_and_plans(schools) -> None:
    for index, school in enumerate(schools):
        AssetFactory.create_batch(3, establishment=school, operating_system="Windows 10 Pro", os_version="22H2")
        AssetFactory(establishment=school, support_end=None)
        ContractFactory(establishment=school, title="Broadband", end_date=datetime.date(2027, 1 + index % 12, 1))
    planning_services.plans_generate(establishments=schools, today=TODAY)


def _pages(organisation) -> list[str]:
    ref = OrganisationRef.for_organisation(organisation).slug
    return [f"/plans/{ref}", f"/estate/{ref}/schools", f"/organisations/{ref}/standards"]


def _queries_for_each_page(client, organisation) -> dict[str, int]:
    counts = {}
    for path in _pages(organisation):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path.replace(OrganisationRef.for_organisation(organisation).slug, "…")] = len(queries)
    return counts


def test_trust_pages_take_as_many_queries_for_sixteen_schools_as_for_two(client, reference_data):
    small, large = TrustFactory(), TrustFactory()
    _fill_registers_and_plans(AcademyFactory.create_batch(2, trust=small))
    _fill_registers_and_plans(AcademyFactory.create_batch(16, trust=large))
    director = UserFactory()
    make_membership(director, small, Role.VIEWER)
    make_membership(director, large, Role.VIEWER)
    client.force_login(director)
    for_two = _queries_for_each_page(client, small)
    for_sixteen = _queries_for_each_page(client, large)
    assert for_sixteen == for_two
    assert max(for_sixteen.values()) <= MOST_QUERIES


def test_local_authority_pages_stay_within_the_same_queries(client, reference_data, django_assert_max_num_queries):
    borough = LocalAuthorityFactory(code="777")
    _fill_registers_and_plans(EstablishmentFactory.create_batch(16, local_authority=borough))
    officer = UserFactory()
    make_membership(officer, borough, Role.VIEWER)
    client.force_login(officer)
    for path in _pages(borough):
        with django_assert_max_num_queries(MOST_QUERIES):
            assert client.get(path).status_code == 200
