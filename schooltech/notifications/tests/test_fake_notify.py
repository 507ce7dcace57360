"""The fake Notify, driven by the real notifications-python-client."""

import json
import socket
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
import requests
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from devtools.fake_notify import FakeNotify
from devtools.fake_notify.__main__ import LOCAL_API_KEY, LOCAL_CALLBACK_TOKEN
from schooltech.notifications import templates

INVITATION = {
    "organisation_name": "Oak Academy",
    "inviter_name": "Jo Bloggs",
    "role": "IT lead",
    "sign_in_url": "https://example.org/sign-in",
}


def client_for(fake: FakeNotify, key: str) -> NotificationsAPIClient:
    return NotificationsAPIClient(key, base_url=fake.url, timeout=2)


def send(client: NotificationsAPIClient, reference: str = "ref-1", to: str = "jo@example.org") -> dict:
    return client.send_email_notification(
        email_address=to,
        template_id=templates.get_template("invitation").template_id,
        personalisation=INVITATION,
        reference=reference,
    )


def control(fake: FakeNotify, **changes) -> None:
    requests.post(f"{fake.url}/_control", json=changes, timeout=2).raise_for_status()


def test_local_key_and_callback_token_match_the_settings_defaults(settings):
    assert settings.NOTIFY_LOCAL_API_KEY == LOCAL_API_KEY
    assert settings.NOTIFY_CALLBACK_BEARER_TOKEN == LOCAL_CALLBACK_TOKEN


def test_send_email_returns_notifys_response_shape_and_renders_the_template(fake_notify, settings):
    response = send(client_for(fake_notify, settings.NOTIFY_API_KEY))
    assert response["reference"] == "ref-1"
    assert response["content"]["subject"] == "Jo Bloggs has invited you to Plan and manage school technology"
    assert "Oak Academy" in response["content"]["body"]
    assert response["uri"].endswith(f"/v2/notifications/{response['id']}")
    [sent] = fake_notify.find(reference=None)
    assert sent["email_address"] == "jo@example.org"


def test_get_notification_by_id_and_by_reference(fake_notify, settings):
    client = client_for(fake_notify, settings.NOTIFY_API_KEY)
    sent = send(client, reference="ref-42")
    assert client.get_notification_by_id(sent["id"])["reference"] == "ref-42"
    found = client.get_all_notifications(template_type="email", reference="ref-42")["notifications"]
    assert [item["id"] for item in found] == [sent["id"]]
    assert client.get_all_notifications(reference="nothing")["notifications"] == []


def test_the_fake_answers_without_nagle_delay_so_benchmarks_measure_the_service(fake_notify, settings):
    """Its answers go out as two writes; with Nagle's algorithm on, the second would wait for the
    client's delayed ACK (about 40 ms a send, which once made sending look CPU-bound)."""
    with requests.Session() as session:  # keep-alive: the server's socket stays open to inspect
        session.get(f"{fake_notify.url}/_control", timeout=2)
        with fake_notify.lock:
            sockets = list(fake_notify.connections)
        assert sockets and all(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for sock in sockets)


def test_a_repeated_reference_is_recorded_once_and_counted_as_a_duplicate(fake_notify, settings):
    client = client_for(fake_notify, settings.NOTIFY_API_KEY)
    first = send(client, reference="same")
    second = send(client, reference="same")
    assert first["id"] == second["id"]
    assert len(fake_notify.find(reference=None)) == 1
    assert fake_notify.stats()["duplicates"] == 1


def test_a_key_the_fake_does_not_know_is_refused_with_403(fake_notify):
    stranger = "other-" + "1" * 8 + "-1111-1111-1111-" + "1" * 12 + "-" + "2" * 8 + "-2222-2222-2222-" + "2" * 12
    with pytest.raises(HTTPError) as error:
        send(client_for(fake_notify, stranger))
    assert error.value.status_code == 403
    assert fake_notify.stats()["auth_failures"] == 1


def test_a_token_signed_with_the_wrong_secret_is_refused(fake_notify, settings):
    service_id = settings.NOTIFY_API_KEY[-73:-37]
    token = jwt.encode(
        {"iss": service_id, "iat": int(time.time())}, "a-wrong-secret-that-is-long-enough-for-hs256", algorithm="HS256"
    )
    response = requests.post(
        f"{fake_notify.url}/v2/notifications/email", json={}, headers={"Authorization": f"Bearer {token}"}, timeout=2
    )
    assert response.status_code == 403
    assert "signature" in response.json()["errors"][0]["message"]


