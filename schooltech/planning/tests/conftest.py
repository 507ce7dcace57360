import pytest
from django.core.management import call_command


@pytest.fixture
def reference_data(db):
    call_command("load_planning_data", stdout=None)
    call_command("load_standards", stdout=None)
