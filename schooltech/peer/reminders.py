"""Peer support's scheduled work: a nudge to the helping school about a request left waiting, and
closing a request nobody answered so the asking school can ask another.

Registered with notifications in `PeerConfig.ready()`:

- **Requests waiting for your answer** (a reminder kind people choose how often to get): a week after
  a request arrives unanswered, the helping school's people (`services.people_to_tell`) get one
  reminder, keyed by the request in the ledger, so each request is nudged once.
- **Closing requests nobody answered**: four weeks after it arrived, a request still waiting is
  closed ("No answer in time", `services.help_request_expire`), the asking school is told and may ask
  another school. It still counts towards the helper's requests this term: it took a place.

Both run one request at a time (`core.jobs.each_isolated`): one bad record is logged and skipped.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from schooltech.accounts import policy
from schooltech.core import jobs
from schooltech.core.dates import govuk_date
from schooltech.notifications import registry, reminders
from schooltech.peer import selectors, services
from schooltech.peer.models import HelpRequest

KIND = "peer_request_waiting"
NUDGE_JOB = "peer support requests waiting"
CLOSE_JOB = "peer support requests nobody answered"
NUDGE_AFTER = timedelta(days=7)
CLOSE_AFTER = timedelta(days=28)


def _nudge(help_request: HelpRequest, *, now: datetime) -> int:
    helper = help_request.helper
    asked_on = timezone.localdate(help_request.asked_at)
    return reminders.send_to_each(
        services.people_to_tell(helper),
        kind=KIND,
        subjects=[(help_request, asked_on)],
        template_key="peer_request_waiting",
        personalisation={
            "helper_school": helper.name,
            "asker_school": help_request.asker.name,
            "topic": services.topic_title(help_request.standard_key, help_request.requirement_key),
            "asked_on": govuk_date(asked_on),
            "closes_on": govuk_date(asked_on + CLOSE_AFTER),
            "request_url": reminders.absolute(
                reverse("peer:request", kwargs={"urn": helper.urn, "request_number": help_request.pk})
            ),
            "preferences_url": reminders.preferences_url(),
        },
        organisation=helper,
        now=now,
    )


def requests_waiting(*, now: datetime) -> int:
    """Nudge each helping school once about a request waiting a week or more (and not yet closed)."""
    waiting = selectors.requests_waiting(asked_before=now - NUDGE_AFTER, asked_after=now - CLOSE_AFTER)
    return jobs.each_isolated(
        waiting, lambda help_request: _nudge(help_request, now=now), job=NUDGE_JOB, describe=_describe
    )


def requests_nobody_answered(*, now: datetime) -> int:
    """Close requests left waiting four weeks or more, telling the asking school."""
    stale = selectors.requests_waiting(asked_before=now - CLOSE_AFTER)
    return jobs.each_isolated(
        stale, lambda help_request: int(services.help_request_expire(help_request=help_request) is not None),
        job=CLOSE_JOB, describe=_describe,
    )  # fmt: skip


def _describe(help_request: HelpRequest) -> str:
    return f"peer request {help_request.pk}"


def digest_lines(user, today: date) -> list[str]:
    """Requests waiting for an answer at schools this person edits."""
    schools = policy.establishments_for(user, "edit")
    return [
        f"{help_request.helper.name}: {help_request.asker.name} asked about "
        f"{services.topic_title(help_request.standard_key, help_request.requirement_key)} on "
        f"{govuk_date(timezone.localdate(help_request.asked_at))}"
        for help_request in selectors.requests_waiting(helpers=schools)
    ]


def register() -> None:
    registry.register_kind(
        registry.ReminderKind(
            KIND,
            "Requests for peer support waiting for your school's answer",
            position=37,
            digest_heading="Requests for peer support waiting for an answer",
            digest_lines=digest_lines,
        )
    )
    registry.register_job(registry.ScheduledJob(CLOSE_JOB, requests_nobody_answered, position=56))
    registry.register_job(registry.ScheduledJob(NUDGE_JOB, requests_waiting, position=57))
