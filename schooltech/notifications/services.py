"""Writes for notifications: queue an email in the caller's transaction, send it, record receipts."""

import logging
import random
import re
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from schooltech.notifications import gateway, registry, selectors, tasks, templates
from schooltech.notifications.models import (
    Frequency,
    NotificationPreference,
    OutboxMessage,
    ScheduledRun,
    SendBudget,
    SentReminder,
    Share,
)

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status

# A worker waits in-process for a send token up to this long; beyond it, it hands the message back.
MAX_INLINE_WAIT_SECONDS = 5.0
# A message claimed longer ago than this is treated as abandoned by a worker that died.
SENDING_LEASE = timedelta(minutes=5)
# A pending message still waiting this long after it was due has lost its task.
REENQUEUE_GRACE = timedelta(minutes=2)


class RetryNotAllowed(Exception):
    pass


class DailyCapReached(Exception):
    def __init__(self, resume_at: datetime):
        super().__init__(f"Daily sending cap of {settings.NOTIFY_DAILY_CAP} reached; resuming at {resume_at}")
        self.resume_at = resume_at


def _enqueue_send_on_commit(message_id: int, run_after: datetime | None = None) -> None:
    def enqueue() -> None:
        task = tasks.send_outbox_message
        if run_after is not None and run_after > timezone.now():
            task = task.using(run_after=run_after)
        task.enqueue(message_id=message_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def email_enqueue(
    *,
    to_email: str,
    template_key: str,
    personalisation: dict[str, str],
    organisation: models.Model | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """Write an email to the outbox in the caller's transaction; it is sent after that commits.

    Raises templates.TemplateError for an unknown template or missing or unexpected personalisation.
    With a dedupe_key, queuing the same reminder again returns the existing message.
    """
    templates.check_personalisation(template_key, personalisation)
    if dedupe_key is not None:
        existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    message = OutboxMessage(
        to_email=to_email.strip(),
        template_key=template_key,
        personalisation=dict(personalisation),
        dedupe_key=dedupe_key,
    )
    if organisation is not None:
        message.organisation_type = ContentType.objects.get_for_model(organisation)
        message.organisation_id = str(organisation.pk)
        message.organisation_name = str(getattr(organisation, "name", organisation))[:255]
    message.full_clean(exclude=["personalisation", "dedupe_key", "reference"])
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        if dedupe_key is None:
            raise
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    _enqueue_send_on_commit(message.pk)
    return message


# Sending ------------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter: base, 2 x base, 4 x base and so on, capped at the maximum."""
    base = settings.NOTIFY_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    capped = min(base, settings.NOTIFY_RETRY_MAX_SECONDS)
    return timedelta(seconds=capped * random.uniform(0.8, 1.0))  # jitter, not security


def _claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """Mark a due message as being sent by this worker, or return None if it is not ours to send.

    The same transaction takes a send token (one commit fewer per message, which matters on
    SQLite); the result is left on the message as `token_wait` (0 = go ahead) or `daily_cap`.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return None
        due = message.status == Status.PENDING and (message.next_attempt_at is None or message.next_attempt_at <= now)
        claimed_at = message.claimed_at
        abandoned = message.status == Status.SENDING and claimed_at is not None and claimed_at <= now - SENDING_LEASE
        if not (due or abandoned):
            return None
        # A worker that died mid-send may have reached Notify, as may an attempt with no answer.
        message.previously_unknown = message.outcome_unknown or abandoned
        message.token_wait, message.daily_cap = None, None
        try:
            with transaction.atomic():
                message.token_wait = send_token_take(now=now)
        except DailyCapReached as cap:
            message.daily_cap = cap
        # From here a send may reach Notify, so a worker that dies leaves the outcome unknown.
        message.outcome_unknown = message.previously_unknown or message.token_wait == 0
        message.status = Status.SENDING
        message.claimed_at = now
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "attempts", "outcome_unknown", "updated_at"])
        return message


def _budget_key() -> str:
    return settings.NOTIFY_API_KEY[-73:-37] or "notify"


def _next_midnight(now: datetime) -> datetime:
    local = timezone.localtime(now)
    tomorrow = (local + timedelta(days=1)).date()
    return timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))


def send_token_take(*, now: datetime | None = None) -> float:
    """Take one send from the budget shared by all workers.

    Returns 0 when the send may go ahead, otherwise the seconds to wait before asking again.
    Raises DailyCapReached when today's cap is used up. The bucket refills at
    NOTIFY_SEND_RATE_PER_MINUTE and holds at most NOTIFY_SEND_BURST, so no 60-second window
    can see more than burst + rate sends (kept under Notify's rolling 3,000 a minute).
    """
    now = now or timezone.now()
    key = _budget_key()
    SendBudget.objects.get_or_create(key=key, defaults={"tokens": settings.NOTIFY_SEND_BURST, "refilled_at": now})
    with transaction.atomic():
        budget = SendBudget.objects.select_for_update().get(key=key)
        today = timezone.localdate(now)
        if budget.day != today:
            budget.day, budget.sent_today = today, 0
        if budget.sent_today >= settings.NOTIFY_DAILY_CAP:
            raise DailyCapReached(_next_midnight(now))
        rate = settings.NOTIFY_SEND_RATE_PER_MINUTE / 60
        elapsed = max((now - budget.refilled_at).total_seconds(), 0)
        tokens = min(settings.NOTIFY_SEND_BURST, budget.tokens + elapsed * rate)
        if tokens < 1:
            return (1 - tokens) / rate
        budget.tokens = tokens - 1
        budget.refilled_at = max(now, budget.refilled_at)
        budget.sent_today += 1
        budget.save()
        return 0.0


def _wait_for_token(wait: float) -> float:
    """Wait briefly for a send token; returns 0 once taken, else the longer wait still needed."""
    while 0 < wait <= MAX_INLINE_WAIT_SECONDS:
        time.sleep(wait)
        wait = send_token_take()
    return wait


def _update_sending(message: OutboxMessage, **fields) -> int:
    """Update a message only while it is still ours (a receipt may already have moved it on)."""
    fields["updated_at"] = timezone.now()
    return OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at).update(
        **fields
    )


def _release(message: OutboxMessage, *, run_after: datetime, error: str = "") -> None:
    """Hand a message back to the outbox, unsent and with the attempt not counted, to go at run_after."""
    with transaction.atomic():
        fields = {
            "status": Status.PENDING,
            "next_attempt_at": run_after,
            "attempts": message.attempts - 1,
            "outcome_unknown": message.previously_unknown,
        }
        if error:
            fields["last_error"] = error
        if _update_sending(message, **fields):
            _enqueue_send_on_commit(message.pk, run_after)


def _retry_later(message: OutboxMessage, error: gateway.NotifyError) -> str:
    reason = f"Attempt {message.attempts}: {error}"
    if message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        _update_sending(message, status=Status.FAILED, next_attempt_at=None, last_error=reason)
        logger.error("notify send gave up", extra={"message_id": message.pk, "error": str(error)})
        return "failed"
    fields = {"outcome_unknown": error.outcome_unknown or message.previously_unknown}
    with transaction.atomic():
        run_after = timezone.now() + retry_delay(message.attempts)
        if _update_sending(message, status=Status.PENDING, next_attempt_at=run_after, last_error=reason, **fields):
            _enqueue_send_on_commit(message.pk, run_after)
    logger.warning("notify send will be retried", extra={"message_id": message.pk, "error": str(error)})
    return "retry"


def _mark_accepted(message: OutboxMessage, notify_id: str) -> str:
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(
        notify_id=notify_id,
        sent_at=models.functions.Coalesce("sent_at", models.Value(now)),
        outcome_unknown=False,
        next_attempt_at=None,
        last_error="",
        status=models.Case(
            models.When(status=Status.SENDING, then=models.Value(Status.ACCEPTED)), default=models.F("status")
        ),
        updated_at=now,
    )
    return "accepted"


def outbox_message_send(*, message_id: int) -> str:
    """Send one outbox message if it is due. Safe to call any number of times for the same message."""
    message = _claim(message_id, timezone.now())
    if message is None:
        return "not-due"
    try:
        if message.daily_cap:
            raise message.daily_cap
        if message.previously_unknown:
            earlier = gateway.find_email_by_reference(message.reference)
            if earlier is not None:
                return _mark_accepted(message, earlier.id)
        if message.token_wait:
            wait = _wait_for_token(message.token_wait)
            if wait:
                _release(message, run_after=timezone.now() + timedelta(seconds=wait))
                return "rate-limited"
            _update_sending(message, outcome_unknown=True)
        notify_id = gateway.send_email(
            to_email=message.to_email,
            template_id=templates.notify_template_id(message.template_key),
            personalisation=message.personalisation,
            reference=message.reference,
        )
    except DailyCapReached as cap:
        _release(message, run_after=cap.resume_at, error=str(cap))
        return "daily-cap"
    except gateway.PermanentNotifyError as error:
        _update_sending(
            message,
            status=Status.REJECTED,
            next_attempt_at=None,
            outcome_unknown=False,
            last_error=f"Attempt {message.attempts}: {error}",
        )
        return "rejected"
    except gateway.NotifyError as error:
        return _retry_later(message, error)
    return _mark_accepted(message, notify_id)


@transaction.atomic
def outbox_message_retry(*, message_id: int) -> OutboxMessage:
    """Support's retry of a failed message: queue it to send again now, keeping its reference."""
    message = OutboxMessage.objects.select_for_update().get(pk=message_id)
    if not message.can_retry:
        status = message.get_status_display().lower()
        raise RetryNotAllowed(f"Only failed messages can be sent again; this one is {status}")
    if message.status in OutboxMessage.RECEIPT_STATUSES:
        # Notify has this reference already; a new reference lets the retry through its records.
        message.reference = OutboxMessage._meta.get_field("reference").default()
        message.notify_id = None
        message.sent_at = None
        message.outcome_unknown = False
    message.status = Status.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.completed_at = None
    message.save()
    _enqueue_send_on_commit(message.pk)
    return message


def outbox_due_enqueue(*, now: datetime | None = None) -> int:
    """Enqueue a send for every message overdue (its own task was lost) or abandoned by a dead worker.

    Messages due within the last few minutes are left to the task queued with them, so a
    frequent scheduler does not double the queue.
    """
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(
        models.Q(status=Status.PENDING, next_attempt_at__lte=now - REENQUEUE_GRACE)
        | models.Q(status=Status.SENDING, claimed_at__lte=now - SENDING_LEASE)
    ).values_list("pk", flat=True)
    count = 0
    with transaction.atomic():
        for message_id in due.iterator():
            _enqueue_send_on_commit(message_id)
            count += 1
    return count


# Delivery receipts --------------------------------------------------------------------------------


class ReceiptError(ValueError):
    pass


@dataclass(frozen=True)
class Receipt:
    notify_id: str
    reference: str | None
    status: str
    completed_at: datetime | None


@transaction.atomic
def receipt_record(*, receipt: Receipt) -> OutboxMessage:
    """Record Notify's final status for a message, found by Notify id or by our reference."""
    if receipt.status not in OutboxMessage.RECEIPT_STATUSES:
        raise ReceiptError(f"Unknown status {receipt.status!r}")
    lookup = models.Q(notify_id=receipt.notify_id)
    if receipt.reference:
        lookup |= models.Q(reference=receipt.reference)
    message = OutboxMessage.objects.select_for_update().filter(lookup).first()
    if message is None:
        raise OutboxMessage.DoesNotExist(f"No message with Notify id {receipt.notify_id}")
    message.status = receipt.status
    message.notify_id = receipt.notify_id
    message.completed_at = receipt.completed_at or timezone.now()
    message.sent_at = message.sent_at or message.completed_at
    message.next_attempt_at = None
    message.outcome_unknown = False
    message.save()
    return message


# Preferences --------------------------------------------------------------------------------------


@transaction.atomic
def preferences_update(*, user, choices: dict[str, str]) -> None:
    """Save how often this person wants each kind of reminder."""
    for kind, frequency in choices.items():
        if kind not in registry.kind_keys() or frequency not in Frequency.values:
            raise ValueError(f"Unknown reminder kind or frequency: {kind}={frequency}")
    for kind, frequency in choices.items():
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"frequency": frequency})
    selectors.forget_preferences(user)


# Reminders ----------------------------------------------------------------------------------------


@transaction.atomic
def reminder_send(
    *,
    user,
    kind: str,
    subjects: list[tuple[models.Model, date]],
    template_key: str,
    personalisation: dict[str, str] | None,
    organisation: models.Model | None = None,
    now: datetime | None = None,
) -> OutboxMessage | None:
    """Queue one reminder email and record it in the ledger, once per (person, kind, subject, occurrence).

    `subjects` are the things the email is about, each with the date its reminder fell due; an
    email may cover several (a school's plan actions due this fortnight). With no personalisation
    only the ledger is written (a weekly digest with nothing in it). Returns None, queuing nothing,
    when any of them was already recorded, so a second run of the scheduler sends nothing new.
    """
    if not subjects:
        raise ValueError("A reminder needs at least one subject")
    try:
        with transaction.atomic():
            message = None
            if personalisation is not None:
                message = email_enqueue(
                    to_email=user.email,
                    template_key=template_key,
                    personalisation=personalisation,
                    organisation=organisation,
                )
            SentReminder.objects.bulk_create(
                SentReminder(
                    user=user,
                    kind=kind,
                    subject_type=ContentType.objects.get_for_model(subject),
                    subject_id=str(subject.pk),
                    occurrence=occurrence,
                    message=message,
                    created_at=now or timezone.now(),
                )
                for subject, occurrence in subjects
            )
    except IntegrityError:
        # Another run recorded it first; the savepoint took our outbox message (and its task) with it.
        return None
    return message


# --- The scheduler's hourly claim ---------------------------------------------------------------------


def scheduled_run_slot(now: datetime) -> str:
    """The local hour a scheduled run belongs to, e.g. "2026-12-01T09"."""
    return timezone.localtime(now).strftime("%Y-%m-%dT%H")


def scheduled_run_claim(*, now: datetime, runner: str) -> str | None:
    """Claim this hour's run for one scheduler; None when another copy already has it."""
    slot = scheduled_run_slot(now)
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(slot=slot, runner=runner[:200], started_at=now)
    except IntegrityError:
        return None
    return slot


def scheduled_run_finish(*, slot: str, results: list[tuple[str, int | None]]) -> None:
    ScheduledRun.objects.filter(slot=slot).update(finished_at=timezone.now(), results=dict(results))


# Sharing a page by email ---------------------------------------------------------------------------

MAX_SHARE_RECIPIENTS = 10  # addresses in one share
MAX_SHARES_PER_DAY = 20  # shares one person may send in 24 hours: a service, not a mailing tool
MAX_SHARE_MESSAGE = 1000
SHARE_TEMPLATE = "shared_by_email"


class ShareError(ValueError):
    pass


def share_recipients(text: str) -> list[str]:
    """The addresses in what the sender typed (one a line, or separated by commas, semicolons or
    spaces), each checked, duplicates dropped; raises ShareError naming the first problem."""
    validate = EmailValidator()
    found: dict[str, str] = {}
    for part in re.split(r"[\s,;]+", text or ""):
        address = part.strip()
        if not address:
            continue
        if len(address) > 254:
            raise ShareError("Enter email addresses of 254 characters or fewer")
        try:
            validate(address)
        except ValidationError:
            raise ShareError(
                f"Enter email addresses in the correct format, like name@example.org ({address[:60]} is not)"
            ) from None
        found.setdefault(address.lower(), address)
    if not found:
        raise ShareError("Enter at least one email address")
    if len(found) > MAX_SHARE_RECIPIENTS:
        raise ShareError(f"Enter {MAX_SHARE_RECIPIENTS} email addresses or fewer")
    return list(found.values())


@transaction.atomic
def share_send(
    *,
    sender,
    organisation: models.Model,
    what: str,
    title: str,
    summary: str,
    link: str,
    recipients: list[str],
    message: str,
    now: datetime | None = None,
) -> Share:
    """Email a page to the addresses the sender named, one email each through the outbox, and record it.

    Nobody else is emailed: not the organisation's people, not the sender. Limits: 10 addresses a share,
    20 shares a person a day, a message of 1,000 characters."""
    now = now or timezone.now()
    addresses = share_recipients("\n".join(recipients))
    message = (message or "").strip()
    if len(message) > MAX_SHARE_MESSAGE:
        raise ShareError(f"The message must be {MAX_SHARE_MESSAGE:,} characters or fewer")
    recent = Share.objects.filter(sender=sender, created_at__gte=now - timedelta(days=1)).count()
    if recent >= MAX_SHARES_PER_DAY:
        raise ShareError(f"You have shared {MAX_SHARES_PER_DAY} times in the last 24 hours. Try again tomorrow.")
    sender_name = (sender.get_full_name() or sender.email).strip() or "Someone"
    share = Share.objects.create(
        sender=sender,
        organisation_type=ContentType.objects.get_for_model(organisation),
        organisation_id=str(organisation.pk),
        organisation_name=str(getattr(organisation, "name", organisation))[:255],
        what=what[:100],
        title=title[:300],
        link=link[:500],
        recipients=addresses,
        message=message,
        created_at=now,
    )
    for address in addresses:
        email_enqueue(
            to_email=address,
            template_key=SHARE_TEMPLATE,
            personalisation={
                "sender_name": sender_name,
                "organisation_name": share.organisation_name,
                "what": what,
                "title": title,
                "message": message or "No message.",
                "summary": summary,
                "link": f"{settings.SERVICE_BASE_URL.rstrip('/')}{link}",
            },
            organisation=organisation,
        )
    return share
