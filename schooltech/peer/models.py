"""Peer support: schools that meet a requirement offer to help schools that do not yet.

An Offer is one school's opt-in (made by its own approver): the topics it will help with (requirements its
latest self-assessment meets), how many requests a term it will take, which phase of school it will help
and a short note. Other schools see only what the offer says plus the school's public GIAS facts.

A HelpRequest is one school asking another for help on one topic. Nobody's email address is shown until
the helper accepts. One open request per asking school and requirement; an offer takes at most its
`requests_per_term` requests a term.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from schooltech.organisations.models import Establishment

NOTE_LENGTH = 500
MESSAGE_LENGTH = 1500
FEEDBACK_LENGTH = 500
MAX_REQUESTS_PER_TERM = 10


class PhaseHelped(models.TextChoices):
    """Which schools an offer is for, matched against the asking school's Ofsted phase."""

    ANY = "any", "Any phase"
    PRIMARY = "Primary", "Primary schools"
    SECONDARY = "Secondary", "Secondary schools"
    SPECIAL = "Special", "Special schools"


class Offer(models.Model):
    """A school's offer of peer support. At most one per school; withdrawing keeps the row, inactive."""

    establishment = models.OneToOneField(Establishment, on_delete=models.CASCADE, related_name="peer_offer")
    is_active = models.BooleanField(default=True)
    requests_per_term = models.PositiveSmallIntegerField(default=2)
    phase = models.CharField(max_length=10, choices=PhaseHelped.choices, default=PhaseHelped.ANY)
    note = models.TextField(blank=True, max_length=NOTE_LENGTH)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(requests_per_term__gte=1, requests_per_term__lte=MAX_REQUESTS_PER_TERM),
                name="peer_offer_requests_per_term_range",
            )
        ]

    def __str__(self) -> str:
        return f"Peer support from {self.establishment.name}"

    def helps_phase(self, ofsted_phase: str) -> bool:
        return self.phase == PhaseHelped.ANY or self.phase == ofsted_phase


class Topic(models.Model):
    """One requirement an offer will help with."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="topics")
    standard_key = models.SlugField(max_length=60)
    requirement_key = models.SlugField(max_length=60)

    class Meta:
        ordering = ["standard_key", "requirement_key"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "standard_key", "requirement_key"], name="peer_topic_unique")
        ]
        indexes = [models.Index(fields=["standard_key", "requirement_key"])]

    def __str__(self) -> str:
        return f"{self.standard_key}/{self.requirement_key}"


class HelpRequest(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        DONE = "done", "Done"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Closed: no answer in time"

    OPEN_STATUSES = (Status.WAITING, Status.ACCEPTED)

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="requests")
    helper = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="peer_requests_received")
    asker = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="peer_requests_sent")
    standard_key = models.SlugField(max_length=60)
    requirement_key = models.SlugField(max_length=60)
    term = models.CharField(max_length=20, help_text="The term it was asked in, e.g. 2026-autumn")
    message = models.TextField(max_length=MESSAGE_LENGTH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True, max_length=FEEDBACK_LENGTH)
    done_at = models.DateTimeField(null=True, blank=True)
    helpful = models.BooleanField(null=True, blank=True, help_text="The asking school's answer: did it help?")
    feedback = models.TextField(blank=True, max_length=FEEDBACK_LENGTH)
    feedback_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-asked_at", "-pk"]
        constraints = [
            # One open request per asking school and requirement: no school asks everyone at once.
            models.UniqueConstraint(
                fields=["asker", "standard_key", "requirement_key"],
                condition=Q(status__in=["waiting", "accepted"]),
                name="peer_one_open_request_per_requirement",
            ),
            models.CheckConstraint(condition=~Q(asker=models.F("helper")), name="peer_request_not_to_self"),
        ]
        indexes = [models.Index(fields=["offer", "term"])]

    def __str__(self) -> str:
        return f"{self.asker.name} asked {self.helper.name} about {self.standard_key}/{self.requirement_key}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def contacts_shared(self) -> bool:
        """Email addresses are shown to both schools only once the helper has accepted."""
        return self.status in (self.Status.ACCEPTED, self.Status.DONE)
