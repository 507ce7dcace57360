"""The one gateway to other websites: checking that each course's link still works.

`HttpLinkChecker` asks the page with a HEAD request (then GET, for sites that refuse HEAD), follows
redirects and calls anything but a 2xx answer broken. Tests and local runs use `FakeLinkChecker`,
which answers from a dictionary and never touches the network (settings.TRAINING_LINK_CHECKER).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TIMEOUT_SECONDS = 10
USER_AGENT = "PlanAndManageSchoolTechnology-LinkCheck/1.0 (+https://www.gov.uk)"


@dataclass(frozen=True)
class LinkResult:
    ok: bool
    problem: str = ""


class LinkChecker(Protocol):
    def check(self, url: str) -> LinkResult: ...


class HttpLinkChecker:
    def _ask(self, url: str, method: str) -> int:
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status

    def check(self, url: str) -> LinkResult:
        if not url.startswith("https://"):
            return LinkResult(False, "The link does not start with https://")
        for method in ("HEAD", "GET"):
            try:
                status = self._ask(url, method)
            except urllib.error.HTTPError as error:
                if method == "HEAD" and error.code in (403, 405, 501):
                    continue
                return LinkResult(False, f"The page answered {error.code}")
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                reason = getattr(error, "reason", error)
                return LinkResult(False, f"The page could not be reached ({reason})"[:300])
            return LinkResult(True) if 200 <= status < 300 else LinkResult(False, f"The page answered {status}")
        return LinkResult(False, "The page refused the check")


class FakeLinkChecker:
    """Answers from `results` (url -> LinkResult); any other link works. Records what it was asked."""

    def __init__(self, results: dict[str, LinkResult] | None = None):
        self.results = dict(results or {})
        self.asked: list[str] = []

    def check(self, url: str) -> LinkResult:
        self.asked.append(url)
        answer = self.results.get(url, LinkResult(True))
        if isinstance(answer, Exception):
            raise answer
        return answer


def default_checker() -> LinkChecker:
    """The checker settings.TRAINING_LINK_CHECKER names: the real one in production, the fake locally."""
    if settings.TRAINING_LINK_CHECKER == "http":
        return HttpLinkChecker()
    if settings.TRAINING_LINK_CHECKER == "fake":
        return FakeLinkChecker()
    raise ImproperlyConfigured(f"TRAINING_LINK_CHECKER must be http or fake, not {settings.TRAINING_LINK_CHECKER!r}")
