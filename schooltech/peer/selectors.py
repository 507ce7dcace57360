"""Reads for peer support: what a school meets and offers, schools like yours that offer help, the
requests a school sent and received, trusts' and authorities' view of their schools' offers, and the
department's counts by region and standard."""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from schooltech.core.calendar import term_of
from schooltech.organisations.models import Establishment
from schooltech.organisations.reference import Organisation
from schooltech.organisations.selectors import establishments_looked_after
from schooltech.peer.models import HelpRequest, Offer, Topic
from schooltech.standards import selectors as standards

# Requirement statuses as the standards' results store them (standards.models.Status values).
MEETS = "meets"
NOT_MET = ("partly", "does_not_meet")
NOT_ASSESSED = "not_assessed"

SEARCH_DISTANCES_KM = (5, 10, 25, 50)  # the choices in the find-help filter; 0 means any distance
MOST_HELPERS_SHOWN = 20


@dataclass(frozen=True)
class MetRequirement:
    standard_key: str
    standard_title: str
    requirement: Any  # a standards Requirement

    @property
    def key(self) -> str:
        return f"{self.standard_key}/{self.requirement.key}"


def current_term_code(today: datetime.date) -> str:
    return term_of(today).code


def requirement_get(*, standard_key: str, requirement_key: str) -> Any:
    return standards.current_requirements().get((standard_key, requirement_key))


def _statuses(establishment_ids: list[int]) -> dict[tuple[int, str, str], str]:
    """(establishment id, standard key, requirement key) -> status, from each latest submitted assessment."""
    statuses: dict[tuple[int, str, str], str] = {}
    latest = standards.latest_results_by_standard(establishments=Establishment.objects.filter(pk__in=establishment_ids))
    for (establishment_id, standard_key), assessment in latest.items():
        for result in assessment.results or []:
            statuses[establishment_id, standard_key, result.get("requirement", "")] = result.get("status", "")
    return statuses


def requirement_status(*, establishment: Establishment, standard_key: str, requirement_key: str) -> str:
    """Meets, partly, does not meet or not assessed, by the school's latest submitted assessment."""
    return _statuses([establishment.pk]).get((establishment.pk, standard_key, requirement_key), NOT_ASSESSED)


def requirements_unmet(*, establishment: Establishment) -> list[tuple[str, Any]]:
    """(standard key, requirement) the school's latest assessments say it partly meets or does not meet."""
    statuses = _statuses([establishment.pk])
    return [
        (standard_key, requirement)
        for (standard_key, _), requirement in standards.current_requirements().items()
        if statuses.get((establishment.pk, standard_key, requirement.key)) in NOT_MET
    ]


def requirements_met(*, establishment: Establishment) -> list[MetRequirement]:
    """The current requirements the school's latest assessments say it meets, in catalogue order."""
    statuses = _statuses([establishment.pk])
    titles = {standard.key: standard.title for standard in standards.current_standards()}
    met = []
    for (standard_key, _), requirement in standards.current_requirements().items():
        if statuses.get((establishment.pk, standard_key, requirement.key)) == MEETS:
            met.append(MetRequirement(standard_key, titles.get(standard_key, standard_key), requirement))
    order = list(titles)
    return sorted(
        met, key=lambda m: (order.index(m.standard_key) if m.standard_key in order else 99, m.requirement.position)
    )


def offer_of(*, establishment: Establishment) -> Offer | None:
    return Offer.objects.filter(establishment=establishment).prefetch_related("topics").first()


def requests_waiting(
    *,
    asked_before: datetime.datetime | None = None,
    asked_after: datetime.datetime | None = None,
    helpers: QuerySet[Establishment] | None = None,
) -> QuerySet[HelpRequest]:
    """Requests waiting for the helping school's answer, oldest first: asked in a window, or to these schools."""
    waiting = HelpRequest.objects.filter(status=HelpRequest.Status.WAITING)
    if asked_before is not None:
        waiting = waiting.filter(asked_at__lte=asked_before)
    if asked_after is not None:
        waiting = waiting.filter(asked_at__gt=asked_after)
    if helpers is not None:
        waiting = waiting.filter(helper__in=helpers)
    return waiting.select_related("helper", "asker", "asked_by").order_by("asked_at", "pk")


