import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from schooltech.notifications import services, templates
from schooltech.notifications.models import OutboxMessage
from schooltech.organisations.models import LocalAuthority

pytestmark = pytest.mark.django_db

SEND_TASK = "schooltech.notifications.tasks.send_outbox_message"


def test_enqueue_writes_a_pending_message_and_queues_its_send_after_commit(
    approved_personalisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.email_enqueue(
            to_email="head@oak.example.org",
            template_key="access_request_approved",
            personalisation=approved_personalisation,
        )
        assert not DBTaskResult.objects.exists()  # nothing is queued before the caller commits

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.personalisation == approved_personalisation
    assert len(message.reference) == 32
    task = DBTaskResult.objects.get()
    assert task.task_path == SEND_TASK
    assert task.queue_name == "notifications"
    assert task.args_kwargs["kwargs"] == {"message_id": message.pk}


def test_enqueue_inside_a_rolled_back_transaction_leaves_no_message_and_no_task(
    approved_personalisation, django_capture_on_commit_callbacks
):
    class Abort(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Abort), transaction.atomic():
        services.email_enqueue(
            to_email="head@oak.example.org",
            template_key="access_request_approved",
            personalisation=approved_personalisation,
        )
        raise Abort

    assert not OutboxMessage.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_enqueue_rejects_an_unknown_template_and_writes_nothing(approved_personalisation):
    with pytest.raises(templates.TemplateError, match="Unknown email template"):
        services.email_enqueue(
            to_email="a@example.org", template_key="welcome", personalisation=approved_personalisation
        )
    assert not OutboxMessage.objects.exists()


def test_enqueue_rejects_missing_personalisation_and_writes_nothing(approved_personalisation):
    del approved_personalisation["role"]
    with pytest.raises(templates.TemplateError, match="missing role"):
        services.email_enqueue(
            to_email="a@example.org", template_key="access_request_approved", personalisation=approved_personalisation
        )
    assert not OutboxMessage.objects.exists()


def test_enqueue_rejects_extra_personalisation_and_writes_nothing(approved_personalisation):
    with pytest.raises(templates.TemplateError, match="unexpected inviter_name"):
        services.email_enqueue(
            to_email="a@example.org",
            template_key="access_request_approved",
            personalisation={**approved_personalisation, "inviter_name": "Jo"},
        )
    assert not OutboxMessage.objects.exists()


def test_enqueue_rejects_an_invalid_email_address(approved_personalisation):
    with pytest.raises(Exception, match="valid email"):
        services.email_enqueue(
            to_email="not an address", template_key="access_request_approved", personalisation=approved_personalisation
        )
    assert not OutboxMessage.objects.exists()


def test_enqueue_records_the_organisation(approved_personalisation):
    authority = LocalAuthority.objects.create(code="202", name="Camden")
    message = services.email_enqueue(
        to_email="a@example.org",
        template_key="access_request_approved",
        personalisation=approved_personalisation,
        organisation=authority,
    )
    message = OutboxMessage.objects.get(pk=message.pk)
    assert message.organisation == authority
    assert message.organisation_name == "Camden"


def test_enqueue_with_the_same_dedupe_key_returns_the_first_message(
    approved_personalisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.email_enqueue(
            to_email="a@example.org",
            template_key="access_request_approved",
            personalisation=approved_personalisation,
            dedupe_key="reminder:1",
        )
        second = services.email_enqueue(
            to_email="a@example.org",
            template_key="access_request_approved",
            personalisation=approved_personalisation,
            dedupe_key="reminder:1",
        )
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
