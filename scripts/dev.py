"""Start every local process the service needs, and stop them all together on Ctrl+C.

Run by `make dev` after set-up. Each entry in PROCESSES is (name, command); output is prefixed
with the name. Add a process here when a new local fake or worker is needed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

ENVIRONMENT = {"DEBUG": "1", "PYTHONUNBUFFERED": "1"}

PROCESSES: list[tuple[str, list[str]]] = [
    ("web", [PYTHON, "manage.py", "runserver", "127.0.0.1:8000"]),
    # Local DfE Sign-in stand-in on another host, so its cookies never collide with the service's.
    ("signin", [PYTHON, "-m", "devtools.oidc_provider", "--host", "localhost", "--port", "8001"]),
    # Fake GOV.UK Notify (sent emails at http://127.0.0.1:8002/) and the worker that sends them.
    ("notify", [PYTHON, "-m", "devtools.fake_notify", "--port", "8002"]),
    ("worker", [PYTHON, "manage.py", "db_worker", "--queue-name", "notifications,default"]),
    # The reminder jobs, once an hour (what cron or the platform's scheduler does in production).
    ("scheduler", [PYTHON, "manage.py", "run_scheduler"]),
]


def _relay(name: str, stream) -> None:
    for line in iter(stream.readline, ""):
        sys.stdout.write(f"{name:>8} | {line}")
    stream.close()


def main() -> int:
    env = {**os.environ, **ENVIRONMENT}
    children = []
    for name, command in PROCESSES:
        child = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=_relay, args=(name, child.stdout), daemon=True).start()
        children.append(child)
    print("The service is running at http://127.0.0.1:8000 (press Ctrl+C to stop)", flush=True)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    failed = [name for (name, _), child in zip(PROCESSES, children, strict=True) if child.returncode not in (0, -15)]
    if failed:
        print(f"Stopped because {', '.join(failed)} exited", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
