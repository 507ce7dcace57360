"""Every write for peer support: offers, requests and their answers, and the emails they send.

Rules enforced here (and by database constraints where a race could break them):
- only requirements the school's latest assessment meets can be offered;
- a school asks only about a requirement it does not meet, only a school whose offer covers it, still
  meets it, takes its phase and has room this term;
- one open (waiting or accepted) request per asking school and requirement;
- an offer takes at most `requests_per_term` requests a term (the offer row is locked while counting);
- requests move waiting → accepted → done, or waiting → declined, or waiting/accepted → withdrawn.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from schooltech.accounts import policy
from schooltech.accounts.models import ROLE_RANK, Role
from schooltech.accounts.selectors import members_of
from schooltech.core.history import record_change
from schooltech.notifications import services as notifications
from schooltech.organisations.models import Establishment
from schooltech.peer import selectors
from schooltech.peer.models import (
    FEEDBACK_LENGTH,
    MAX_REQUESTS_PER_TERM,
    MESSAGE_LENGTH,
    NOTE_LENGTH,
    HelpRequest,
    Offer,
    PhaseHelped,
    Topic,
)


class PeerError(ValueError):
    """A request the rules do not allow; the message is shown to the person."""


def _absolute(path: str) -> str:
    return f"{settings.SERVICE_BASE_URL.rstrip('/')}{path}"


def _name(user: Any) -> str:
    return (user.get_full_name() or user.email) if user else "Someone"


def _request_url(help_request: HelpRequest, establishment: Establishment) -> str:
    return _absolute(reverse("peer:request", kwargs={"urn": establishment.urn, "request_number": help_request.pk}))


def topic_title(standard_key: str, requirement_key: str) -> str:
    requirement = selectors.requirement_get(standard_key=standard_key, requirement_key=requirement_key)
    return requirement.title if requirement else requirement_key


def people_to_tell(establishment: Establishment) -> list:
    """Who hears about a request to the school: its own active editors and approvers with an email address;
    only if it has none, the people of its trust or local authority who may edit it."""
    own = [
        membership.user
        for membership in members_of(organisation=establishment)
        if ROLE_RANK.get(Role(membership.role), 0) >= ROLE_RANK[Role.EDITOR]
        and membership.user.is_active
        and membership.user.email
    ]
    if own:
        return own
    return list(policy.people_who_may("edit", establishment).exclude(email="").order_by("pk"))


# --- Offers ---


@transaction.atomic
def offer_save(
    *,
    establishment: Establishment,
    user: Any,
    topics: list[tuple[str, str]],
    requests_per_term: int,
    phase: str,
    note: str,
) -> Offer:
    """Make or change the school's offer (and switch it back on if it was withdrawn)."""
    met = {(m.standard_key, m.requirement.key) for m in selectors.requirements_met(establishment=establishment)}
    chosen = set(topics)
    if not chosen:
        raise PeerError("Select at least one requirement you can help with")
    if not chosen <= met:
        raise PeerError("You can only offer help with requirements your latest self-assessment meets")
    if not 1 <= int(requests_per_term) <= MAX_REQUESTS_PER_TERM:
        raise PeerError(f"Requests a term must be between 1 and {MAX_REQUESTS_PER_TERM}")
    if phase not in PhaseHelped.values:
        raise PeerError("Select which schools you can help")
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise PeerError(f"The note must be {NOTE_LENGTH} characters or fewer")
    offer = Offer.objects.select_for_update().filter(establishment=establishment).first() or Offer(
        establishment=establishment
    )
    offer.is_active = True
    offer.requests_per_term = int(requests_per_term)
    offer.phase = phase
    offer.note = note
    offer.offered_by = user if getattr(user, "is_authenticated", False) else None
    record_change(offer, user=user, reason="Peer support offered" if offer.pk is None else "Peer support offer changed")
    offer.save()
    existing = {(t.standard_key, t.requirement_key): t for t in offer.topics.all()}
    for key, topic in existing.items():
        if key not in chosen:
            topic.delete()
    Topic.objects.bulk_create(
        [Topic(offer=offer, standard_key=s, requirement_key=r) for s, r in sorted(chosen - set(existing))]
    )
    return offer


