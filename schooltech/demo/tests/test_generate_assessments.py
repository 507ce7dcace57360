"""The demonstration assessments: deterministic, idempotent, and enough to fill the trust matrix."""

import pytest
from django.core.management import CommandError, call_command

from schooltech.demo import people as demo
from schooltech.standards.models import Assessment
from tests.factories import AcademyFactory, TrustFactory

pytestmark = pytest.mark.django_db
SCHOOLS = 4  # the demo trust has 12; 4 keep the test quick


@pytest.fixture
def demo_trust(db):
    trust = TrustFactory(uid=demo.DEMO_TRUST_UID, name=demo.DEMO_TRUST_NAME)
    return [AcademyFactory(urn=f"1{n:05d}", trust=trust, phase_code="4") for n in range(SCHOOLS)]


def snapshot():
    return sorted(Assessment.objects.values_list("establishment__urn", "standard_key", "overall_status", "state"))


def test_demo_assessments_are_repeatable_and_fill_the_matrix(demo_trust):
    call_command("generate_assessments", "--demo")
    first = snapshot()
    assert {row[3] for row in first} == {"submitted"}
    assert len({row[0] for row in first}) == SCHOOLS
    assert 0.6 * SCHOOLS * 12 < len(first) < SCHOOLS * 12  # most, not all, standards assessed
    assert len({row[2] for row in first}) >= 3  # a mix of statuses
    call_command("generate_assessments", "--demo")
    assert snapshot() == first  # running again records nothing new
    Assessment.objects.all().delete()
    call_command("generate_assessments", "--demo")
    assert snapshot() == first  # and the same answers again from scratch


def test_the_command_needs_a_target():
    with pytest.raises(CommandError):
        call_command("generate_assessments")


def test_demo_assessments_follow_the_registers_where_they_hold_facts(demo_trust, fake_registers):
    """Register facts change the questionnaire's path; the generator must follow it or submit fails."""
    import datetime

    from schooltech.standards.register_facts import RegisterFact

    today = datetime.date(2026, 11, 1)
    for school in demo_trust:
        # A recorded backup service answers "yes", which leads on to the backup questions.
        fake_registers.facts[school.urn] = {
            "backup.has_backup_service": RegisterFact("backup.has_backup_service", True, "Software", today),
        }
    call_command("generate_assessments", "--demo")
    assessments = Assessment.objects.filter(standard_key="cyber_security")
    assert assessments.exists()
    assert all(assessment.facts_used for assessment in assessments)
    assert set(assessments.values_list("state", flat=True)) == {"submitted"}


def test_the_demo_trust_answers_one_standard_together_for_several_schools(demo_trust):
    from schooltech.demo.assessments import TOGETHER_STANDARD
    from schooltech.standards.models import SharedAssessment
    from tests.factories import UserFactory, make_membership

    director = UserFactory(email=demo.DEMO_TRUST_DIRECTOR_EMAIL)
    make_membership(director, demo_trust[0].trust, role="approver")

    call_command("generate_assessments", "--demo")

    shared = SharedAssessment.objects.get()
    assert shared.state == SharedAssessment.State.APPLIED and shared.applied_by == director
    assert shared.standard_key == TOGETHER_STANDARD
    own = Assessment.objects.filter(shared_from=shared)
    assert own.count() == SCHOOLS == len(shared.outcomes)  # each school its own assessment
    assert set(own.values_list("state", flat=True)) == {"submitted"}
    assert Assessment.objects.filter(standard_key=TOGETHER_STANDARD).count() == SCHOOLS  # none answered twice
    call_command("generate_assessments", "--demo")
    assert SharedAssessment.objects.count() == 1  # done once
