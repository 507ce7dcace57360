import pytest
from django.contrib.auth.models import AnonymousUser

from schooltech.core.history import record_change
from schooltech.organisations.models import Establishment
from schooltech.standards.models import Recommendation


@pytest.mark.django_db
def test_the_history_row_names_the_person_and_the_reason(django_user_model):
    person = django_user_model.objects.create_user("editor", "editor@example.com")
    school = Establishment.objects.create(urn="123456", name="Test School")
    recommendation = Recommendation(
        establishment=school, standard_key="broadband", requirement_key="r1", kind="action", title="Do it"
    )
    record_change(recommendation, user=person, reason="Recommended by a self-assessment")
    recommendation.save()
    row = recommendation.history.get()
    assert row.history_user == person
    assert row.history_change_reason == "Recommended by a self-assessment"


@pytest.mark.django_db
def test_anonymous_users_and_jobs_are_recorded_as_nobody():
    school = Establishment.objects.create(urn="123457", name="Test School")
    recommendation = Recommendation(
        establishment=school, standard_key="broadband", requirement_key="r1", kind="action", title="Do it"
    )
    record_change(recommendation, user=AnonymousUser(), reason="Job")
    recommendation.save()
    assert recommendation.history.get().history_user is None


@pytest.mark.django_db
def test_a_reason_longer_than_the_history_column_is_shortened_not_refused():
    """PostgreSQL refuses a value longer than a varchar column, SQLite keeps it: shorten for both."""
    school = Establishment.objects.create(urn="123458", name="Test School")
    recommendation = Recommendation(
        establishment=school, standard_key="broadband", requirement_key="r1", kind="action", title="Do it"
    )
    record_change(recommendation, user=None, reason="Status: Deferred (" + "waiting for the budget " * 40 + ")")
    recommendation.save()
    reason = recommendation.history.get().history_change_reason
    assert len(reason) == 100 and reason.startswith("Status: Deferred (waiting") and reason.endswith("…")
