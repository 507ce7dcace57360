"""The fake Notify server: state, HTTP handler and receipt sender.

Control endpoints (no auth; the server only listens on loopback):
  GET  /                  sent emails as an HTML page
  GET  /_sent             sent emails as JSON
  GET  /_stats            counters: sent, duplicates, rate_limited, rejected, auth_failures, ...
  POST /_control          JSON: mode ("ok", "fail", "down", "drop-after-accept"), fail_status,
                          rate_limit_per_minute, receipt_delay, callback_url, callback_token
  POST /_reset            forget everything sent
"""

import contextlib
import html
import json
import logging
import queue
import re
import socket
import threading
import time
import tomllib
import urllib.error
import urllib.request
import uuid
from collections import deque
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt

logger = logging.getLogger("fake_notify")

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "schooltech" / "notifications" / "templates.toml"
PLACEHOLDER = re.compile(r"\(\(([^()]+)\)\)")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Addresses that make the fake report a failure, like Notify's test key simulated addresses.
SIMULATED_FAILURES = {
    "perm-fail@simulator.notify": "permanent-failure",
    "temp-fail@simulator.notify": "temporary-failure",
    "technical-fail@simulator.notify": "technical-failure",
}
MODES = {"ok", "fail", "down", "drop-after-accept"}
CLOCK_SKEW_SECONDS = 30


class NotifyAPIError(Exception):
    def __init__(self, status: int, error: str, message: str):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message

    def body(self) -> dict:
        return {"errors": [{"error": self.error, "message": self.message}], "status_code": self.status}


