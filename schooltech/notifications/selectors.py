"""Reads for notifications: the outbox for support, and people's reminder preferences."""

from django.db.models import QuerySet

from schooltech.notifications.models import Frequency, NotificationPreference, OutboxMessage, ReminderKind


def outbox_list(*, status: str = "", template_key: str = "", email: str = "") -> QuerySet[OutboxMessage]:
    messages = OutboxMessage.objects.all()
    if status:
        messages = messages.filter(status=status)
    if template_key:
        messages = messages.filter(template_key=template_key)
    if email:
        messages = messages.filter(to_email__icontains=email.strip())
    return messages


def preferences_for(*, user) -> dict[str, str]:
    """Each reminder kind's frequency for this person, with the default where they chose nothing."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, Frequency.IMMEDIATELY) for kind in ReminderKind.values}


def wants(*, user, kind: str, frequency: str = Frequency.IMMEDIATELY) -> bool:
    """Whether this person gets this kind of reminder at this frequency."""
    return preferences_for(user=user)[kind] == frequency
