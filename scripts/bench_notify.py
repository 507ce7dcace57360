"""Benchmark and fault test for the notifications outbox against the fake Notify.

    .venv/bin/python scripts/bench_notify.py [--messages 10000] [--outage-seconds 20]

Uses a temporary database (a new PostgreSQL database on the server in DATABASE_URL if set, else
an SQLite file), the fake Notify with Notify's 3,000-a-minute limit, a web server for delivery
receipts and two `db_worker` processes. Phase 1 sends --messages emails and reports the rate
against the limit, 429 answers and duplicates. Phase 2 queues more, takes the fake down (connections
refused), brings it back, and checks every message was delivered exactly once.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import deque
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
FAKE_PORT, WEB_PORT = 8202, 8203
CALLBACK_TOKEN = "bench-callback-token-" + uuid.uuid4().hex


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10_000, help="emails to send in phase 1")
    parser.add_argument("--fault-messages", type=int, default=1_000, help="emails to send in the fault test")
    parser.add_argument("--outage-seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--notify-limit", type=int, default=3000, help="the fake's per-minute limit; the service paces at 95%% of it"
    )
    parser.add_argument("--timeout-minutes", type=float, default=15.0)
    return parser.parse_args()


def temporary_database(workdir: Path) -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{workdir / 'bench.sqlite3'}", lambda: None
    import psycopg

    name = f"bench_notify_{os.getpid()}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def max_in_any_minute(times: list[float]) -> int:
    window: deque[float] = deque()
    best = 0
    for moment in sorted(times):
        window.append(moment)
        while window[0] <= moment - 60:
            window.popleft()
        best = max(best, len(window))
    return best


def sent_times(fake) -> list[float]:
    return [
        datetime.strptime(item["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ").timestamp() for item in fake.find(reference=None)
    ]


def enqueue(count: int, offset: int) -> None:
    from django.db import transaction

    from schooltech.notifications import services

    for start in range(0, count, 500):
        with transaction.atomic():
            for number in range(offset + start, offset + min(start + 500, count)):
                services.email_enqueue(
                    to_email=f"person{number}@example.org",
                    template_key="access_request_approved",
                    personalisation={"organisation_name": "Bench Academy", "role": "Viewer", "service_url": "http://x"},
                )


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) a process has used so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU time of every PostgreSQL process on this machine (0 when the database is SQLite)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                total += cpu_seconds(int(entry.name))
        except OSError:
            continue  # gone meanwhile
    return total


def cpu_split(workers: list, web, before: dict[str, float] | None = None) -> dict[str, float]:
    """CPU seconds used by the workers, the receipt web server, PostgreSQL and this process (the fake Notify)."""
    now = {
        "workers": sum(cpu_seconds(worker.pid) for worker in workers),
        "receipts web server": cpu_seconds(web.pid),
        "PostgreSQL": postgres_cpu_seconds(),
        "fake Notify (this process)": sum(os.times()[:2]),
    }
    return {name: value - (before or {}).get(name, 0.0) for name, value in now.items()}


def wait_until(condition, timeout: float, every: float = 1.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench_notify_"))
    database_url, drop_database = temporary_database(workdir)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NOTIFY_BASE_URL": f"http://127.0.0.1:{FAKE_PORT}",
        "NOTIFY_CALLBACK_BEARER_TOKEN": CALLBACK_TOKEN,
        "NOTIFY_RETRY_BASE_SECONDS": "2",
        "NOTIFY_RETRY_MAX_SECONDS": "15",
        "NOTIFY_MAX_ATTEMPTS": "100",
        "NOTIFY_TIMEOUT_SECONDS": "5",
        "NOTIFY_SEND_RATE_PER_MINUTE": str(args.notify_limit * 95 // 100),
        "LOG_LEVEL": "ERROR",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "schooltech.settings"
    import django

    django.setup()
    from django.conf import settings

    from devtools.fake_notify import FakeNotify
    from schooltech.notifications.models import OutboxMessage

    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    if database_url.startswith("sqlite"):
        # Write-ahead logging (persistent in the file) lets readers and one writer work at once.
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
    fake = FakeNotify(
        api_keys=[settings.NOTIFY_API_KEY],
        port=FAKE_PORT,
        rate_limit_per_minute=args.notify_limit,
        callback_url=f"http://127.0.0.1:{WEB_PORT}/notifications/notify-callback",
        callback_token=CALLBACK_TOKEN,
        receipt_delay=0.5,
    ).start()
    children = []
    logs = []

    def spawn(name: str, command: list[str]) -> None:
        log = (workdir / f"{name}.log").open("w")
        logs.append(log)
        children.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))

    print(f"Database: {database_url.split('@')[-1]}; logs in {workdir}", flush=True)
    try:
        spawn("web", [PYTHON, "manage.py", "runserver", f"127.0.0.1:{WEB_PORT}", "--noreload"])
        time.sleep(2)
        # Phase 1: throughput under the limit.
        # Everything is queued before the workers start, so the rate measures sending alone.
        print(f"Phase 1: queueing {args.messages} emails, then starting {args.workers} workers", flush=True)
        enqueue(args.messages, 0)
        for number in range(args.workers):
            spawn(
                f"worker{number}",
                [
                    PYTHON,
                    "manage.py",
                    "db_worker",
                    "--queue-name",
                    "notifications",
                    "--interval",
                    "0.2",
                    "--no-startup-delay",
                    "--no-reload",
                    "--worker-id",
                    f"bench-{number}",
                    "-v0",
                ],
            )

        started = time.monotonic()
        cpu_before = cpu_split(children[1:], children[0])
        done = wait_until(lambda: fake.stats()["sent"] >= args.messages, args.timeout_minutes * 60)
        cpu = cpu_split(children[1:], children[0], cpu_before)
        times = sent_times(fake)
        span = max(times) - min(times) if len(times) > 1 else 0
        stats = fake.stats()
        print(
            f"  sent {stats['sent']} of {args.messages} in {time.monotonic() - started:.1f} s"
            f"{'' if done else ' (TIMED OUT)'}"
        )
        print(
            f"  rate: {stats['sent'] / span * 60:.0f} messages per minute (first to last send); "
            f"most in any 60 seconds: {max_in_any_minute(times)} (the limit: {args.notify_limit:,})"
        )
        print(f"  429 answers: {stats['rate_limited']}; duplicate sends: {stats['duplicates']}", flush=True)
        # Notify and its receipts run elsewhere in production; here they share the machine with the workers.
        print("  CPU seconds in phase 1: " + "; ".join(f"{name} {seconds:.0f}" for name, seconds in cpu.items()))
        sending = cpu["workers"] + cpu["PostgreSQL"]
        print(
            f"  sending alone (workers and PostgreSQL): {sending / max(stats['sent'], 1) * 1000:.1f} ms CPU an email, "
            f"about {stats['sent'] / sending * 60 * (os.cpu_count() or 1):,.0f} a minute on {os.cpu_count()} cores "
            "were it not sharing them (PostgreSQL includes the receipts' writes)",
            flush=True,
        )

        # Phase 2: the fake goes down while messages are being sent, then comes back.
        print(
            f"Phase 2: queueing {args.fault_messages} more and taking the fake down for {args.outage_seconds:.0f} s",
            flush=True,
        )
        before = fake.stats()["sent"]
        enqueue(args.fault_messages, args.messages)
        wait_until(lambda: fake.stats()["sent"] >= before + min(100, args.fault_messages // 4), 60, every=0.1)
        fake.stop()
        down_at = fake.stats()["sent"]
        time.sleep(args.outage_seconds)
        fake.start()
        print(f"  {down_at - before} sent before the outage; back up", flush=True)
        subprocess.run(
            [PYTHON, "manage.py", "enqueue_due_notifications"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        total = args.messages + args.fault_messages
        wait_until(lambda: fake.stats()["sent"] >= total, args.timeout_minutes * 60)
        wait_until(lambda: OutboxMessage.objects.filter(status="delivered").count() >= total, 120)

        stats = fake.stats()
        messages = OutboxMessage.objects.all()
        delivered = messages.filter(status="delivered").count()
        by_reference = {item["reference"]: item["id"] for item in fake.find(reference=None)}
        mismatched = sum(
            1
            for reference, notify_id in messages.values_list("reference", "notify_id")
            if by_reference.get(reference) != str(notify_id)
        )
        retried = sum(max(attempts - 1, 0) for attempts in messages.values_list("attempts", flat=True))
        print("Result:")
        print(
            f"  messages queued: {total}; accepted by the fake once each: {stats['unique_references']}; "
            f"delivered (by receipt): {delivered}"
        )
        print(
            f"  duplicate sends: {stats['duplicates']}; 429 answers: {stats['rate_limited']}; "
            f"outbox rows not matching the fake: {mismatched}"
        )
        print(
            f"  send attempts retried: {retried}; receipts posted: {stats['posted']} "
            f"(callback errors {stats['callback_errors']})"
        )
        print(json.dumps({"messages": total, **stats, "delivered": delivered, "retried": retried}))
        ok = delivered == total == stats["unique_references"] and stats["duplicates"] == 0 and mismatched == 0
        print("EVERY MESSAGE DELIVERED EXACTLY ONCE" if ok else "FAILED: see the figures above")
        return 0 if ok else 1
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        for log in logs:
            log.close()
        fake.stop()
        from django.db import connections

        connections.close_all()
        drop_database()


if __name__ == "__main__":
    sys.exit(main())