def requests_this_term(*, offer: Offer, today: datetime.date) -> int:
    """Requests the offer received this term, whatever became of them (a declined one took time too)."""
    return HelpRequest.objects.filter(offer=offer, term=current_term_code(today)).count()


# --- Find help ---


@dataclass(frozen=True)
class Helper:
    offer: Offer
    establishment: Establishment
    distance_km: float | None
    requests_left: int

    @property
    def same_phase_as(self) -> str:
        return self.establishment.ofsted_phase


def distance_km(one: Establishment, other: Establishment) -> float | None:
    """Straight-line distance on the British National Grid (metres), in kilometres."""
    if None in (one.easting, one.northing, other.easting, other.northing):
        return None
    return math.hypot(one.easting - other.easting, one.northing - other.northing) / 1000


def helpers_for(
    *,
    establishment: Establishment,
    standard_key: str,
    requirement_key: str,
    within_km: int = 0,
    same_phase: bool = False,
    today: datetime.date,
) -> list[Helper]:
    """Schools offering help on this requirement that still meet it, take the asking school's phase and have
    room this term, nearest first (then closest in size). Only what the offer says and public GIAS facts."""
    offers = (
        Offer.objects.filter(
            is_active=True,
            topics__standard_key=standard_key,
            topics__requirement_key=requirement_key,
            establishment__status__in=Establishment.OPEN_STATUSES,
        )
        .exclude(establishment=establishment)
        .select_related("establishment")
    )
    if same_phase and establishment.ofsted_phase:
        offers = offers.filter(establishment__ofsted_phase=establishment.ofsted_phase)
    if within_km and establishment.easting is not None and establishment.northing is not None:
        box = within_km * 1000
        offers = offers.filter(
            establishment__easting__range=(establishment.easting - box, establishment.easting + box),
            establishment__northing__range=(establishment.northing - box, establishment.northing + box),
        )
    offers = [offer for offer in offers if offer.helps_phase(establishment.ofsted_phase)]
    if not offers:
        return []
    statuses = _statuses([offer.establishment_id for offer in offers])
    term = current_term_code(today)
    used = Counter(
        HelpRequest.objects.filter(offer__in=offers, term=term).values_list("offer_id", flat=True).order_by()
    )
    helpers = []
    for offer in offers:
        if statuses.get((offer.establishment_id, standard_key, requirement_key)) != MEETS:
            continue  # offered once, but its latest assessment no longer meets it
        left = offer.requests_per_term - used.get(offer.pk, 0)
        if left <= 0:
            continue
        distance = distance_km(establishment, offer.establishment)
        if within_km and establishment.easting is not None and (distance is None or distance > within_km):
            continue
        helpers.append(Helper(offer, offer.establishment, distance, left))

    def size_gap(helper: Helper) -> float:
        mine, theirs = establishment.number_of_pupils, helper.establishment.number_of_pupils
        if not mine or not theirs:
            return 9.0
        return abs(math.log(mine) - math.log(theirs))

    helpers.sort(
        key=lambda h: (
            h.distance_km is None,
            round(h.distance_km or 0, 0),
            h.establishment.ofsted_phase != establishment.ofsted_phase,
            size_gap(h),
            h.establishment.urn,
        )
    )
    return helpers[:MOST_HELPERS_SHOWN]


