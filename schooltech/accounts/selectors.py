"""Reads for accounts: the current organisation, organisation search, members and requests."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from schooltech.accounts import policy
from schooltech.accounts.models import AccessRequest, Invitation, Membership, organisation_filter
from schooltech.accounts.organisations import Organisation, OrganisationKind, OrganisationRef
from schooltech.organisations import selectors as organisation_selectors
from schooltech.organisations.models import Group, LocalAuthority

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
