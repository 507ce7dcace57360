import pytest
from django.core.management import call_command

from schooltech.accounts.models import Role
from schooltech.accounts.tests.factories import EstablishmentFactory, UserFactory, make_membership


@pytest.fixture
def reference_data(db):
    call_command("load_planning_data", stdout=None)
    call_command("load_standards", stdout=None)


@pytest.fixture
def school(db):
    return EstablishmentFactory(
        name="Hilltop Primary School", phase_code="2", phase_name="Primary", number_of_pupils=300
    )


@pytest.fixture
def editor(school):
    user = UserFactory(email="editor@hilltop.example", first_name="Erin", last_name="Editor")
    make_membership(user, school, Role.EDITOR)
    return user


@pytest.fixture
def approver(school):
    user = UserFactory(email="head@hilltop.example", first_name="Hana", last_name="Head")
    make_membership(user, school, Role.APPROVER)
    return user


@pytest.fixture
def viewer(school):
    user = UserFactory(email="governor@hilltop.example")
    make_membership(user, school, Role.VIEWER)
    return user
