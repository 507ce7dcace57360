"""Fixtures for reminder tests: one school with its people, and a person elsewhere who must never
hear about it. Imported by the conftest of each app's reminder tests (notifications, accounts,
estate, planning and standards), so they all describe the same school and people."""

import datetime

import pytest
from django.utils import timezone

from schooltech.notifications import services
from schooltech.notifications.models import OutboxMessage
from tests.factories import EstablishmentFactory, UserFactory, make_membership

# Reminders: one school with its people, and a person elsewhere who must never hear about it.

REMINDER_TODAY = datetime.date(2027, 3, 1)  # a Monday, the digest day


@pytest.fixture
def today() -> datetime.date:
    return REMINDER_TODAY


@pytest.fixture
def now(today) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(7, 0)))


@pytest.fixture
def school(db):
    return EstablishmentFactory(name="Oak Primary School", urn="800001")


@pytest.fixture
def other_school(db):
    return EstablishmentFactory(name="Elm Secondary School", urn="800002")


def _member(email, organisation, role):
    user = UserFactory(username=email.split("@")[0], email=email, first_name="Pat", last_name=email.split("@")[0])
    make_membership(user, organisation, role)
    return user


@pytest.fixture
def editor(school):
    return _member("editor@oak.example", school, "editor")


@pytest.fixture
def approver(school):
    return _member("head@oak.example", school, "approver")


@pytest.fixture
def viewer(school):
    return _member("governor@oak.example", school, "viewer")


@pytest.fixture
def outsider(other_school):
    """An editor of another school: reaches nothing at Oak."""
    return _member("it@elm.example", other_school, "editor")


@pytest.fixture
def member():
    return _member


@pytest.fixture
def prefer():
    def prefer(user, **choices):
        services.preferences_update(user=user, choices=choices)

    return prefer


@pytest.fixture
def sent_to():
    """The outbox's recipients for one template, sorted."""

    def sent_to(template_key):
        return sorted(OutboxMessage.objects.filter(template_key=template_key).values_list("to_email", flat=True))

    return sent_to