def test_a_token_issued_more_than_30_seconds_ago_is_refused(fake_notify, settings):
    service_id, secret = settings.NOTIFY_API_KEY[-73:-37], settings.NOTIFY_API_KEY[-36:]
    token = jwt.encode({"iss": service_id, "iat": int(time.time()) - 31}, secret, algorithm="HS256")
    response = requests.post(
        f"{fake_notify.url}/v2/notifications/email", json={}, headers={"Authorization": f"Bearer {token}"}, timeout=2
    )
    assert response.status_code == 403
    assert "clock" in response.json()["errors"][0]["message"]


def test_a_request_without_a_token_is_refused_with_401(fake_notify):
    response = requests.post(f"{fake_notify.url}/v2/notifications/email", json={}, timeout=2)
    assert response.status_code == 401


def test_unknown_template_and_missing_personalisation_are_400s(fake_notify, settings):
    client = client_for(fake_notify, settings.NOTIFY_API_KEY)
    with pytest.raises(HTTPError) as unknown:
        client.send_email_notification(
            email_address="a@example.org", template_id="00000000-0000-0000-0000-000000000000"
        )
    assert unknown.value.status_code == 400
    with pytest.raises(HTTPError) as missing:
        client.send_email_notification(
            email_address="a@example.org",
            template_id=templates.get_template("invitation").template_id,
            personalisation={"role": "IT lead"},
        )
    assert missing.value.status_code == 400
    assert "Missing personalisation: inviter_name, organisation_name, sign_in_url" in str(missing.value.message)


def test_sends_beyond_the_rolling_minute_limit_get_429(fake_notify, settings):
    control(fake_notify, rate_limit_per_minute=3)
    client = client_for(fake_notify, settings.NOTIFY_API_KEY)
    for number in range(3):
        send(client, reference=f"r{number}")
    with pytest.raises(HTTPError) as error:
        send(client, reference="r3")
    assert error.value.status_code == 429
    assert fake_notify.stats()["rate_limited"] == 1


def test_fail_mode_answers_with_the_chosen_5xx(fake_notify, settings):
    control(fake_notify, mode="fail", fail_status=503)
    with pytest.raises(HTTPError) as error:
        send(client_for(fake_notify, settings.NOTIFY_API_KEY))
    assert error.value.status_code == 503
    assert error.value.response.status_code == 503


def test_down_mode_drops_connections_and_ok_mode_recovers(fake_notify, settings):
    client = client_for(fake_notify, settings.NOTIFY_API_KEY)
    control(fake_notify, mode="down")
    with pytest.raises(HTTPError) as error:
        send(client)
    assert error.value.response is None
    control(fake_notify, mode="ok")
    assert send(client)["reference"] == "ref-1"


def test_stopping_refuses_connections_and_starting_again_keeps_what_was_sent(fake_notify, settings):
    client = client_for(fake_notify, settings.NOTIFY_API_KEY)
    send(client, reference="before")
    fake_notify.stop()
    with pytest.raises(HTTPError):
        send(client, reference="during")
    fake_notify.start()
    send(client, reference="after")
    assert {item["reference"] for item in fake_notify.find(reference=None)} == {"before", "after"}


class _Callback(BaseHTTPRequestHandler):
    received: list

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.headers["Authorization"], body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_receipts_are_posted_to_the_callback_with_the_bearer_token(settings):
    received: list = []
    callback = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (_Callback,), {"received": received}))
    threading.Thread(target=callback.serve_forever, daemon=True).start()
    fake = FakeNotify(
        api_keys=[settings.NOTIFY_API_KEY],
        callback_url=f"http://127.0.0.1:{callback.server_address[1]}/callback",
        callback_token="secret-token",
        receipt_delay=0.0,
    ).start()
    try:
        client = client_for(fake, settings.NOTIFY_API_KEY)
        send(client, reference="ok", to="jo@example.org")
        send(client, reference="bounce", to="perm-fail@simulator.notify")
        deadline = time.monotonic() + 5
        while len(received) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        fake.stop()
        callback.shutdown()
    statuses = {body["reference"]: body["status"] for _, body in received}
    assert statuses == {"ok": "delivered", "bounce": "permanent-failure"}
    assert {auth for auth, _ in received} == {"Bearer secret-token"}


def test_sent_page_lists_emails_with_their_subject(fake_notify, settings):
    send(client_for(fake_notify, settings.NOTIFY_API_KEY))
    with urllib.request.urlopen(f"{fake_notify.url}/", timeout=2) as response:
        page = response.read().decode()
    assert '<html lang="en">' in page
    assert "1 email sent" in page
    assert "Jo Bloggs has invited you to Plan and manage school technology" in page
