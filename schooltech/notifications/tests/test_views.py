import json
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from schooltech.notifications import registry, services
from schooltech.notifications.models import NotificationPreference, OutboxMessage

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status
CALLBACK = "/notifications/notify-callback"


@pytest.fixture
def message(approved_personalisation):
    return services.email_enqueue(
        to_email="head@oak.example.org",
        template_key="access_request_approved",
        personalisation=approved_personalisation,
    )


@pytest.fixture
def accepted(message):
    notify_id = uuid.uuid4()
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.ACCEPTED, notify_id=notify_id)
    message.refresh_from_db()
    return message


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user("support", "support@example.org", is_staff=True)
    client.force_login(user)
    return client


def post_receipt(client, body, token="local-notify-callback-token-0123456789"):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(CALLBACK, data=json.dumps(body), content_type="application/json", headers=headers)


def receipt_for(message, status="delivered"):
    return {
        "id": str(message.notify_id or uuid.uuid4()),
        "reference": message.reference,
        "to": message.to_email,
        "status": status,
        "created_at": "2026-03-02T09:00:00.000000Z",
        "completed_at": "2026-03-02T09:00:05.000000Z",
        "sent_at": "2026-03-02T09:00:01.000000Z",
        "notification_type": "email",
    }


# Delivery receipts


@pytest.mark.parametrize("status", ["delivered", "permanent-failure", "temporary-failure", "technical-failure"])
def test_a_receipt_updates_the_message_status(client, accepted, settings, status):
    response = post_receipt(client, receipt_for(accepted, status))
    assert response.status_code == 200
    accepted.refresh_from_db()
    assert accepted.status == status
    assert accepted.completed_at.isoformat() == "2026-03-02T09:00:05+00:00"


def test_a_receipt_that_arrives_before_the_worker_records_the_send_is_matched_by_reference(client, message):
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.SENDING)
    body = receipt_for(message)
    assert post_receipt(client, body).status_code == 200
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert str(message.notify_id) == body["id"]


def test_the_callback_csrf_check_is_not_applied(accepted, settings):
    from django.test import Client

    response = post_receipt(Client(enforce_csrf_checks=True), receipt_for(accepted))
    assert response.status_code == 200


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_a_receipt_without_the_bearer_token_is_refused_and_changes_nothing(client, accepted, token):
    response = post_receipt(client, receipt_for(accepted), token=token)
    assert response.status_code == 401
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED


def test_a_receipt_with_an_unknown_status_is_a_400(client, accepted):
    response = post_receipt(client, receipt_for(accepted, "exploded"))
    assert response.status_code == 400
    assert "Unknown status" in response.json()["error"]


def test_a_receipt_that_is_not_json_is_a_400(client):
    response = client.post(
        CALLBACK,
        data="nonsense",
        content_type="application/json",
        headers={"Authorization": "Bearer local-notify-callback-token-0123456789"},
    )
    assert response.status_code == 400


def test_a_receipt_for_an_unknown_message_is_a_404(client):
    body = {"id": str(uuid.uuid4()), "reference": "nope", "status": "delivered"}
    assert post_receipt(client, body).status_code == 404


def test_the_callback_only_accepts_post(client):
    assert client.get(CALLBACK).status_code == 405


# Support view


def test_the_outbox_is_for_support_staff_only(client, message):
    user = get_user_model().objects.create_user("teacher", "teacher@example.org")
    client.force_login(user)
    assert client.get(reverse("notifications:outbox")).status_code == 403
    assert client.get(reverse("notifications:message", kwargs={"message_id": message.pk})).status_code == 403
    assert client.post(reverse("notifications:retry", kwargs={"message_id": message.pk})).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, message):
    response = client.get(reverse("notifications:outbox"))
    assert response.status_code == 302


