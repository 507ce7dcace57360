"""Time the base layout rendered in-process: header, service navigation, phase banner and footer.

Renders, with no database and no server, the layout with only a heading (the "bare layout") and
the layout floor page (the layout with a 20-row GOV.UK table, as bench_pages.py serves it), signed
out and signed in, and prints the median wall-clock and CPU milliseconds of many renders (CPU
time leaves out waiting for a core on a shared machine). Target: a bare layout in at most 5 ms.

    .venv/bin/python scripts/bench_layout.py [--renders 500]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schooltech.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.contrib.messages.storage.fallback import FallbackStorage  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from schooltech.core.views import FLOOR_ROWS  # noqa: E402

SIGNED_IN = SimpleNamespace(is_authenticated=True, is_staff=False, pk=1)


def a_request(user) -> object:
    request = RequestFactory().get("/standards")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    request._csp_nonce = get_random_string(22)
    return request


def medians_ms(render, renders: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds per render (CPU time leaves out waiting for a core)."""
    render()
    wall, cpu = [], []
    for _ in range(renders):
        wall_started, cpu_started = time.perf_counter(), time.process_time()
        render()
        wall.append((time.perf_counter() - wall_started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--renders", type=int, default=500)
    renders = parser.parse_args().renders
    jinja = engines["jinja2"]
    pages = [
        ("bare layout", jinja.get_template("core/layout_bare.html"), {}),
        ("layout floor (20-row table)", jinja.get_template("core/layout_floor.html"), {"rows": FLOOR_ROWS}),
    ]
    print(f"{'page':<30}{'who':<12}{'wall ms':>9}{'CPU ms':>9}")
    for name, template, context in pages:
        for who, user in (("signed out", AnonymousUser()), ("signed in", SIGNED_IN)):
            wall, cpu = medians_ms(partial(_render, template, context, user), renders)
            print(f"{name:<30}{who:<12}{wall:>9.2f}{cpu:>9.2f}")
    print(f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}; target: bare layout ≤ 5 ms")


def _render(template, context: dict, user) -> str:
    return template.render(context, request=a_request(user))


if __name__ == "__main__":
    main()
