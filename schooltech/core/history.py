"""Who made a change and why, for the audit trail kept by django-simple-history.

Every service that saves or deletes a history-tracked row calls `record_change` first:

    record_change(membership, user=actor, reason="Role changed")
    membership.save()

django-simple-history reads both values from the instance when it writes the history row. A user
who is not signed in (or none, for a scheduled job) is recorded as nobody.
"""

from typing import Any

from django.db.models import Model
from simple_history.models import HistoricalRecords

REASON_LENGTH = 100  # django-simple-history's history_change_reason column


def acting_user(user: Any) -> Any:
    """The user to record, or None for anonymous users and jobs."""
    return user if getattr(user, "is_authenticated", False) and getattr(user, "pk", None) else None


def short_reason(reason: str) -> str:
    """The reason as the history column holds it: a reason carrying a person's words (a deferral's
    "why") is cut to the column's length with an ellipsis, never refused by the database."""
    return reason if len(reason) <= REASON_LENGTH else reason[: REASON_LENGTH - 1] + "…"


def record_change(instance: Model, *, user: Any, reason: str) -> Model:
    """Mark the instance's next save or delete as made by `user` for `reason`."""
    instance._history_user = acting_user(user)  # type: ignore[attr-defined]
    instance._change_reason = short_reason(reason)  # type: ignore[attr-defined]
    return instance


def made_with_api_key(request: Any, *, api_key_id: int, name: str) -> None:
    """Mark this request's changes as made with an API key (see `note_api_key`) and log the key."""
    request.api_key_id = api_key_id
    request.api_key_name = name


def note_api_key(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """django-simple-history signal: a change made with an API key says so in its reason.

    The person recorded is the key's maker; the reason names the key, so the audit trail tells a
    change made through an integration from one made on the pages.
    """
    request = getattr(HistoricalRecords.context, "request", None)
    name = getattr(request, "api_key_name", None)
    if not name:
        return
    reason = history_instance.history_change_reason or "Changed"
    history_instance.history_change_reason = short_reason(f"{reason} (API key “{name}”)")
