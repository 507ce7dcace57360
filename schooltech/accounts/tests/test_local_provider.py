"""The local OpenID provider in devtools/oidc_provider, run as it is in development."""

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def provider_url(tmp_path_factory):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path_factory.mktemp("op-log") / "provider.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "devtools.oidc_provider", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env={
                "OIDC_PROVIDER_STATE_DIR": str(tmp_path_factory.mktemp("op")),
                "OIDC_PROVIDER_FAST_HASHING": "1",
                "PATH": "/usr/bin:/bin",
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    _wait_until_serving(process, url, log)
    yield url
    process.terminate()
    process.wait(timeout=10)


def _wait_until_serving(process: subprocess.Popen, url: str, log: Path) -> None:
    """The provider migrates its own database first: on a loaded CI machine that can take minutes."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The local provider exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            requests.get(f"{url}/o/.well-known/openid-configuration", timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.5)
    process.terminate()
    pytest.fail(f"The local provider did not answer within 240 s:\n{log.read_text()[-3000:]}")


def _attempt(session: requests.Session, url: str, email: str, password: str) -> requests.Response:
    page = session.get(f"{url}/login/", timeout=5)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{url}/login/",
        data={"csrfmiddlewaretoken": token, "username": email, "password": password},
        headers={"Referer": f"{url}/login/"},
        timeout=5,
        allow_redirects=False,
    )


def test_discovery_offers_the_organisation_scope_and_rs256(provider_url):
    config = requests.get(f"{provider_url}/o/.well-known/openid-configuration", timeout=5).json()
    assert "organisation" in config["scopes_supported"]
    assert "RS256" in config["id_token_signing_alg_values_supported"]
    assert config["end_session_endpoint"] == f"{provider_url}/o/logout/"


def test_unknown_email_and_wrong_password_look_the_same(provider_url):
    session = requests.Session()
    wrong = _attempt(session, provider_url, "priya.shah@aldgate-school.example", "nope")
    unknown = _attempt(requests.Session(), provider_url, "nobody-at-all@example.org", "nope")
    assert wrong.status_code == unknown.status_code == 200
    error = re.compile(r'<p role="alert" id="error">(.*?)</p>')
    assert error.search(wrong.text).group(1) == error.search(unknown.text).group(1)


def test_sign_in_is_rate_limited_after_five_failures(provider_url):
    # Failures count per email and per address, so earlier tests' failures from this address count too.
    session = requests.Session()
    email = "tom.okafor@haverstock.example"
    statuses = [_attempt(session, provider_url, email, "wrong").status_code for _ in range(6)]
    assert statuses[-1] == 429 and 200 in statuses
    assert _attempt(session, provider_url, email, "demo-sign-in-2026").status_code == 429
