import pytest

from tests.reminder_fixtures import (  # noqa: F401  (fixtures shared with the apps' reminder tests)
    approver,
    editor,
    member,
    now,
    other_school,
    outsider,
    prefer,
    school,
    sent_to,
    today,
    viewer,
)

APPROVED = {"organisation_name": "Oak Academy", "role": "IT lead", "service_url": "https://example.org/"}


@pytest.fixture
def approved_personalisation() -> dict[str, str]:
    return dict(APPROVED)


@pytest.fixture
def fake_notify(settings):
    """A fake Notify on a free loopback port, with the service's settings pointed at it."""
    from devtools.fake_notify import FakeNotify

    fake = FakeNotify(api_keys=[settings.NOTIFY_API_KEY], receipt_delay=0.0).start()
    settings.NOTIFY_BASE_URL = fake.url
    settings.NOTIFY_TIMEOUT_SECONDS = 2
    yield fake
    fake.stop()
