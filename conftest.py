"""Fixtures shared by every app's tests: one primary school and its people.

An app's own conftest.py may define a fixture of the same name for a school of its own
(standards and notifications do); the nearer one wins.
"""

import os

import pytest
from hypothesis import settings

from schooltech.accounts.models import Role
from schooltech.insights.views import forget_area_pages
from schooltech.planning.selectors import forget_organisation_figures
from schooltech.standards.kept import forget as forget_catalogue
from tests.factories import EstablishmentFactory, UserFactory, make_membership

# Property-based tests stay quick: 50 examples each, no per-example deadline (the machine is shared).
# `make test` and CI draw the same examples every run (derandomize), so a green run stays green on a
# clean clone; HYPOTHESIS_PROFILE=explore draws new ones each run (and more of them) to look for bugs.
settings.register_profile("schooltech", max_examples=50, deadline=None, derandomize=True)
settings.register_profile("explore", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "schooltech"))


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():
    """Each test's database starts again (SQLite reuses ids) and some freeze the clock, so the trust
    plan's kept figures, a kept national picture page or the kept catalogue could match another
    test's; a running service never rolls back."""
    forget_organisation_figures()
    forget_area_pages()
    forget_catalogue()


@pytest.fixture
def school(db):
    return EstablishmentFactory(
        name="Hilltop Primary School", phase_code="2", phase_name="Primary", number_of_pupils=300
    )


@pytest.fixture
def other_school(db):
    return EstablishmentFactory(name="Other Secondary School")


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
