import pytest

from schooltech.standards import services as standards_services
from schooltech.training import services


@pytest.fixture
def catalogues(db):
    """The current standards catalogue and the training catalogue, as `make data` loads them."""
    standards_services.catalogue_load()
    return services.catalogue_load()
