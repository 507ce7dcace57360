import pytest
from django.core.management import CommandError, call_command

from schooltech.standards import services as standards_services
from schooltech.standards.models import DutyRecord
from schooltech.training import services
from schooltech.training.models import TrainingRecord
from tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db


def test_the_demo_schools_record_training_that_makes_the_cyber_duty_done_and_running_again_changes_nothing():
    school = EstablishmentFactory(urn="100000")
    standards_services.catalogue_load()
    services.catalogue_load()
    call_command("generate_training", demo=True, stdout=None)
    call_command("generate_training", demo=True, stdout=None)
    assert TrainingRecord.objects.filter(establishment=school).count() == 3
    assert DutyRecord.objects.filter(establishment=school, duty_key="cyber_training", source="training").count() == 1


def test_without_the_catalogue_or_schools_it_says_what_to_load():
    with pytest.raises(CommandError, match="load the shipped data"):
        call_command("generate_training", demo=True)
    EstablishmentFactory(urn="100000")
    with pytest.raises(CommandError, match="load_training"):
        call_command("generate_training", demo=True)