@transaction.atomic
def offer_withdraw(*, offer: Offer, user: Any) -> Offer:
    """Stop offering help. Requests already accepted carry on; waiting ones stay for the school to answer."""
    offer.is_active = False
    record_change(offer, user=user, reason="Peer support offer withdrawn")
    offer.save(update_fields=["is_active", "updated_at"])
    return offer


# --- Requests ---


@transaction.atomic
def help_request_send(
    *,
    asker: Establishment,
    helper_urn: str,
    standard_key: str,
    requirement_key: str,
    message: str,
    user: Any,
    today: datetime.date | None = None,
) -> HelpRequest:
    today = today or timezone.localdate()
    message = (message or "").strip()
    if not message:
        raise PeerError("Enter a message to the school")
    if len(message) > MESSAGE_LENGTH:
        raise PeerError(f"The message must be {MESSAGE_LENGTH:,} characters or fewer")
    if selectors.requirement_get(standard_key=standard_key, requirement_key=requirement_key) is None:
        raise PeerError("There is no such requirement")
    status = selectors.requirement_status(
        establishment=asker, standard_key=standard_key, requirement_key=requirement_key
    )
    if status == selectors.MEETS:
        raise PeerError("Your school already meets this requirement")
    if selectors.open_request(establishment=asker, standard_key=standard_key, requirement_key=requirement_key):
        raise PeerError("Your school already has an open request about this requirement")
    helper = selectors.helper_offer(
        establishment=asker,
        helper_urn=helper_urn,
        standard_key=standard_key,
        requirement_key=requirement_key,
        today=today,
    )
    if helper is None:
        raise PeerError("That school is not taking requests about this requirement")
    offer = Offer.objects.select_for_update().get(pk=helper.offer.pk)  # one count at a time per offer
    if helper.requests_left <= 0 or selectors.requests_this_term(offer=offer, today=today) >= offer.requests_per_term:
        raise PeerError("That school has had as many requests as it can take this term")
    help_request = HelpRequest(
        offer=offer,
        helper=helper.establishment,
        asker=asker,
        standard_key=standard_key,
        requirement_key=requirement_key,
        term=selectors.current_term_code(today),
        message=message,
        asked_by=user if getattr(user, "is_authenticated", False) else None,
    )
    record_change(help_request, user=user, reason="Peer support requested")
    try:
        with transaction.atomic():
            help_request.save()
    except IntegrityError:
        raise PeerError("Your school already has an open request about this requirement") from None
    topic = topic_title(standard_key, requirement_key)
    for person in people_to_tell(helper.establishment):
        notifications.email_enqueue(
            to_email=person.email,
            template_key="peer_request_received",
            personalisation={
                "helper_school": helper.establishment.name,
                "asker_school": asker.name,
                "topic": topic,
                "message": message,
                "request_url": _request_url(help_request, helper.establishment),
            },
            organisation=helper.establishment,
        )
    return help_request


def _locked(help_request: HelpRequest, allowed: tuple[str, ...], wrong: str) -> HelpRequest:
    locked = (
        HelpRequest.objects.select_for_update(of=("self",))
        .select_related("asker", "helper", "asked_by")
        .get(pk=help_request.pk)
    )
    if locked.status not in allowed:
        raise PeerError(wrong)
    return locked


@transaction.atomic
def help_request_accept(*, help_request: HelpRequest, user: Any) -> HelpRequest:
    help_request = _locked(help_request, (HelpRequest.Status.WAITING,), "This request has already been answered")
    help_request.status = HelpRequest.Status.ACCEPTED
    help_request.answered_by = user if getattr(user, "is_authenticated", False) else None
    help_request.answered_at = timezone.now()
    record_change(help_request, user=user, reason="Peer support request accepted")
    help_request.save()
    _tell_the_asker(
        help_request,
        template_key="peer_request_accepted",
        personalisation={
            "helper_name": _name(help_request.answered_by),
            "helper_email": help_request.answered_by.email if help_request.answered_by else "",
            "request_url": _request_url(help_request, help_request.asker),
        },
    )
    return help_request


