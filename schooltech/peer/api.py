"""JSON API for peer support: a school's offer of help and the requests it made and received.

Read only, and no more than the school's own pages show: the same policy ("view" the school), and
the other school's contact only once the helper has accepted (`HelpRequest.contacts_shared`).
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from schooltech.api.errors import COMMON_ERRORS
from schooltech.api.operations import operation, refuse_other_methods
from schooltech.organisations.models import Establishment
from schooltech.peer import selectors
from schooltech.peer.models import HelpRequest

router = Router(tags=["Peer support"])
LISTED = 200  # the newest requests each way, as the school's page lists fifty


class TopicOut(Schema):
    standard: str
    requirement: str


class OfferOut(Schema):
    active: bool
    topics: list[TopicOut]
    requests_per_term: int
    requests_this_term: int
    phase: str
    note: str
    updated_at: datetime.datetime


class ContactOut(Schema):
    school: str
    name: str
    email: str


class HelpRequestOut(Schema):
    id: int
    direction: str  # "sent" (this school asked) or "received" (this school was asked)
    asker_urn: str
    asker: str
    helper_urn: str
    helper: str
    standard: str
    requirement: str
    status: str
    message: str
    asked_at: datetime.datetime
    answered_at: datetime.datetime | None
    done_at: datetime.datetime | None
    helpful: bool | None
    contacts: list[ContactOut]  # empty until the helper accepts


@router.get(
    "/schools/{urn}/peer-support/offer",
    response={200: OfferOut, **COMMON_ERRORS},
    summary="A school's offer of peer support (404 when it has never offered)",
)
@operation("view", establishment="urn")
def school_offer(request: HttpRequest, establishment: Establishment):
    offer = selectors.offer_of(establishment=establishment)
    if offer is None:
        raise HttpError(404, f"{establishment.name} has not offered peer support")
    return OfferOut(
        active=offer.is_active,
        topics=[TopicOut(standard=t.standard_key, requirement=t.requirement_key) for t in offer.topics.all()],
        requests_per_term=offer.requests_per_term,
        requests_this_term=selectors.requests_this_term(offer=offer, today=timezone.localdate()),
        phase=offer.phase,
        note=offer.note,
        updated_at=offer.updated_at,
    )


def _contacts(help_request: HelpRequest) -> list[ContactOut]:
    if not help_request.contacts_shared:
        return []
    people = [(help_request.asker, help_request.asked_by), (help_request.helper, help_request.answered_by)]
    return [
        ContactOut(school=school.name, name=person.get_full_name(), email=person.email)
        for school, person in people
        if person is not None
    ]


def _request_out(help_request: HelpRequest, direction: str) -> HelpRequestOut:
    return HelpRequestOut(
        id=help_request.pk,
        direction=direction,
        asker_urn=help_request.asker.urn,
        asker=help_request.asker.name,
        helper_urn=help_request.helper.urn,
        helper=help_request.helper.name,
        standard=help_request.standard_key,
        requirement=help_request.requirement_key,
        status=help_request.status,
        message=help_request.message,
        asked_at=help_request.asked_at,
        answered_at=help_request.answered_at,
        done_at=help_request.done_at,
        helpful=help_request.helpful,
        contacts=_contacts(help_request),
    )


@router.get(
    "/schools/{urn}/peer-support/requests",
    response={200: list[HelpRequestOut], **COMMON_ERRORS},
    summary="Requests for help a school sent and received, newest first",
)
@operation("view", establishment="urn")
def school_requests(request: HttpRequest, establishment: Establishment):
    with_people = ("asked_by", "answered_by")
    sent = selectors.requests_sent(establishment=establishment).select_related(*with_people)[:LISTED]
    received = selectors.requests_received(establishment=establishment).select_related(*with_people)[:LISTED]
    rows = [_request_out(r, "sent") for r in sent] + [_request_out(r, "received") for r in received]
    return sorted(rows, key=lambda row: (row.asked_at, row.id), reverse=True)


for _path in ("/schools/{urn}/peer-support/offer", "/schools/{urn}/peer-support/requests"):
    refuse_other_methods(router, _path, allowed=["GET"], establishment="urn")