def test_the_outbox_lists_messages_with_their_status(staff_client, message):
    response = staff_client.get(reverse("notifications:outbox"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "head@oak.example.org" in page
    assert "Waiting to send" in page
    assert "1 email<" in page


def test_the_outbox_filters_by_status_template_and_address(staff_client, message, approved_personalisation):
    services.email_enqueue(
        to_email="other@example.org",
        template_key="access_request_rejected",
        personalisation={"organisation_name": "Oak", "reason": "No"},
    )
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.REJECTED)
    url = reverse("notifications:outbox")
    by_status = staff_client.get(url, {"status": "rejected"}).content.decode()
    assert "head@oak.example.org" in by_status and "other@example.org" not in by_status
    by_template = staff_client.get(url, {"template": "access_request_rejected"}).content.decode()
    assert "other@example.org" in by_template and "head@oak.example.org" not in by_template
    by_address = staff_client.get(url, {"email": "OTHER@"}).content.decode()
    assert "other@example.org" in by_address and "head@oak.example.org" not in by_address


def test_an_invalid_filter_shows_an_error_summary(staff_client, message):
    response = staff_client.get(reverse("notifications:outbox"), {"status": "exploded"})
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "Select a status from the list" in page
    assert 'href="#id_status"' in page


def test_a_failed_message_shows_its_reason_and_a_retry_button(staff_client, message):
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.REJECTED, last_error="400 Template not found")
    page = staff_client.get(reverse("notifications:message", kwargs={"message_id": message.pk})).content.decode()
    assert "400 Template not found" in page
    assert "Send this email again" in page


def test_a_delivered_message_has_no_retry_button(staff_client, accepted):
    OutboxMessage.objects.filter(pk=accepted.pk).update(status=Status.DELIVERED)
    page = staff_client.get(reverse("notifications:message", kwargs={"message_id": accepted.pk})).content.decode()
    assert "Send this email again" not in page


def test_retrying_a_failed_message_queues_it_again(staff_client, message, django_capture_on_commit_callbacks):
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, attempts=12, next_attempt_at=None)
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_client.post(reverse("notifications:retry", kwargs={"message_id": message.pk}))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.attempts == 0
    assert len(callbacks) == 1


def test_retrying_a_bounced_message_gives_it_a_new_reference(staff_client, accepted):
    old_reference = accepted.reference
    OutboxMessage.objects.filter(pk=accepted.pk).update(status=Status.PERMANENT_FAILURE)
    staff_client.post(reverse("notifications:retry", kwargs={"message_id": accepted.pk}))
    accepted.refresh_from_db()
    assert accepted.status == Status.PENDING
    assert accepted.reference != old_reference
    assert accepted.notify_id is None


def test_retrying_a_message_that_has_not_failed_is_refused(staff_client, accepted):
    response = staff_client.post(reverse("notifications:retry", kwargs={"message_id": accepted.pk}), follow=True)
    assert "Only failed messages can be sent again" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED


def test_retrying_a_missing_message_is_a_404(staff_client):
    assert staff_client.post(reverse("notifications:retry", kwargs={"message_id": 999999})).status_code == 404


# Preferences


@pytest.fixture
def person_client(client):
    user = get_user_model().objects.create_user("person", "person@example.org")
    client.force_login(user)
    client.user = user
    return client


def test_preferences_default_to_immediately(person_client):
    page = person_client.get(reverse("notifications:preferences")).content.decode()
    kinds = registry.reminder_kinds(user=person_client.user)
    assert len(kinds) >= 4  # contracts, plan actions, standards duties, access requests, and any an app adds
    assert page.count('value="immediately" checked') == len(kinds)


def test_saving_preferences_records_each_choice(person_client):
    choices = {kind.key: "immediately" for kind in registry.reminder_kinds(user=person_client.user)}
    choices |= {"contract_notice": "weekly", "standards_duty": "never", "access_request_waiting": "weekly"}
    response = person_client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=person_client.user).values_list("kind", "frequency"))
    assert saved == choices


def test_a_missing_preference_shows_an_error_and_saves_nothing(person_client):
    response = person_client.post(reverse("notifications:preferences"), {"contract_notice": "weekly"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select how often you want emails about technology plan actions that are due" in page
    assert not NotificationPreference.objects.exists()


def test_preferences_need_sign_in(client):
    assert client.get(reverse("notifications:preferences")).status_code == 302


def test_the_outbox_links_each_message(staff_client, message):
    page = staff_client.get(reverse("notifications:outbox")).content.decode()
    detail = reverse("notifications:message", kwargs={"message_id": message.pk})
    assert f'<a class="govuk-link" href="{detail}">head@oak.example.org</a>' in page