def helper_offer(
    *, establishment: Establishment, helper_urn: str, standard_key: str, requirement_key: str, today: datetime.date
) -> Helper | None:
    """The helping school's offer on this requirement if the asking school may see it (it covers the school's
    phase and the helper still meets it), or None. Its requests_left may be 0: full for this term."""
    for helper in helpers_for(
        establishment=establishment, standard_key=standard_key, requirement_key=requirement_key, today=today
    ):
        if helper.establishment.urn == helper_urn:
            return helper
    # helpers_for shows the nearest few; a school further away may still be asked if it was shown once
    offer = (
        Offer.objects.filter(
            establishment__urn=helper_urn,
            is_active=True,
            topics__standard_key=standard_key,
            topics__requirement_key=requirement_key,
            establishment__status__in=Establishment.OPEN_STATUSES,
        )
        .exclude(establishment=establishment)
        .select_related("establishment")
        .first()
    )
    if offer is None or not offer.helps_phase(establishment.ofsted_phase):
        return None
    if (
        requirement_status(
            establishment=offer.establishment, standard_key=standard_key, requirement_key=requirement_key
        )
        != MEETS
    ):
        return None
    left = offer.requests_per_term - requests_this_term(offer=offer, today=today)  # 0 or less: full this term
    return Helper(offer, offer.establishment, distance_km(establishment, offer.establishment), left)


def open_request(*, establishment: Establishment, standard_key: str, requirement_key: str) -> HelpRequest | None:
    return HelpRequest.objects.filter(
        asker=establishment,
        standard_key=standard_key,
        requirement_key=requirement_key,
        status__in=HelpRequest.OPEN_STATUSES,
    ).first()


# --- Requests ---


def requests_received(*, establishment: Establishment) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(helper=establishment).select_related("asker", "helper")


def requests_sent(*, establishment: Establishment) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(asker=establishment).select_related("asker", "helper")


def request_of(*, establishment: Establishment, pk: int) -> HelpRequest | None:
    """A request this school sent or received; None for anyone else's."""
    return (
        HelpRequest.objects.filter(Q(asker=establishment) | Q(helper=establishment), pk=pk)
        .select_related("asker", "helper", "asked_by", "answered_by")
        .first()
    )


# --- Trusts and local authorities ---


@dataclass(frozen=True)
class SchoolOffer:
    establishment: Establishment
    offer: Offer | None
    requirements_met: int


def offers_among(*, organisation: Organisation) -> list[SchoolOffer]:
    """Each open school the trust or authority looks after: its offer (if any) and how many requirements it
    meets, so the trust can encourage the schools that could help."""
    schools = list(establishments_looked_after(organisation=organisation).order_by("name"))
    offers = {
        offer.establishment_id: offer
        for offer in Offer.objects.filter(establishment__in=[s.pk for s in schools]).prefetch_related("topics")
    }
    met = Counter(
        establishment_id
        for (establishment_id, _, _), status in _statuses([s.pk for s in schools]).items()
        if status == MEETS
    )
    return [SchoolOffer(school, offers.get(school.pk), met.get(school.pk, 0)) for school in schools]


# --- The department ---


@dataclass(frozen=True)
class CountRow:
    region: str
    standard: str
    offers: int
    requests: int
    completed: int


def national_counts() -> list[CountRow]:
    """Active offers (one per school and standard), requests and completed requests, by the helping school's
    region and the standard. Totals only: never a school."""
    titles = {standard.key: standard.title for standard in standards.current_standards()}
    offers: Counter = Counter()
    for _, region, standard_key in (
        Topic.objects.filter(offer__is_active=True)
        .values_list("offer_id", "offer__establishment__region", "standard_key")
        .order_by()
        .distinct()
    ):
        offers[region or "Unknown", standard_key] += 1
    requests: Counter = Counter()
    completed: Counter = Counter()
    for region, standard_key, status in HelpRequest.objects.values_list("helper__region", "standard_key", "status"):
        requests[region or "Unknown", standard_key] += 1
        if status == HelpRequest.Status.DONE:
            completed[region or "Unknown", standard_key] += 1
    order = {key: position for position, key in enumerate(titles)}
    keys = sorted(set(offers) | set(requests), key=lambda k: (k[0], order.get(k[1], len(order)), k[1]))
    return [
        CountRow(region, titles.get(key, key), offers[region, key], requests[region, key], completed[region, key])
        for region, key in keys
    ]


def totals_by_region(rows: list[CountRow]) -> list[tuple[str, int, int, int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        totals[row.region][0] += row.offers
        totals[row.region][1] += row.requests
        totals[row.region][2] += row.completed
    return sorted((region, *numbers) for region, numbers in totals.items())
