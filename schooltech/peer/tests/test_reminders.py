"""A request left waiting: the helping school is nudged once after a week; after four weeks it is
closed, the asking school is told and may ask another school. One bad request never stops the rest."""

import datetime

import pytest
from django.utils import timezone

from schooltech.notifications import registry
from schooltech.notifications import reminders as run
from schooltech.notifications.models import OutboxMessage
from schooltech.peer import reminders, services
from schooltech.peer.models import HelpRequest
from schooltech.peer.tests.test_services import TODAY, send
from tests.reminder_fixtures import prefer, sent_to  # noqa: F401

pytestmark = pytest.mark.django_db


def at(days_after_asking: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(9, 0))) + datetime.timedelta(
        days=days_after_asking
    )


@pytest.fixture
def waiting(offer, asker_school, asker_editor, helper_editor, helper_viewer):
    help_request = send(asker_school, asker_editor)
    HelpRequest.objects.filter(pk=help_request.pk).update(asked_at=at(0))
    return help_request


def test_the_helping_school_s_editors_are_nudged_once_after_a_week(waiting, sent_to):  # noqa: F811
    assert reminders.requests_waiting(now=at(6)) == 0
    assert reminders.requests_waiting(now=at(7)) == 2
    assert sent_to("peer_request_waiting") == ["eddie@helping.example", "hana@helping.example"]  # not the viewer
    message = OutboxMessage.objects.filter(template_key="peer_request_waiting").first()
    assert message.personalisation["closes_on"] == "30 November 2026"
    assert f"/peer-support/requests/{waiting.pk}" in message.personalisation["request_url"]
    assert reminders.requests_waiting(now=at(8)) == 0  # once per request


def test_an_answered_request_is_not_nudged_or_closed(waiting, helper_editor, sent_to):  # noqa: F811
    services.help_request_accept(help_request=waiting, user=helper_editor)
    assert reminders.requests_waiting(now=at(10)) == 0
    assert reminders.requests_nobody_answered(now=at(40)) == 0
    waiting.refresh_from_db()
    assert waiting.status == HelpRequest.Status.ACCEPTED


def test_after_four_weeks_nobody_answered_it_is_closed_and_the_asker_told(
    waiting,
    asker_school,
    asker_editor,
    sent_to,  # noqa: F811
):
    assert reminders.requests_nobody_answered(now=at(27)) == 0
    assert reminders.requests_nobody_answered(now=at(28)) == 1
    waiting.refresh_from_db()
    assert waiting.status == HelpRequest.Status.EXPIRED
    assert waiting.history.first().history_change_reason == "Closed: no answer in time"
    assert sent_to("peer_request_expired") == ["ada@asking.example"]
    assert reminders.requests_waiting(now=at(29)) == 0  # a closed request is not nudged
    send(asker_school, asker_editor, today=TODAY)  # the asking school may ask again
    assert reminders.requests_nobody_answered(now=at(29)) == 0


def test_the_scheduled_run_closes_and_nudges_and_the_digest_lists_waiting_requests(
    waiting,
    helper_editor,
    prefer,  # noqa: F811
):
    results = dict(run.enqueue_due(now=at(7)))
    assert results[reminders.NUDGE_JOB] == 2 and results[reminders.CLOSE_JOB] == 0
    assert reminders.KIND in registry.kind_keys()
    prefer(helper_editor, peer_request_waiting="weekly")
    [line] = reminders.digest_lines(helper_editor, TODAY)
    assert line.startswith("Helping Academy: Asking School asked about ")


def test_one_bad_request_does_not_stop_the_others(waiting, offer, asker_editor, monkeypatch, sent_to):  # noqa: F811
    from schooltech.peer.tests.test_services import other_asker

    second = send(other_asker("610077"), asker_editor)
    HelpRequest.objects.filter(pk=second.pk).update(asked_at=at(0))
    real = services.help_request_expire

    def broken(*, help_request):
        if help_request.pk == waiting.pk:
            raise RuntimeError("bad data")
        return real(help_request=help_request)

    monkeypatch.setattr(services, "help_request_expire", broken)
    assert reminders.requests_nobody_answered(now=at(30)) == 1
    assert HelpRequest.objects.get(pk=second.pk).status == HelpRequest.Status.EXPIRED
    assert HelpRequest.objects.get(pk=waiting.pk).status == HelpRequest.Status.WAITING
