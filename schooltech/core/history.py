"""Who made a change and why, for the audit trail kept by django-simple-history.

Every service that saves or deletes a history-tracked row calls `record_change` first:

    record_change(membership, user=actor, reason="Role changed")
    membership.save()

django-simple-history reads both values from the instance when it writes the history row. A user
who is not signed in (or none, for a scheduled job) is recorded as nobody.
"""

from typing import Any

from django.db.models import Model


def acting_user(user: Any) -> Any:
    """The user to record, or None for anonymous users and jobs."""
    return user if getattr(user, "is_authenticated", False) and getattr(user, "pk", None) else None


def record_change(instance: Model, *, user: Any, reason: str) -> Model:
    """Mark the instance's next save or delete as made by `user` for `reason`."""
    instance._history_user = acting_user(user)  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    return instance
