"""Writes for accounts: users from sign-in, memberships, access requests, invitations and API keys.

Each service records who made the change and why in the audit trail (`core.history.record_change`)
and queues its emails in the same transaction, so a rolled-back change sends nothing.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from schooltech.accounts import dfe_signin, policy, selectors, support
from schooltech.accounts.models import (
    API_KEY_LIFETIMES,
    ROLE_RANK,
    AccessRequest,
    ApiKey,
    Invitation,
    Membership,
    OidcIdentity,
    Role,
    organisation_filter,
)
from schooltech.core import jobs
from schooltech.core.history import acting_user, record_change
from schooltech.notifications import services as notification_services
from schooltech.organisations.reference import DEPARTMENT, Organisation, OrganisationRef

logger = logging.getLogger(__name__)
User = get_user_model()

# DfE Sign-in role codes for this service, as set up in DfE Sign-in's manage console.
DFE_SIGNIN_ROLE_CODES = {
    "schooltech_viewer": Role.VIEWER,
    "schooltech_editor": Role.EDITOR,
    "schooltech_approver": Role.APPROVER,
}


class AccountsError(Exception):
    """A change that cannot be made; the message is written for the person who asked."""


def _absolute(path: str) -> str:
    return f"{settings.SERVICE_BASE_URL.rstrip('/')}{path}"


def display_name(user: Any) -> str:
    return user.get_full_name() or user.email


def _email_organisation(organisation: Organisation) -> Model | None:
    return None if organisation is DEPARTMENT else organisation


# --- users from sign-in ---


def _username_for(issuer: str, subject: str) -> str:
    return "oidc-" + hashlib.sha256(f"{issuer}|{subject}".encode()).hexdigest()[:24]


@transaction.atomic
def user_create_from_claims(*, issuer: str, claims: dict[str, Any]):
    user = User.objects.create_user(
        username=_username_for(issuer, claims["sub"]),
        email=claims["email"].strip(),
        first_name=str(claims.get("given_name", ""))[:150],
        last_name=str(claims.get("family_name", ""))[:150],
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def person_upsert(
    *, username: str, email: str, first_name: str, last_name: str, is_staff: bool, issuer: str, subject: str
):
    """A person who signs in as this OpenID subject, made or updated (the demo people); safe to run again."""
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"email": email, "first_name": first_name, "last_name": last_name, "is_staff": is_staff},
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    OidcIdentity.objects.get_or_create(issuer=issuer, subject=subject, defaults={"user": user})
    support.support_member_ensure(user)
    return user


@transaction.atomic
def user_update_from_claims(*, user, issuer: str, claims: dict[str, Any]) -> None:
    user.email = claims["email"].strip()
    user.first_name = str(claims.get("given_name", user.first_name))[:150]
    user.last_name = str(claims.get("family_name", user.last_name))[:150]
    user.save(update_fields=["email", "first_name", "last_name"])


@transaction.atomic
def user_sign_in_sync(
    *, user, issuer: str, subject: str, organisation: Organisation | None, dfe_signin_organisation_id: str = ""
) -> OidcIdentity:
    """Link the identity, accept the user's invitations and take DfE Sign-in's roles."""
    identity, _ = OidcIdentity.objects.get_or_create(issuer=issuer, subject=subject, defaults={"user": user})
    identity.last_signed_in_at = timezone.now()
    identity.last_organisation = OrganisationRef.for_organisation(organisation).slug if organisation else ""
    identity.save(update_fields=["last_signed_in_at", "last_organisation"])
    invitations_accept_for(user=user)
    if organisation is not None and dfe_signin_organisation_id:
        _sync_dfe_signin_roles(
            user=user, subject=subject, organisation=organisation, dfe_organisation_id=dfe_signin_organisation_id
        )
    policy.forget_memberships(user)
    return identity


def _sync_dfe_signin_roles(*, user, subject: str, organisation: Organisation, dfe_organisation_id: str) -> None:
    try:
        roles = dfe_signin.gateway().user_roles(user_id=subject, organisation_id=dfe_organisation_id)
    except dfe_signin.DfeSignInError:
        logger.warning("DfE Sign-in roles unavailable; keeping existing memberships", exc_info=True)
        return
    ours = [DFE_SIGNIN_ROLE_CODES[role.code] for role in roles if role.code in DFE_SIGNIN_ROLE_CODES]
    existing = Membership.objects.filter(organisation_filter(organisation), user=user).first()
    if ours:
        role = max(ours, key=lambda r: ROLE_RANK[r])
        if existing is None or (existing.source == Membership.Source.DFE_SIGNIN and existing.role != role):
            membership_grant(
                actor=None,
                user=user,
                organisation=organisation,
                role=role,
                source=Membership.Source.DFE_SIGNIN,
                reason="Role given in DfE Sign-in",
            )
    elif existing is not None and existing.source == Membership.Source.DFE_SIGNIN:
        record_change(existing, user=None, reason="Role removed in DfE Sign-in")
        existing.delete()


# --- memberships ---


@transaction.atomic
def membership_grant(
    *, actor, user, organisation: Organisation, role: str, source: str = Membership.Source.SERVICE, reason: str
) -> Membership:
    """Give the user this role in the organisation, creating the membership if needed."""
    membership = Membership.objects.filter(organisation_filter(organisation), user=user).first()
    if membership is None:
        membership = Membership(user=user)
        membership.set_organisation(organisation)
    membership.role = Role(role)
    membership.source = source
    record_change(membership, user=actor, reason=reason)
    membership.save()
    policy.forget_memberships(user)
    return membership


def _other_approvers(membership: Membership):
    return Membership.objects.filter(organisation_filter(membership.organisation), role=Role.APPROVER).exclude(
        pk=membership.pk
    )


@transaction.atomic
def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.APPROVER and role != Role.APPROVER and not _other_approvers(membership).exists():
        raise AccountsError("The organisation must keep at least one approver")
    membership.role = Role(role)
    record_change(membership, user=actor, reason="Role changed")
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.APPROVER and not _other_approvers(membership).exists():
        raise AccountsError("You cannot remove the organisation's last approver")
    record_change(membership, user=actor, reason="Removed from the organisation")
    membership.delete()


# --- access requests ---


def _review_url(access_request: AccessRequest) -> str:
    return _absolute(
        reverse(
            "accounts:request_review",
            kwargs={"organisation": access_request.organisation_ref, "access_request_id": access_request.pk},
        )
    )


def _approvers(organisation: Organisation):
    return (
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.filter(organisation_filter(organisation), role=Role.APPROVER),
        )
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def access_request_create(*, requester, organisation: Organisation, reason: str) -> AccessRequest:
    reason = reason.strip()
    if not reason:
        raise AccountsError("Enter why you need access")
    if Membership.objects.filter(organisation_filter(organisation), user=requester).exists():
        raise AccountsError(f"You already have access to {organisation.name}")
    if AccessRequest.objects.filter(
        organisation_filter(organisation), requester=requester, status=AccessRequest.Status.PENDING
    ).exists():
        raise AccountsError(f"You have already asked for access to {organisation.name}")
    access_request = AccessRequest(requester=requester, reason=reason)
    access_request.set_organisation(organisation)
    record_change(access_request, user=requester, reason="Access requested")
    access_request.save()
    approvers = list(_approvers(organisation))
    for approver in approvers:
        notification_services.email_enqueue(
            to_email=approver.email,
            template_key="access_request_submitted",
            personalisation={
                "organisation_name": organisation.name,
                "requester_name": display_name(requester),
                "requester_email": requester.email,
                "reason": reason,
                "review_url": _review_url(access_request),
            },
            organisation=_email_organisation(organisation),
        )
    if not approvers:
        # Nobody can answer it: support hears straight away, as DfE Sign-in does.
        _escalate(access_request, now=timezone.now())
    return access_request


def _decidable(access_request: AccessRequest) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.status != AccessRequest.Status.PENDING:
        raise AccountsError("This request has already been answered")
    return locked


@transaction.atomic
def access_request_approve(*, actor, access_request: AccessRequest, role: str) -> Membership:
    access_request = _decidable(access_request)
    access_request.status = AccessRequest.Status.APPROVED
    access_request.role_granted = Role(role)
    access_request.decided_by = actor
    access_request.decided_at = timezone.now()
    record_change(access_request, user=actor, reason="Access request approved")
    access_request.save()
    membership = membership_grant(
        actor=actor,
        user=access_request.requester,
        organisation=access_request.organisation,
        role=role,
        reason="Access request approved",
    )
    notification_services.email_enqueue(
        to_email=access_request.requester.email,
        template_key="access_request_approved",
        personalisation={
            "organisation_name": access_request.organisation_name,
            "role": Role(role).label,
            "service_url": _absolute(reverse("accounts:account")),
        },
        organisation=_email_organisation(access_request.organisation),
    )
    return membership


@transaction.atomic
def access_request_reject(*, actor, access_request: AccessRequest, reason: str) -> AccessRequest:
    reason = reason.strip()
    if not reason:
        raise AccountsError("Enter why you are rejecting the request")
    access_request = _decidable(access_request)
    access_request.status = AccessRequest.Status.REJECTED
    access_request.decision_reason = reason
    access_request.decided_by = actor
    access_request.decided_at = timezone.now()
    record_change(access_request, user=actor, reason="Access request rejected")
    access_request.save()
    notification_services.email_enqueue(
        to_email=access_request.requester.email,
        template_key="access_request_rejected",
        personalisation={"organisation_name": access_request.organisation_name, "reason": reason},
        organisation=_email_organisation(access_request.organisation),
    )
    return access_request


def _escalate(access_request: AccessRequest, *, now: datetime) -> int:
    access_request.escalated_at = now
    record_change(access_request, user=None, reason="Escalated to support: no answer")
    access_request.save(update_fields=["escalated_at"])
    notification_services.email_enqueue(
        to_email=settings.SUPPORT_EMAIL,
        template_key="access_request_escalated",
        personalisation={
            "organisation_name": access_request.organisation_name,
            "requester_name": display_name(access_request.requester),
            "requester_email": access_request.requester.email,
            "days_waiting": str((now - access_request.created_at).days),
            "review_url": _absolute(reverse("accounts:support_requests")),
        },
        organisation=_email_organisation(access_request.organisation),
        dedupe_key=f"access-request-escalated-{access_request.pk}",
    )
    return 1


@transaction.atomic
def access_requests_escalate(*, now: datetime | None = None) -> int:
    """Pass requests unanswered for the escalation period to support. Safe to run again: each
    request escalates once. A request that fails is logged and skipped; the others still go."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ACCESS_REQUEST_ESCALATION_DAYS)
    overdue = (
        AccessRequest.objects.select_for_update(of=("self",))
        .filter(status=AccessRequest.Status.PENDING, escalated_at__isnull=True, created_at__lte=cutoff)
        .select_related("requester", "establishment", "trust", "local_authority")
    )
    return jobs.each_isolated(
        overdue,
        lambda access_request: _escalate(access_request, now=now),
        job="access requests waiting for an approver",
        describe=lambda access_request: f"access request {access_request.pk}",
    )


