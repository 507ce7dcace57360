import pytest

from schooltech.accounts.models import Role
from schooltech.accounts.tests.factories import EstablishmentFactory, UserFactory, make_membership


@pytest.fixture
def school(db):
    return EstablishmentFactory(name="Hilltop Primary School", number_of_pupils=300, phase_name="Primary")


@pytest.fixture
def other_school(db):
    return EstablishmentFactory(name="Other Secondary School")


@pytest.fixture
def editor(school):
    user = UserFactory(email="editor@hilltop.example")
    make_membership(user, school, Role.EDITOR)
    return user


@pytest.fixture
def viewer(school):
    user = UserFactory(email="viewer@hilltop.example")
    make_membership(user, school, Role.VIEWER)
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client
