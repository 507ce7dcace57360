"""Reads for notifications: the outbox for support, people's reminder preferences and the ledger of
reminders already sent. Who a school's reminders go to is the accounts app's answer
(accounts.selectors.SchoolPeople)."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from schooltech.notifications import registry
from schooltech.notifications.models import Frequency, NotificationPreference, OutboxMessage, SentReminder, Share

# Cached on the user object for one scheduler run (as the policy caches memberships per request).
_PREFERENCES_ATTRIBUTE = "_schooltech_notification_preferences"


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
    return {kind: chosen.get(kind, Frequency.IMMEDIATELY) for kind in registry.kind_keys()}


def wants(*, user, kind: str, frequency: str = Frequency.IMMEDIATELY) -> bool:
    """Whether this person gets this kind of reminder at this frequency (read once per user object)."""
    preferences = getattr(user, _PREFERENCES_ATTRIBUTE, None)
    if preferences is None:
        preferences = preferences_for(user=user)
        setattr(user, _PREFERENCES_ATTRIBUTE, preferences)
    return preferences[kind] == frequency


def forget_preferences(user) -> None:
    if hasattr(user, _PREFERENCES_ATTRIBUTE):
        delattr(user, _PREFERENCES_ATTRIBUTE)


def weekly_kinds(*, user) -> list[str]:
    """The kinds of reminder this person chose to get in the weekly digest, in the preferences' order."""
    return [kind for kind in registry.kind_keys() if wants(user=user, kind=kind, frequency=Frequency.WEEKLY)]


def digest_readers() -> QuerySet:
    """Active people with an email address who chose the weekly digest for at least one kind."""
    return (
        get_user_model()
        .objects.filter(is_active=True, notification_preferences__frequency=Frequency.WEEKLY)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


# The ledger -----------------------------------------------------------------------------------------


def already_reminded(*, kind: str, subject: Model, occurrence: date) -> set[int]:
    """The ids of people already sent this reminder about this subject for this occurrence."""
    return set(
        SentReminder.objects.filter(
            kind=kind,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=str(subject.pk),
            occurrence=occurrence,
        ).values_list("user_id", flat=True)
    )


def reminded_users(*, kind: str, subjects: Iterable[tuple[Model, date]]) -> dict[tuple[str, date], set[int]]:
    """For many subjects of one model at once: (str(subject.pk), occurrence) -> the people already reminded."""
    subjects = list(subjects)
    if not subjects:
        return {}
    content_type = ContentType.objects.get_for_model(subjects[0][0])
    wanted = {(str(subject.pk), occurrence) for subject, occurrence in subjects}
    rows = SentReminder.objects.filter(
        kind=kind, subject_type=content_type, subject_id__in={subject_id for subject_id, _ in wanted}
    ).values_list("subject_id", "occurrence", "user_id")
    found: dict[tuple[str, date], set[int]] = {}
    for subject_id, occurrence, user_id in rows:
        if (subject_id, occurrence) in wanted:
            found.setdefault((subject_id, occurrence), set()).add(user_id)
    return found


def shares_of(*, organisation, link: str | None = None, limit: int = 20):
    """Who shared what from this organisation, newest first (optionally only one page's shares)."""
    found = Share.objects.filter(
        organisation_type=ContentType.objects.get_for_model(organisation), organisation_id=str(organisation.pk)
    ).select_related("sender")
    if link is not None:
        found = found.filter(link=link)
    return list(found[:limit])
