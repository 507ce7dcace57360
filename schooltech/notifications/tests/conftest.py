import pytest

APPROVED = {"organisation_name": "Oak Academy", "role": "IT lead", "service_url": "https://example.org/"}


@pytest.fixture
def approved_personalisation() -> dict[str, str]:
    return dict(APPROVED)
