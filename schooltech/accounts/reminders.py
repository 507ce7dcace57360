"""The accounts app's reminders: access requests waiting for an approver.

Registered with notifications in `AccountsConfig.ready()`: a scheduled job passing requests nobody
answered in time to support, a nudge to the organisation's approvers, and the digest's lines.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from schooltech.accounts import selectors, services
from schooltech.accounts.models import AccessRequest
from schooltech.core import jobs
from schooltech.notifications import registry, reminders

KIND = "access_request_waiting"


def _review_url(access_request: AccessRequest) -> str:
    return reminders.absolute(
        reverse(
            "accounts:request_review",
            kwargs={"organisation": access_request.organisation_ref, "access_request_id": access_request.pk},
        )
    )


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def access_requests_waiting(*, now: datetime) -> int:
    """Pass access requests nobody answered in time to support."""
    return services.access_requests_escalate(now=now)


def _nudge(access_request: AccessRequest, *, waited: timedelta, now: datetime) -> int:
    organisation = access_request.organisation
    return reminders.send_to_each(
        selectors.approvers_of(organisation=organisation),
        kind=KIND,
        subjects=[(access_request, timezone.localdate(access_request.created_at + waited))],
        template_key="access_request_waiting",
        personalisation={
            "organisation_name": access_request.organisation_name,
            "requester_name": services.display_name(access_request.requester),
            "requester_email": access_request.requester.email,
            "days_waiting": _days((now - access_request.created_at).days),
            "review_url": _review_url(access_request),
            "preferences_url": reminders.preferences_url(),
        },
        organisation=organisation if isinstance(organisation, Model) else None,
        now=now,
    )


def access_requests_nudge(*, now: datetime) -> int:
    """Nudge the organisation's approvers about a request waiting ACCESS_REQUEST_NUDGE_DAYS; runs after
    the escalation above, so a request already passed to support is left to support."""
    waited = timedelta(days=settings.ACCESS_REQUEST_NUDGE_DAYS)
    return jobs.each_isolated(
        selectors.access_requests_unanswered(waited_since=now - waited),
        lambda access_request: _nudge(access_request, waited=waited, now=now),
        job="access requests: nudges to approvers",
        describe=lambda access_request: f"access request {access_request.pk}",
    )


def digest_lines(user, today: date) -> list[str]:
    lines = []
    for access_request in selectors.access_requests_awaiting(approver=user):
        waiting = _days((today - timezone.localdate(access_request.created_at)).days)
        lines.append(
            f"{access_request.organisation_name}: {services.display_name(access_request.requester)} "
            f"has waited {waiting} for access"
        )
    return lines


def register() -> None:
    registry.register_kind(
        registry.ReminderKind(
            KIND,
            "Access requests waiting for an approver",
            position=40,
            digest_heading="Access requests waiting for you",
            digest_lines=digest_lines,
        )
    )
    registry.register_job(registry.ScheduledJob("access requests waiting for an approver", access_requests_waiting, 10))
    registry.register_job(registry.ScheduledJob("access requests: nudges to approvers", access_requests_nudge, 20))
