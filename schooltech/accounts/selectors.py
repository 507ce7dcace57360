"""Reads for accounts: the current organisation, organisation search, members, requests, and who a
school's reminders go to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from schooltech.accounts import policy
from schooltech.accounts.models import AccessRequest, ApiKey, Invitation, Membership, Role, organisation_filter
from schooltech.organisations import selectors as organisation_selectors
from schooltech.organisations.models import Establishment, Group, LocalAuthority
from schooltech.organisations.reference import Department, Organisation, OrganisationKind, OrganisationRef

CURRENT_ORGANISATION_KEY = "accounts_current_organisation"
SEARCH_LIMIT = 20


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership the user is working as: the one kept in the session, else their first."""
    memberships = policy.memberships_of(request.user)
    chosen = request.session.get(CURRENT_ORGANISATION_KEY)
    for membership in memberships:
        if membership.organisation_ref.slug == chosen:
            return membership
    return memberships[0] if memberships else None


def set_current_organisation(request: HttpRequest, ref: OrganisationRef) -> bool:
    if any(m.organisation_ref == ref for m in policy.memberships_of(request.user)):
        request.session[CURRENT_ORGANISATION_KEY] = ref.slug
        return True
    return False


@dataclass(frozen=True)
class OrganisationResult:
    ref: OrganisationRef
    name: str
    kind_label: str
    detail: str


def organisation_search(*, query: str) -> list[OrganisationResult]:
    """Organisations a user may ask to join, found by name, URN, UKPRN, trust UID or LA code."""
    query = query.strip()
    if not query:
        return []
    results = [
        OrganisationResult(
            ref=OrganisationRef.for_organisation(establishment),
            name=establishment.name,
            kind_label=OrganisationKind.ESTABLISHMENT.label,
            detail=f"URN {establishment.urn}" + (f", {establishment.town}" if establishment.town else ""),
        )
        for establishment in organisation_selectors.establishment_search(query=query)[:SEARCH_LIMIT]
    ]
    trusts = Group.objects.filter(Q(name__icontains=query) | Q(uid=query) | Q(ukprn=query))[:SEARCH_LIMIT]
    results += [
        OrganisationResult(
            ref=OrganisationRef.for_organisation(trust),
            name=trust.name,
            kind_label=OrganisationKind.TRUST.label,
            detail=f"UID {trust.uid}",
        )
        for trust in trusts
    ]
    authorities = LocalAuthority.objects.filter(Q(name__icontains=query) | Q(code=query))[:SEARCH_LIMIT]
    results += [
        OrganisationResult(
            ref=OrganisationRef.for_organisation(la),
            name=la.name,
            kind_label=OrganisationKind.LOCAL_AUTHORITY.label,
            detail=f"LA code {la.code}",
        )
        for la in authorities
    ]
    return results[:SEARCH_LIMIT]


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation_filter(organisation))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def pending_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation_filter(organisation), status=Invitation.Status.PENDING)


def pending_requests(*, organisation: Organisation) -> QuerySet[AccessRequest]:
    return (
        AccessRequest.objects.filter(organisation_filter(organisation), status=AccessRequest.Status.PENDING)
        .select_related("requester")
        .order_by("created_at")
    )


def requests_of(*, user) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(requester=user).select_related("establishment", "trust", "local_authority")


def escalated_requests() -> QuerySet[AccessRequest]:
    return (
        AccessRequest.objects.filter(status=AccessRequest.Status.PENDING, escalated_at__isnull=False)
        .select_related("requester", "establishment", "trust", "local_authority")
        .order_by("created_at")
    )


def access_requests_unanswered(*, waited_since: datetime | None = None) -> QuerySet[AccessRequest]:
    """Requests still waiting for an approver and not yet passed to support, oldest first."""
    requests = AccessRequest.objects.filter(status=AccessRequest.Status.PENDING, escalated_at__isnull=True)
    if waited_since is not None:
        requests = requests.filter(created_at__lte=waited_since)
    return requests.select_related("requester", "establishment", "trust", "local_authority").order_by(
        "created_at", "pk"
    )


