"""The one module that talks to GOV.UK Notify (through notifications-python-client).

It turns the client's errors into three kinds the outbox acts on:
- RateLimitedError (429): not sent; try again shortly.
- TransientNotifyError (5xx, timeouts, lost connections, auth/config problems): retry with backoff.
  `outcome_unknown` is True when the request may have reached Notify, so the caller looks the
  message up by its reference before sending it again.
- PermanentNotifyError (any other 4xx, e.g. a bad template or address): sending again cannot help.
"""

import threading
from dataclasses import dataclass

from django.conf import settings
from notifications_python_client.errors import APIError, InvalidResponse
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyError(Exception):
    def __init__(self, message: str, *, status_code: int | None = None, outcome_unknown: bool = False):
        super().__init__(message)
        self.status_code = status_code
        self.outcome_unknown = outcome_unknown


class RateLimitedError(NotifyError):
    pass


class TransientNotifyError(NotifyError):
    pass


class PermanentNotifyError(NotifyError):
    pass


@dataclass(frozen=True)
class NotifyNotification:
    id: str
    reference: str | None
    status: str


_local = threading.local()


def _client() -> NotificationsAPIClient:
    # The client keeps a requests session (keep-alive) and is not thread-safe: one per thread.
    config = (settings.NOTIFY_API_KEY, settings.NOTIFY_BASE_URL, settings.NOTIFY_TIMEOUT_SECONDS)
    if getattr(_local, "config", None) != config:
        _local.client = NotificationsAPIClient(config[0], base_url=config[1], timeout=config[2])
        _local.config = config
    return _local.client


def _describe(error: APIError) -> str:
    message = error.message
    if isinstance(message, list):
        message = "; ".join(f"{item.get('error')}: {item.get('message')}" for item in message if isinstance(item, dict))
    return f"{error.status_code} {message}"


def _translate(error: APIError) -> NotifyError:
    if isinstance(error, InvalidResponse) or error.response is None:
        reason = "no answer from Notify (timeout or connection lost)" if error.response is None else _describe(error)
        return TransientNotifyError(reason, status_code=None, outcome_unknown=True)
    status = error.status_code
    if status == 429:
        return RateLimitedError(_describe(error), status_code=status)
    if status >= 500:
        return TransientNotifyError(_describe(error), status_code=status, outcome_unknown=True)
    if status in (401, 403):
        # Our key or clock is wrong, not the message: keep it and retry once the configuration is fixed.
        return TransientNotifyError(_describe(error), status_code=status)
    return PermanentNotifyError(_describe(error), status_code=status)


def send_email(*, to_email: str, template_id: str, personalisation: dict[str, str], reference: str) -> str:
    """Send one email; returns Notify's notification id."""
    try:
        response = _client().send_email_notification(
            email_address=to_email, template_id=template_id, personalisation=personalisation, reference=reference
        )
    except APIError as error:
        raise _translate(error) from error
    return response["id"]


def find_email_by_reference(reference: str) -> NotifyNotification | None:
    """The notification Notify holds with this reference, if an earlier attempt reached it."""
    try:
        response = _client().get_all_notifications(template_type="email", reference=reference)
    except APIError as error:
        raise _translate(error) from error
    for item in response.get("notifications", []):
        if item.get("reference") == reference:
            return NotifyNotification(id=item["id"], reference=item.get("reference"), status=item.get("status", ""))
    return None


def get_notification(notify_id: str) -> NotifyNotification:
    try:
        item = _client().get_notification_by_id(notify_id)
    except APIError as error:
        raise _translate(error) from error
    return NotifyNotification(id=item["id"], reference=item.get("reference"), status=item.get("status", ""))
