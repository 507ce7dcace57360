"""Peer support fixtures: a helping school that meets broadband's full fibre requirement and offers help
with it, an asking school 2 km away that does not meet it, and their people."""

import pytest
from django.test import Client
from django.utils import timezone

from schooltech.accounts.models import Role
from schooltech.peer import services
from schooltech.standards import selectors as standards_selectors
from schooltech.standards import services as standards_services
from schooltech.standards.models import Assessment
from tests.factories import AcademyFactory, EstablishmentFactory, TrustFactory, UserFactory, make_membership

STANDARD = "broadband"
REQUIREMENT = "full_fibre"


def assess(school, standard_key: str, statuses: dict[str, str]) -> Assessment:
    """A submitted assessment of one standard with these requirement results (the others not assessed)."""
    standard = standards_selectors.current_standard(key=standard_key)
    return Assessment.objects.create(
        establishment=school,
        standard=standard,
        standard_key=standard_key,
        state=Assessment.State.SUBMITTED,
        phase_group="secondary",
        results=[
            {"requirement": key, "status": status, "reasons": [], "unknowns": []} for key, status in statuses.items()
        ],
        overall_status="partly",
        submitted_at=timezone.now(),
    )


@pytest.fixture
def catalogue(db):
    version, _ = standards_services.catalogue_load()
    return version


@pytest.fixture
def trust(db):
    return TrustFactory(uid="PEER1", name="Peer Trust")


@pytest.fixture
def helper_school(catalogue, trust):
    school = AcademyFactory(
        urn="610001",
        name="Helping Academy",
        trust=trust,
        ofsted_phase="Secondary",
        region="London",
        easting=530000,
        northing=180000,
        number_of_pupils=900,
        town="Camden",
    )
    assess(school, STANDARD, {REQUIREMENT: "meets", "speed": "meets", "backup_connection": "does_not_meet"})
    return school


@pytest.fixture
def asker_school(catalogue):
    school = EstablishmentFactory(
        urn="610002",
        name="Asking School",
        ofsted_phase="Secondary",
        region="London",
        easting=531200,
        northing=181600,
        number_of_pupils=1000,
    )
    assess(school, STANDARD, {REQUIREMENT: "does_not_meet", "speed": "partly", "backup_connection": "meets"})
    return school


@pytest.fixture
def far_school(catalogue):
    school = EstablishmentFactory(
        urn="610003",
        name="Faraway School",
        ofsted_phase="Secondary",
        region="North West",
        easting=380000,
        northing=400000,
        number_of_pupils=800,
    )
    assess(school, STANDARD, {REQUIREMENT: "meets"})
    return school


def person(email, organisation, role):
    user = UserFactory(email=email, first_name=email.split("@")[0].capitalize(), last_name="Person")
    make_membership(user, organisation, role)
    return user


@pytest.fixture
def helper_approver(helper_school):
    return person("hana@helping.example", helper_school, Role.APPROVER)


@pytest.fixture
def helper_editor(helper_school):
    return person("eddie@helping.example", helper_school, Role.EDITOR)


@pytest.fixture
def helper_viewer(helper_school):
    return person("vic@helping.example", helper_school, Role.VIEWER)


@pytest.fixture
def asker_editor(asker_school):
    return person("ada@asking.example", asker_school, Role.EDITOR)


@pytest.fixture
def asker_viewer(asker_school):
    return person("val@asking.example", asker_school, Role.VIEWER)


@pytest.fixture
def trust_approver(trust):
    return person("tara@trust.example", trust, Role.APPROVER)


@pytest.fixture
def offer(helper_school, helper_approver):
    return services.offer_save(
        establishment=helper_school,
        user=helper_approver,
        topics=[(STANDARD, REQUIREMENT)],
        requests_per_term=2,
        phase="any",
        note="We moved to full fibre in 2025 and can share our procurement notes.",
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def help_request(offer, asker_school, asker_editor):
    return services.help_request_send(
        asker=asker_school,
        helper_urn="610001",
        standard_key=STANDARD,
        requirement_key=REQUIREMENT,
        message="We still have copper: how did you move to fibre?",
        user=asker_editor,
    )
