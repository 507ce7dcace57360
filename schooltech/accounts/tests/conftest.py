import pytest

from schooltech.accounts.dfe_signin import FakeDfeSignInGateway


@pytest.fixture(autouse=True)
def _fresh_fake_dfe_signin():
    FakeDfeSignInGateway.reset()
    yield
    FakeDfeSignInGateway.reset()


def emails(template_key: str | None = None):
    from schooltech.notifications.models import OutboxMessage

    messages = OutboxMessage.objects.order_by("id")
    return list(messages.filter(template_key=template_key) if template_key else messages)
