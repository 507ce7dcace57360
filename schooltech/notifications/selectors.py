"""Reads for notifications: the outbox for support, people's reminder preferences, who a school's
reminders go to, and the ledger of reminders already sent."""

import re
from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from schooltech.accounts import policy
from schooltech.accounts.models import Membership, Role
from schooltech.accounts.organisations import OrganisationKind
from schooltech.notifications.models import (
    Frequency,
    NotificationPreference,
    OutboxMessage,
    ReminderKind,
    SentReminder,
)
from schooltech.organisations.models import Establishment

EMAIL_IN_TEXT = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
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
    return {kind: chosen.get(kind, Frequency.IMMEDIATELY) for kind in ReminderKind.values}


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
    return [kind for kind in ReminderKind.values if wants(user=user, kind=kind, frequency=Frequency.WEEKLY)]


def digest_readers() -> QuerySet:
    """Active people with an email address who chose the weekly digest for at least one kind."""
    return (
        get_user_model()
        .objects.filter(is_active=True, notification_preferences__frequency=Frequency.WEEKLY)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


# Who a school's reminders go to --------------------------------------------------------------------


def school_editors(*, establishment: Establishment) -> list:
    """Active people who may edit this school's registers and plan: its own editors and approvers,
    and those of the trust or local authority that reaches it (the policy decides the reach)."""
    reach = Q(organisation_kind=OrganisationKind.ESTABLISHMENT, establishment_id=establishment.pk)
    if establishment.trust_id:
        reach |= Q(organisation_kind=OrganisationKind.TRUST, trust_id=establishment.trust_id)
    if establishment.local_authority_id:
        authority = establishment.local_authority_id
        reach |= Q(organisation_kind=OrganisationKind.LOCAL_AUTHORITY, local_authority_id=authority)
    user_ids = Membership.objects.filter(reach, role__in=[Role.EDITOR, Role.APPROVER]).values("user_id")
    candidates = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="").order_by("pk")
    return [user for user in candidates if policy.can(user, "edit", establishment)]


def owner_user(*, owner: str, establishment: Establishment):
    """The person named by an owner field, when it holds their email address and they can see the school."""
    email = owner_email(owner)
    if email is None:
        return None
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    if user is None or not policy.can(user, "view", establishment):
        return None
    return user


def owner_email(owner: str) -> str | None:
    """The email address written in an owner field, lower-cased, if there is one."""
    found = EMAIL_IN_TEXT.search(owner or "")
    return found.group(0).lower() if found else None


def approvers_of(*, organisation) -> list:
    """Active approvers of exactly this organisation (managing users is never inherited)."""
    from schooltech.accounts import selectors as account_selectors

    members = account_selectors.members_of(organisation=organisation).filter(role=Role.APPROVER, user__is_active=True)
    return [membership.user for membership in members if membership.user.email]


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


# Access requests ------------------------------------------------------------------------------------


def access_requests_unanswered(*, waited_since: datetime | None = None) -> QuerySet:
    """Requests still waiting for an approver and not yet passed to support, oldest first."""
    from schooltech.accounts.models import AccessRequest

    requests = AccessRequest.objects.filter(status=AccessRequest.Status.PENDING, escalated_at__isnull=True)
    if waited_since is not None:
        requests = requests.filter(created_at__lte=waited_since)
    return requests.select_related("requester", "establishment", "trust", "local_authority").order_by(
        "created_at", "pk"
    )


def access_requests_awaiting(*, approver) -> list:
    """Unanswered requests for the organisations this person approves for (their own memberships only)."""
    from schooltech.accounts.models import organisation_filter

    organisations = [m.organisation for m in policy.memberships_of(approver) if m.role == Role.APPROVER]
    if not organisations:
        return []
    condition = Q(pk__in=[])
    for organisation in organisations:
        condition |= organisation_filter(organisation)
    return list(access_requests_unanswered().filter(condition))