def access_requests_awaiting(*, approver) -> list[AccessRequest]:
    """Unanswered requests for the organisations this person approves for (their own memberships only)."""
    organisations = [m.organisation for m in policy.memberships_of(approver) if m.role == Role.APPROVER]
    if not organisations:
        return []
    condition = Q(pk__in=[])
    for organisation in organisations:
        condition |= organisation_filter(organisation)
    return list(access_requests_unanswered().filter(condition))


def approvers_of(*, organisation: Organisation) -> list:
    """Active approvers of exactly this organisation, with an email address (never inherited)."""
    members = members_of(organisation=organisation).filter(role=Role.APPROVER, user__is_active=True)
    return [membership.user for membership in members if membership.user.email]


# --- Who a school's reminders go to ---

EMAIL_IN_TEXT = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def school_editors(*, establishment: Establishment) -> list:
    """Active people with an email address who may edit this school's registers and plan: its own
    editors and approvers, and those of the trust or local authority that looks after it (the policy decides)."""
    return list(policy.people_who_may("edit", establishment).exclude(email="").order_by("pk"))


def owner_email(owner: str) -> str | None:
    """The email address written in an owner field, lower-cased, if there is one."""
    found = EMAIL_IN_TEXT.search(owner or "")
    return found.group(0).lower() if found else None


def owner_user(*, owner: str, establishment: Establishment):
    """The person named by an owner field, when it holds their email address and they can see the school."""
    email = owner_email(owner)
    if email is None:
        return None
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    if user is None or not policy.can(user, "view", establishment):
        return None
    return user


class SchoolPeople:
    """Who a school's reminders go to (its editors and approvers, and a named owner who can see it),
    with each person read once per run, so their memberships and preferences are too."""

    def __init__(self) -> None:
        self._editors: dict[int, list] = {}
        self._users: dict[int, object] = {}

    def _same(self, user):
        return self._users.setdefault(user.pk, user)

    def for_school(self, establishment: Establishment, *, owner: str = "") -> list:
        if establishment.pk not in self._editors:
            editors = school_editors(establishment=establishment)
            self._editors[establishment.pk] = [self._same(user) for user in editors]
        people = list(self._editors[establishment.pk])
        named_owner = owner_user(owner=owner, establishment=establishment) if owner else None
        if named_owner is not None and named_owner.pk not in {person.pk for person in people}:
            people.append(self._same(named_owner))
        return people


def api_keys_of(*, organisation: Organisation) -> QuerySet[ApiKey]:
    """Every API key of this organisation, live or not, newest first."""
    return ApiKey.objects.filter(organisation_filter(organisation)).select_related("created_by", "revoked_by")


def api_key_may_give(user, access: str, organisation: Organisation) -> bool:
    """Whether `user` may make, or still stand behind, a key with this access: never more than they have.

    A legacy key reads the department's legacy technology register, so only a department-role
    member may make one. It is the department's only kind of key: its national figures are open
    statistics that need no key, and the department reaches no school's records.
    """
    if isinstance(organisation, Department) or access == ApiKey.Access.LEGACY:
        return (
            isinstance(organisation, Department)
            and access == ApiKey.Access.LEGACY
            and policy.can_department(user, "view_legacy")
        )
    if access == ApiKey.Access.EDITOR:
        return policy.can(user, "edit", organisation)
    return access == ApiKey.Access.VIEWER and policy.can(user, "view", organisation)


def api_key_accesses_for(user, organisation: Organisation) -> list[tuple[str, str]]:
    """The access choices `user` may give a key for `organisation`, as (value, label)."""
    return [(access.value, access.label) for access in ApiKey.Access if api_key_may_give(user, access, organisation)]