# --- invitations ---


@transaction.atomic
def invitation_create(*, actor, organisation: Organisation, email: str, role: str) -> Invitation:
    email = email.strip()
    if Invitation.objects.filter(
        organisation_filter(organisation), email__iexact=email, status=Invitation.Status.PENDING
    ).exists():
        raise AccountsError(f"{email} has already been invited to {organisation.name}")
    if Membership.objects.filter(organisation_filter(organisation), user__email__iexact=email).exists():
        raise AccountsError(f"{email} already has access to {organisation.name}")
    invitation = Invitation(email=email, role=Role(role), invited_by=actor)
    invitation.set_organisation(organisation)
    record_change(invitation, user=actor, reason="Invited")
    invitation.save()
    notification_services.email_enqueue(
        to_email=email,
        template_key="invitation",
        personalisation={
            "organisation_name": organisation.name,
            "inviter_name": display_name(actor),
            "role": Role(role).label,
            "sign_in_url": _absolute(reverse("accounts:account")),
        },
        organisation=_email_organisation(organisation),
    )
    return invitation


@transaction.atomic
def invitation_cancel(*, actor, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise AccountsError("This invitation has already been used or cancelled")
    invitation.status = Invitation.Status.CANCELLED
    record_change(invitation, user=actor, reason="Invitation cancelled")
    invitation.save()
    return invitation


@transaction.atomic
def invitations_accept_for(*, user) -> list[Membership]:
    """Turn the pending invitations for the user's email into memberships (at sign-in)."""
    memberships = []
    pending = Invitation.objects.select_for_update().filter(email__iexact=user.email, status=Invitation.Status.PENDING)
    for invitation in pending:
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_by = user
        invitation.accepted_at = timezone.now()
        record_change(invitation, user=user, reason="Invitation accepted")
        invitation.save()
        existing = Membership.objects.filter(organisation_filter(invitation.organisation), user=user).first()
        if existing is None or existing.rank < ROLE_RANK[Role(invitation.role)]:
            memberships.append(
                membership_grant(
                    actor=user,
                    user=user,
                    organisation=invitation.organisation,
                    role=invitation.role,
                    reason="Invitation accepted",
                )
            )
    return memberships


# --- API keys ---

API_KEY_PREFIX = "st_"
API_KEY_USE_RECORD_INTERVAL = timedelta(minutes=5)  # last_used_at is written at most this often


def hash_api_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, actor, organisation: Organisation, name: str, role: str, days: int = 365) -> tuple[ApiKey, str]:
    """Make a key; the key itself is returned once and only its hash is kept."""
    name = name.strip()
    if not name:
        raise AccountsError("Enter a name for the key")
    if role not in ApiKey.Access.values:
        raise AccountsError("Select what the key can do")
    if not 1 <= days <= max(API_KEY_LIFETIMES):
        raise AccountsError("A key can last at most a year")
    if not selectors.api_key_may_give(actor, role, organisation):
        raise AccountsError("You can only make a key with access you have yourself")
    raw = API_KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey(
        name=name[:100],
        role=role,
        created_by=actor,
        key_hash=hash_api_key(raw),
        key_start=raw[:8],
        expires_at=timezone.now() + timedelta(days=days),
    )
    api_key.set_organisation(organisation)
    record_change(api_key, user=actor, reason=f"API key created, {ApiKey.Access(role).label.lower()}, {days} days")
    api_key.save()
    return api_key, raw


