"""Two web processes, two task workers and two schedulers against one database behave as one service.

Real processes (gunicorn, `db_worker`, `run_scheduler`), so this needs a database other processes can
reach: PostgreSQL (as in CI) or an SQLite file. It proves what docs/running-in-production.md promises:
a session made on one web process works on the other and signing out on one signs out on both; two
workers send every queued email exactly once through one shared send budget; two schedulers starting
in the same hour run the reminder jobs once.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from devtools.fake_notify.server import FakeNotify
from schooltech.accounts.models import Role
from schooltech.notifications import services as notifications
from schooltech.notifications.models import OutboxMessage, ScheduledRun
from tests.factories import EstablishmentFactory, UserFactory, make_membership

ROOT = Path(__file__).resolve().parent.parent
EMAILS = 30
CALLBACK_TOKEN = "scale-out-callback-token-0123456789abcdef"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_url() -> str:
    details = connection.settings_dict
    if connection.vendor == "postgresql":
        host, port = details["HOST"] or "127.0.0.1", details["PORT"] or 5432
        return f"postgres://{details['USER']}@{host}:{port}/{details['NAME']}"
    name = str(details["NAME"])
    if name.startswith("file:memorydb") or name == ":memory:":
        pytest.skip("other processes cannot reach an in-memory SQLite database; CI runs this on PostgreSQL")
    return f"sqlite:///{name}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def fake_notify(live_callback_port):
    fake = FakeNotify(
        api_keys=[settings.NOTIFY_API_KEY],
        callback_url=f"http://127.0.0.1:{live_callback_port}/notifications/notify-callback",
        callback_token=CALLBACK_TOKEN,
        receipt_delay=0.2,
    ).start()
    yield fake
    fake.stop()


@pytest.fixture
def live_callback_port() -> int:
    return _free_port()


@pytest.fixture
def process_env(database_url, tmp_path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "NOTIFY_CALLBACK_BEARER_TOKEN": CALLBACK_TOKEN,
        "NOTIFY_RETRY_BASE_SECONDS": "1",
        "NOTIFY_SEND_RATE_PER_MINUTE": "2850",
    }


@pytest.fixture
def processes():
    started: list[subprocess.Popen] = []

    def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
        handle = log.open("w")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
        started.append(process)
        return process

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    connection.close()  # before the database is emptied, which waits for every other connection's locks


def _start_web(start, env, port: int, log: Path) -> str:
    start(
        [sys.executable, "-m", "gunicorn", "schooltech.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
        env,
        log,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_for(lambda: _answers(f"{url}/healthcheck"), f"gunicorn on port {port}", log)
    return url


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _wait_for(condition, what: str, log: Path | None = None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    detail = log.read_text()[-3000:] if log and log.exists() else ""
    raise AssertionError(f"Timed out waiting for {what}\n{detail}")


def _signed_in_session(cookie_value: str) -> requests.Session:
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, cookie_value, domain="127.0.0.1", path="/")
    return session


def test_two_web_processes_share_sessions_and_signing_out(processes, process_env, tmp_path):
    person = UserFactory(first_name="Ada", last_name="Scaleout", email="ada@scale-out.example")
    make_membership(person, EstablishmentFactory(name="Scale Out Primary"), Role.APPROVER)
    client = Client()
    client.force_login(person)
    browser = _signed_in_session(client.cookies[settings.SESSION_COOKIE_NAME].value)

    first = _start_web(processes, process_env, _free_port(), tmp_path / "web1.log")
    second = _start_web(processes, process_env, _free_port(), tmp_path / "web2.log")

    for url in (first, second):
        page = browser.get(f"{url}/account", allow_redirects=False)
        assert page.status_code == 200 and "Ada Scaleout" in page.text, url

    sign_out = browser.get(f"{first}/account/sign-out")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', sign_out.text).group(1)
    signed_out = browser.post(
        f"{first}/oidc/logout/", data={"csrfmiddlewaretoken": token}, headers={"Referer": f"{first}/"},
        allow_redirects=False,
    )  # fmt: skip
    assert signed_out.status_code == 302
    after = browser.get(f"{second}/account", allow_redirects=False)
    assert after.status_code == 302 and after.headers["Location"].startswith("/oidc/authenticate/")


def test_two_workers_send_every_email_once_and_two_schedulers_run_once(
    processes, process_env, fake_notify, live_callback_port, tmp_path
):
    env = {**process_env, "NOTIFY_BASE_URL": fake_notify.url}
    for number in range(EMAILS):
        notifications.email_enqueue(
            to_email=f"person{number}@scale-out.example",
            template_key="access_request_approved",
            personalisation={"organisation_name": "Scale Out Primary", "role": "Viewer", "service_url": "http://x"},
        )
    _start_web(processes, env, live_callback_port, tmp_path / "web.log")  # receives the delivery receipts
    for number in (1, 2):
        processes(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "notifications", "--interval", "0.2",
             "--no-startup-delay", "--no-reload", "--worker-id", f"scale-out-{number}", "-v0"],
            env, tmp_path / f"worker{number}.log",
        )  # fmt: skip
    schedulers = [
        processes([sys.executable, "manage.py", "run_scheduler", "--once"], env, tmp_path / f"scheduler{number}.log")
        for number in (1, 2)
    ]

    _wait_for(lambda: fake_notify.stats()["sent"] >= EMAILS, f"{EMAILS} emails", tmp_path / "worker1.log")
    _wait_for(lambda: all(process.poll() is not None for process in schedulers), "both schedulers")
    time.sleep(1)  # a duplicate send, if there were one, would arrive now

    stats = fake_notify.stats()
    assert stats["sent"] == EMAILS and stats["duplicates"] == 0 and stats["rate_limited"] == 0
    assert stats["unique_references"] == EMAILS
    assert OutboxMessage.objects.count() == EMAILS
    assert all(process.returncode == 0 for process in schedulers)
    assert ScheduledRun.objects.count() == 1
    said = " ".join((tmp_path / f"scheduler{number}.log").read_text() for number in (1, 2))
    assert said.count("already run by a scheduler") == 1
