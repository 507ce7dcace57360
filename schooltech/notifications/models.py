"""The outbox of emails for GOV.UK Notify, the shared send budget, and people's reminder preferences."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


def new_reference() -> str:
    return uuid.uuid4().hex


class OutboxMessage(models.Model):
    """One email, written in the same transaction as the change that caused it, then sent by a task."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        ACCEPTED = "accepted", "Accepted by Notify"
        DELIVERED = "delivered", "Delivered"
        PERMANENT_FAILURE = "permanent-failure", "Permanent failure"
        TEMPORARY_FAILURE = "temporary-failure", "Temporary failure"
        TECHNICAL_FAILURE = "technical-failure", "Technical failure"
        REJECTED = "rejected", "Rejected by Notify"
        FAILED = "failed", "Failed after retries"

    # Statuses a support user can send again.
    RETRYABLE = (
        Status.REJECTED,
        Status.FAILED,
        Status.PERMANENT_FAILURE,
        Status.TEMPORARY_FAILURE,
        Status.TECHNICAL_FAILURE,
    )
    # Statuses Notify reports in delivery receipts.
    RECEIPT_STATUSES = (
        Status.DELIVERED,
        Status.PERMANENT_FAILURE,
        Status.TEMPORARY_FAILURE,
        Status.TECHNICAL_FAILURE,
    )

    reference = models.CharField(
        max_length=64, unique=True, default=new_reference, help_text="Sent to Notify so a retry never sends twice"
    )
    dedupe_key = models.CharField(
        max_length=200, unique=True, null=True, blank=True, help_text="Stops a scheduled reminder being queued twice"
    )
    to_email = models.EmailField(max_length=320)
    template_key = models.CharField(max_length=100)
    personalisation = models.JSONField(default=dict)
    organisation_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    organisation_id = models.CharField(max_length=64, blank=True)
    organisation = GenericForeignKey("organisation_type", "organisation_id")
    organisation_name = models.CharField(max_length=255, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    outcome_unknown = models.BooleanField(
        default=False, help_text="A send may have reached Notify without an answer: look it up before sending again"
    )
    notify_id = models.UUIDField(null=True, blank=True, unique=True)
    last_error = models.TextField(blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["template_key"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.template_key} to {self.to_email} ({self.status})"

    @property
    def can_retry(self) -> bool:
        return self.status in self.RETRYABLE


class SendBudget(models.Model):
    """Notify's per-key limits, shared by every worker: a token bucket and today's count.

    One row per Notify service; workers lock it (SELECT ... FOR UPDATE on PostgreSQL, an
    IMMEDIATE transaction on SQLite) to take a token before each send.
    """

    key = models.CharField(max_length=64, primary_key=True)
    tokens = models.FloatField(default=0)
    refilled_at = models.DateTimeField(default=timezone.now)
    day = models.DateField(null=True, blank=True)
    sent_today = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Send budget {self.key}: {self.sent_today} sent on {self.day}"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "As soon as they are due"
    WEEKLY = "weekly", "In a weekly summary email"
    NEVER = "never", "Never"


class NotificationPreference(models.Model):
    """How often one person wants one kind of reminder; no row means the default (immediately)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, help_text="A reminder kind an app registered (registry.py)")
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATELY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique_kind")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {self.frequency}"


WEEKLY_DIGEST = "weekly_digest"  # the ledger's kind for the weekly summary (not a preference of its own)


class SentReminder(models.Model):
    """The ledger of reminders already sent: one row per person, kind, subject and occurrence.

    Written in the same transaction as the email it records, so a reminder is queued once however
    often the scheduler runs. A row without a message records a weekly digest that had nothing in it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders")
    kind = models.CharField(max_length=40)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    subject_id = models.CharField(max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    occurrence = models.DateField(help_text="The date this reminder fell due, e.g. 90 days before a notice deadline")
    message = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "subject_type", "subject_id", "occurrence"], name="sent_reminder_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "occurrence"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user} on {self.occurrence}"


class ScheduledRun(models.Model):
    """One run of the reminder jobs per hour, however many schedulers are running.

    A scheduler claims the hour by inserting its row (`slot` is unique), so when two copies of the
    service run the scheduler, one runs the jobs and the other sees the hour taken. The ledger of
    reminders (`SentReminder`) still stops a second email if two runs ever overlap.
    """

    slot = models.CharField(max_length=20, unique=True, help_text="The local hour claimed, e.g. 2026-12-01T09")
    runner = models.CharField(max_length=200, help_text="Which process ran it (host and process id)")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(default=dict, blank=True, help_text="Each job's name and how many it queued")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Scheduled run {self.slot} by {self.runner}"


class Share(models.Model):
    """Someone shared a page by email: what, from which organisation, to whom and with what message.

    The recipients are only the addresses the sender typed; each gets one email through the outbox.
    """

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="shares")
    organisation_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    organisation_id = models.CharField(max_length=64)
    organisation = GenericForeignKey("organisation_type", "organisation_id")
    organisation_name = models.CharField(max_length=255)
    what = models.CharField(max_length=100, help_text="For example: a recommendation")
    title = models.CharField(max_length=300)
    link = models.CharField(max_length=500, help_text="The shared page's path in this service")
    recipients = models.JSONField(default=list)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sender", "created_at"]),
            models.Index(fields=["organisation_type", "organisation_id", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} shared with {len(self.recipients)}"