@transaction.atomic
def api_key_revoke(*, actor, api_key: ApiKey) -> ApiKey:
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is not None:
        raise AccountsError("This key has already been revoked")
    api_key.revoked_at = timezone.now()
    api_key.revoked_by = acting_user(actor)
    record_change(api_key, user=actor, reason="API key revoked")
    api_key.save(update_fields=["revoked_at", "revoked_by"])
    return api_key


def api_key_authenticate(raw: str, *, now: datetime | None = None) -> tuple[Any, ApiKey] | None:
    """The person a live key acts for, confined to the key's organisation and role (a legacy key:
    to reading the legacy register and nothing else); None otherwise.

    A key stops working when it expires or is revoked, and when its maker loses the access. Its
    use is recorded in `last_used_at`, written at most every API_KEY_USE_RECORD_INTERVAL.
    """
    now = now or timezone.now()
    api_key = (
        ApiKey.objects.select_related("created_by", "establishment", "trust", "local_authority")
        .filter(key_hash=hash_api_key(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if api_key is None:
        return None
    user = api_key.created_by
    if not user.is_active or not selectors.api_key_may_give(user, api_key.role, api_key.organisation):
        return None
    if api_key.role == ApiKey.Access.LEGACY:
        policy.confine_to(user, [], department_actions=frozenset({"view_legacy"}))
    else:
        membership = Membership(user=user, role=api_key.role)
        membership.set_organisation(api_key.organisation)
        policy.confine_to(user, [membership])
    if api_key.last_used_at is None or api_key.last_used_at <= now - API_KEY_USE_RECORD_INTERVAL:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return user, api_key
