"""The trust plan at trust scale: reading every school's inputs, self-assessments included, takes a
fixed number of queries whatever the number of schools or assessments."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from schooltech.estate.models import AssetCategory
from schooltech.planning import engine, inputs
from schooltech.standards.models import Assessment, Standard
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 11)


def _school_with_everything(index: int, standards: list[Standard]):
    school = factories.EstablishmentFactory(name=f"Academy {index}", phase_code="4")
    contract = factories.ContractFactory(establishment=school, end_date=datetime.date(2027, 7, 11))
    factories.ConnectionFactory(establishment=school, contract=contract)
    factories.AssetFactory.create_batch(2, establishment=school, category=AssetCategory.LAPTOP)
    factories.ServiceFactory(establishment=school)
    for standard in standards:
        requirement = standard.requirements.first()
        Assessment.objects.create(
            establishment=school,
            standard=standard,
            standard_key=standard.key,
            state=Assessment.State.SUBMITTED,
            phase_group="secondary",
            submitted_at=timezone.now(),
            results=[{"requirement": requirement.key, "status": "does_not_meet", "reasons": ["Because"]}],
        )
    return school


def _queries(schools) -> int:
    with CaptureQueriesContext(connection) as captured:
        for plan_inputs in inputs.plan_inputs_for(schools, today=TODAY).values():
            engine.build_plan(plan_inputs)
    return len(captured.captured_queries)


def test_plan_inputs_take_the_same_queries_for_two_schools_or_eight_with_every_standard_assessed(reference_data):
    standards = list(Standard.objects.filter(version__is_current=True).prefetch_related("requirements"))
    schools = [_school_with_everything(index, standards) for index in range(8)]
    _queries(schools[:1])  # the catalogue is read once and kept, as a running worker has it
    few, many = _queries(schools[:2]), _queries(schools)
    assert few == many
    assert many <= 15  # registers 8, catalogue token and prices 2, assessments 1, duties done 1, phases 0 or 1
    planned = inputs.plan_inputs_for(schools, today=TODAY)
    assert all(len(planned[school.pk].gaps) == len(standards) for school in schools)