def load_templates(path: Path) -> dict[str, dict]:
    with path.open("rb") as file:
        data = tomllib.load(file)
    return {table["template_id"]: {"key": key, **table} for key, table in data.items()}


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FakeNotify:
    """The fake's state and server. Start with .start(); .url is its base URL."""

    def __init__(
        self,
        *,
        api_keys: list[str],
        host: str = "127.0.0.1",
        port: int = 0,
        templates_path: Path = DEFAULT_TEMPLATES,
        rate_limit_per_minute: int = 3000,
        callback_url: str | None = None,
        callback_token: str | None = None,
        receipt_delay: float = 1.0,
    ):
        # Notify's key format: {name}-{service id}-{secret}; the service id and secret are 36 characters.
        self.secrets = {key[-73:-37]: key[-36:] for key in api_keys}
        self.host, self.port = host, port
        self.templates = load_templates(templates_path)
        self.rate_limit_per_minute = rate_limit_per_minute
        self.callback_url, self.callback_token = callback_url, callback_token
        self.receipt_delay = receipt_delay
        self.mode, self.fail_status = "ok", 500
        self.lock = threading.Lock()
        self._reset_records()
        self.receipts: queue.Queue = queue.Queue()
        self.httpd: ThreadingHTTPServer | None = None
        self.connections: set[socket.socket] = set()

    def _reset_records(self) -> None:
        self.notifications: dict[str, dict] = {}
        self.by_reference: dict[str, str] = {}
        self.recent_sends: deque[float] = deque()
        self.counts = dict.fromkeys(
            ["requests", "sent", "duplicates", "rate_limited", "rejected", "auth_failures", "failed", "dropped"], 0
        )
        self.receipt_counts = {"posted": 0, "callback_errors": 0}

    # Lifecycle -----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "FakeNotify":
        handler = type("Handler", (NotifyHandler,), {"fake": self})
        self.httpd = ThreadingHTTPServer((self.host, self.port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), name="fake-notify", daemon=True).start()
        if not getattr(self, "_receipt_thread", None):
            self._receipt_thread = threading.Thread(
                target=self._send_receipts, name="fake-notify-receipts", daemon=True
            )
            self._receipt_thread.start()
        return self

    def stop(self) -> None:
        """Stop listening (connections are refused) but keep what was sent; start() again resumes."""
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        with self.lock:
            open_connections, self.connections = list(self.connections), set()
        for connection in open_connections:  # kept-alive connections would otherwise still be served
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    # API -----------------------------------------------------------------------------------------

    def authenticate(self, header: str | None) -> str:
        if not header or not header.startswith("Bearer "):
            raise NotifyAPIError(401, "AuthError", "Unauthorized: authentication token must be provided")
        token = header.removeprefix("Bearer ").strip()
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError:
            raise NotifyAPIError(403, "AuthError", "Invalid token: signature, api token not found") from None
        if algorithm != "HS256":
            raise NotifyAPIError(403, "AuthError", "Invalid token: algorithm used is not HS256")
        service_id = unverified.get("iss")
        if not service_id:
            raise NotifyAPIError(403, "AuthError", "Invalid token: iss field not provided")
        secret = self.secrets.get(service_id)
        if secret is None:
            raise NotifyAPIError(403, "AuthError", "Invalid token: service not found")
        try:
            claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["iat"], "verify_iat": False})
        except jwt.PyJWTError:
            raise NotifyAPIError(403, "AuthError", "Invalid token: signature, api token not found") from None
        if abs(time.time() - int(claims["iat"])) > CLOCK_SKEW_SECONDS:
            raise NotifyAPIError(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
        return service_id

    def _take_rate(self, now: float) -> None:
        while self.recent_sends and self.recent_sends[0] <= now - 60:
            self.recent_sends.popleft()
        if len(self.recent_sends) >= self.rate_limit_per_minute:
            self.counts["rate_limited"] += 1
            raise NotifyAPIError(
                429,
                "RateLimitError",
                f"Exceeded rate limit for key type LIVE of {self.rate_limit_per_minute} requests per 60 seconds",
            )
        self.recent_sends.append(now)

    def _validate_email(self, body: dict) -> dict:
        address, template_id = body.get("email_address"), body.get("template_id")
        if not isinstance(address, str) or not EMAIL.match(address):
            raise NotifyAPIError(400, "ValidationError", "email_address Not a valid email address")
        template = self.templates.get(str(template_id))
        if template is None:
            raise NotifyAPIError(400, "BadRequestError", "Template not found")
        personalisation = body.get("personalisation") or {}
        missing = sorted(set(PLACEHOLDER.findall(template["subject"] + template["body"])) - set(personalisation))
        if missing:
            raise NotifyAPIError(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        return template

    def send_email(self, body: dict, service_id: str) -> tuple[dict, bool]:
        """Record an email; returns (notification, created). A repeated reference is not sent again."""
        with self.lock:
            self.counts["requests"] += 1
            if self.mode == "fail":
                self.counts["failed"] += 1
                raise NotifyAPIError(self.fail_status, "Exception", "Internal server error")
            self._take_rate(time.monotonic())
            try:
                template = self._validate_email(body)
            except NotifyAPIError:
                self.counts["rejected"] += 1
                raise
            reference = body.get("reference")
            if reference and reference in self.by_reference:
                self.counts["duplicates"] += 1
                return self.notifications[self.by_reference[reference]], False
            notification = self._record(body, template, service_id)
            self.counts["sent"] += 1
        self.receipts.put((time.monotonic() + self.receipt_delay, notification["id"], 0))
        return notification, True

    def _record(self, body: dict, template: dict, service_id: str) -> dict:
        personalisation = body.get("personalisation") or {}

        def fill(text: str) -> str:
            return PLACEHOLDER.sub(lambda match: str(personalisation.get(match.group(1), "")), text)

        notification = {
            "id": str(uuid.uuid4()),
            "reference": body.get("reference"),
            "email_address": body["email_address"],
            "type": "email",
            "status": "sending",
            "template": {
                "id": template["template_id"],
                "version": 1,
                "uri": f"{self.url}/v2/template/{template['template_id']}",
            },
            "subject": fill(template["subject"]),
            "body": fill(template["body"]).strip(),
            "service_id": service_id,
            "created_at": _now_iso(),
            "sent_at": _now_iso(),
            "completed_at": None,
        }
        self.notifications[notification["id"]] = notification
        if notification["reference"]:
            self.by_reference[notification["reference"]] = notification["id"]
        return notification

    def send_response(self, notification: dict) -> dict:
        return {
            "id": notification["id"],
            "reference": notification["reference"],
            "content": {
                "subject": notification["subject"],
                "body": notification["body"],
                "from_email": "plan.school.technology@notifications.service.gov.uk",
                "one_click_unsubscribe_url": None,
            },
            "uri": f"{self.url}/v2/notifications/{notification['id']}",
            "template": notification["template"],
            "scheduled_for": None,
        }

    def find(self, *, reference: str | None) -> list[dict]:
        with self.lock:
            found = list(self.notifications.values())
        if reference:
            found = [item for item in found if item["reference"] == reference]
        return sorted(found, key=lambda item: item["created_at"], reverse=True)

    def stats(self) -> dict:
        with self.lock:
            return {**self.counts, **self.receipt_counts, "unique_references": len(self.by_reference)}

    def control(self, body: dict) -> None:
        with self.lock:
            if "mode" in body:
                if body["mode"] not in MODES:
                    raise NotifyAPIError(400, "ValidationError", f"mode must be one of {sorted(MODES)}")
                self.mode = body["mode"]
            for name in ("fail_status", "rate_limit_per_minute"):
                if name in body:
                    setattr(self, name, int(body[name]))
            if "receipt_delay" in body:
                self.receipt_delay = float(body["receipt_delay"])
            for name in ("callback_url", "callback_token"):
                if name in body:
                    setattr(self, name, body[name])

    def reset(self) -> None:
        with self.lock:
            self._reset_records()

    # Receipts ------------------------------------------------------------------------------------

    def _send_receipts(self) -> None:
        while True:
            due, notification_id, tries = self.receipts.get()
            time.sleep(max(0.0, due - time.monotonic()))
            notification = self.notifications.get(notification_id)
            if notification is None:
                continue
            notification["status"] = SIMULATED_FAILURES.get(notification["email_address"], "delivered")
            notification["completed_at"] = notification["completed_at"] or _now_iso()
            if self.callback_url and not self._post_receipt(notification) and tries < 5:
                # Notify retries a failed callback (every 5 minutes, 5 times); the fake retries after a second.
                self.receipts.put((time.monotonic() + 1.0, notification_id, tries + 1))

    def _post_receipt(self, notification: dict) -> bool:
        receipt = {
            "id": notification["id"],
            "reference": notification["reference"],
            "to": notification["email_address"],
            "status": notification["status"],
            "created_at": notification["created_at"],
            "completed_at": notification["completed_at"],
            "sent_at": notification["sent_at"],
            "notification_type": "email",
            "template_id": notification["template"]["id"],
            "template_version": 1,
        }
        request = urllib.request.Request(
            self.callback_url,
            data=json.dumps(receipt).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.callback_token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                ok = 200 <= response.status < 300
        except (urllib.error.URLError, OSError) as error:
            logger.warning("receipt callback failed: %s", error)
            ok = False
        with self.lock:
            self.receipt_counts["posted" if ok else "callback_errors"] += 1
        return ok


class NotifyHandler(BaseHTTPRequestHandler):
    fake: FakeNotify
    protocol_version = "HTTP/1.1"
    # The headers and the body go out as two writes; with Nagle's algorithm the body waits for the
    # client's delayed ACK (about 40 ms), a wait real Notify does not add to every send.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        with self.fake.lock:
            self.fake.connections.add(self.connection)

    def finish(self) -> None:
        with self.fake.lock:
            self.fake.connections.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            raise NotifyAPIError(400, "BadRequestError", "Invalid JSON supplied in POST data") from None
        if not isinstance(data, dict):
            raise NotifyAPIError(400, "BadRequestError", "Invalid JSON supplied in POST data")
        return data

    def _drop(self) -> None:
        """Behave like a server that is down: close the connection without an answer."""
        self.close_connection = True
        with self.fake.lock:
            self.fake.counts["dropped"] += 1

    def _handle(self, method: str) -> None:
        path, query = urlsplit(self.path).path, parse_qs(urlsplit(self.path).query)
        try:
            if path.startswith("/_") or path == "/":
                return self._handle_control(method, path)
            if self.fake.mode == "down":
                return self._drop()
            service_id = self.fake.authenticate(self.headers.get("Authorization"))
            if method == "POST" and path == "/v2/notifications/email":
                body = self._body()
                notification, _ = self.fake.send_email(body, service_id)
                if self.fake.mode == "drop-after-accept":
                    return self._drop()
                return self._json(201, self.fake.send_response(notification))
            if method == "GET" and path == "/v2/notifications":
                found = self.fake.find(reference=(query.get("reference") or [None])[0])
                return self._json(200, {"notifications": found, "links": {"current": f"{self.fake.url}{self.path}"}})
            if method == "GET" and (match := re.fullmatch(r"/v2/notifications/([0-9a-f-]{36})", path)):
                notification = self.fake.notifications.get(match.group(1))
                if notification is None:
                    raise NotifyAPIError(404, "NoResultFound", "No result found")
                return self._json(200, notification)
            raise NotifyAPIError(404, "NotFound", "Not found")
        except NotifyAPIError as error:
            if error.error == "AuthError":
                with self.fake.lock:
                    self.fake.counts["auth_failures"] += 1
            return self._json(error.status, error.body())

    def _handle_control(self, method: str, path: str) -> None:
        if method == "GET" and path == "/":
            return self._send(
                200, render_sent_page(self.fake.find(reference=None)).encode(), "text/html; charset=utf-8"
            )
        if method == "GET" and path == "/_sent":
            return self._json(200, {"notifications": self.fake.find(reference=None)})
        if method == "GET" and path == "/_stats":
            return self._json(200, self.fake.stats())
        if method == "POST" and path == "/_control":
            self.fake.control(self._body())
            return self._json(200, {"mode": self.fake.mode})
        if method == "POST" and path == "/_reset":
            self._body()
            self.fake.reset()
            return self._json(200, {"reset": True})
        raise NotifyAPIError(404, "NotFound", "Not found")

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sent emails - Fake GOV.UK Notify</title>
<style>
body {{ font-family: Arial, sans-serif; margin: 0 auto; max-width: 50rem; padding: 1rem; color: #0b0c0c; }}
article {{ border-top: 1px solid #505a5f; padding: 0.5rem 0; }}
dt {{ font-weight: bold; }}
.body {{ white-space: pre-wrap; }}
</style>
</head>
<body>
<header><p>Fake GOV.UK Notify (local development only)</p></header>
<main>
<h1>Sent emails</h1>
<p>{summary}</p>
{emails}
</main>
</body>
</html>
"""


def render_sent_page(notifications: list[dict], limit: int = 200) -> str:
    shown = notifications[:limit]
    summary = f"{len(notifications)} email{'s' if len(notifications) != 1 else ''} sent"
    if len(notifications) > limit:
        summary += f"; showing the latest {limit}"
    emails = "\n".join(
        f"""<article aria-labelledby="email-{item["id"]}">
<h2 id="email-{item["id"]}">{html.escape(item["subject"])}</h2>
<dl>
<dt>To</dt><dd>{html.escape(item["email_address"])}</dd>
<dt>Status</dt><dd>{html.escape(item["status"])}</dd>
<dt>Reference</dt><dd>{html.escape(item["reference"] or "none")}</dd>
<dt>Sent at</dt><dd>{html.escape(item["created_at"])}</dd>
</dl>
<div class="body">{html.escape(item["body"])}</div>
</article>"""
        for item in shown
    )
    return PAGE.format(summary=summary, emails=emails or "<p>No emails have been sent yet.</p>")