@transaction.atomic
def help_request_decline(*, help_request: HelpRequest, user: Any, reason: str = "") -> HelpRequest:
    reason = (reason or "").strip()
    if len(reason) > FEEDBACK_LENGTH:
        raise PeerError(f"The reason must be {FEEDBACK_LENGTH} characters or fewer")
    help_request = _locked(help_request, (HelpRequest.Status.WAITING,), "This request has already been answered")
    help_request.status = HelpRequest.Status.DECLINED
    help_request.answered_by = user if getattr(user, "is_authenticated", False) else None
    help_request.answered_at = timezone.now()
    help_request.decline_reason = reason
    record_change(help_request, user=user, reason="Peer support request declined")
    help_request.save()
    _tell_the_asker(
        help_request,
        template_key="peer_request_declined",
        personalisation={
            "reason": reason or "No reason was given.",
            "find_url": _find_url(help_request),
        },
    )
    return help_request


def _tell_the_asker(help_request: HelpRequest, *, template_key: str, personalisation: dict, **options) -> None:
    """Email the person who asked (if still active with an address), for the asking school, naming
    both schools and the topic as every one of these emails does."""
    asker = help_request.asked_by
    if asker and asker.is_active and asker.email:
        notifications.email_enqueue(
            to_email=asker.email,
            template_key=template_key,
            personalisation={
                "asker_school": help_request.asker.name,
                "helper_school": help_request.helper.name,
                "topic": topic_title(help_request.standard_key, help_request.requirement_key),
                **personalisation,
            },
            organisation=help_request.asker,
            **options,
        )


def _find_url(help_request: HelpRequest) -> str:
    return _absolute(
        reverse(
            "peer:find",
            kwargs={
                "urn": help_request.asker.urn,
                "standard_key": help_request.standard_key,
                "requirement_key": help_request.requirement_key,
            },
        )
    )


@transaction.atomic
def help_request_expire(*, help_request: HelpRequest) -> HelpRequest | None:
    """Close a request nobody answered (the scheduled run, four weeks on) and tell the person who asked,
    so the asking school can ask another. None when it was answered meanwhile."""
    try:
        help_request = _locked(help_request, (HelpRequest.Status.WAITING,), "This request has already been answered")
    except PeerError:
        return None
    help_request.status = HelpRequest.Status.EXPIRED
    record_change(help_request, user=None, reason="Closed: no answer in time")
    help_request.save()
    _tell_the_asker(
        help_request,
        template_key="peer_request_expired",
        personalisation={
            "find_url": _find_url(help_request),
        },
        dedupe_key=f"peer-expired:{help_request.pk}",
    )
    return help_request


@transaction.atomic
def help_request_withdraw(*, help_request: HelpRequest, user: Any) -> HelpRequest:
    help_request = _locked(help_request, HelpRequest.OPEN_STATUSES, "This request is already closed")
    help_request.status = HelpRequest.Status.WITHDRAWN
    record_change(help_request, user=user, reason="Peer support request withdrawn")
    help_request.save()
    return help_request


@transaction.atomic
def help_request_done(*, help_request: HelpRequest, user: Any) -> HelpRequest:
    help_request = _locked(help_request, (HelpRequest.Status.ACCEPTED,), "Only an accepted request can be done")
    help_request.status = HelpRequest.Status.DONE
    help_request.done_at = timezone.now()
    record_change(help_request, user=user, reason="Peer support marked done")
    help_request.save()
    return help_request


@transaction.atomic
def help_request_feedback(*, help_request: HelpRequest, user: Any, helpful: bool, feedback: str) -> HelpRequest:
    feedback = (feedback or "").strip()
    if len(feedback) > FEEDBACK_LENGTH:
        raise PeerError(f"Feedback must be {FEEDBACK_LENGTH} characters or fewer")
    help_request = _locked(help_request, (HelpRequest.Status.DONE,), "Give feedback once the help is done")
    if help_request.feedback_at is not None:
        raise PeerError("Feedback has already been given")
    help_request.helpful = bool(helpful)
    help_request.feedback = feedback
    help_request.feedback_at = timezone.now()
    record_change(help_request, user=user, reason="Peer support feedback given")
    help_request.save()
    return help_request
