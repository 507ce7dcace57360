import pytest

from schooltech.accounts.models import Role
from schooltech.standards import register_facts, services
from tests.factories import (
    AcademyFactory,
    EstablishmentFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)


@pytest.fixture
def catalogue(db):
    version, _ = services.catalogue_load()
    return version


@pytest.fixture
def primary(db):
    return EstablishmentFactory(urn="700001", name="Oak Primary School", phase_code="2", phase_name="Primary")


@pytest.fixture
def secondary(db):
    return EstablishmentFactory(urn="700002", name="Ash Secondary School", phase_code="4", phase_name="Secondary")


@pytest.fixture
def editor(primary):
    user = UserFactory(email="editor@oak.example", first_name="Erin", last_name="Editor")
    make_membership(user, primary, Role.EDITOR)
    return user


@pytest.fixture
def viewer(primary):
    user = UserFactory(email="viewer@oak.example")
    make_membership(user, primary, Role.VIEWER)
    return user


@pytest.fixture
def trust_with_schools(db):
    trust = TrustFactory(uid="TST01", name="Test Learning Trust")
    schools = [
        AcademyFactory(urn=f"71{n:04d}", name=f"Academy {n:02d}", trust=trust, phase_code="4") for n in range(12)
    ]
    return trust, schools


@pytest.fixture
def trust(trust_with_schools):
    return trust_with_schools[0]


@pytest.fixture
def director(trust):
    """An approver of the trust: may answer a standard together for its schools."""
    user = UserFactory(email="director@trust.example", first_name="Grace", last_name="Director")
    make_membership(user, trust, Role.APPROVER)
    return user


@pytest.fixture
def director_client(client, director):
    client.force_login(director)
    return client


@pytest.fixture
def fake_registers():
    """Register a fake facts provider for one test: `fake_registers.facts[urn] = {key: RegisterFact}`."""

    class FakeRegisters:
        def __init__(self):
            self.facts: dict[str, dict] = {}

        def __call__(self, establishment):
            return dict(self.facts.get(establishment.urn, {}))

    provider = FakeRegisters()
    register_facts.register_provider(provider)
    yield provider
    register_facts.unregister_provider(provider)
