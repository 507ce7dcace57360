"""The current catalogue (standards, requirements, duties), read once per change and kept in each process.

Nearly every page of a school reads the catalogue: three or four queries and about a hundred rows a
request, for data that changes only when `load_standards` publishes a version or support corrects
a row in the admin. Any such change writes a new random token to `CatalogueStamp` (the signals
connected in `apps.py` for single rows; `services.catalogue_load` for its bulk writes). A request
reads the token once, one small query, and uses the catalogue kept under it, so every process
sees a change from its next request on. Outside a request (tasks, commands) the token is read on
every call, as a long-running worker never starts a request.

A random token rather than a counter: a change that is rolled back restores the old token, whose
kept catalogue is still the right one; a counter could reach the same number twice with different
contents.

What is kept is shared by every request of the process: callers read the rows, never change them.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

from schooltech.core.kept import Kept
from schooltech.standards.models import CatalogueStamp, CatalogueVersion, Duty, Requirement, Standard


@dataclass(frozen=True)
class Catalogue:
    version: CatalogueVersion | None
    standards: tuple[Standard, ...]  # by position
    requirements: dict[tuple[str, str], Requirement]  # (standard key, requirement key), by position
    duties: tuple[Duty, ...]  # by standard, cadence and key

    def standard(self, key: str) -> Standard | None:
        return next((standard for standard in self.standards if standard.key == key), None)


_kept: Kept = Kept(limit=4)
_this_request = threading.local()


def current_catalogue() -> Catalogue:
    return _kept.get_or_make(_token(), _read)


def catalogue_changed(**_signal) -> None:
    """Every process reads the catalogue again from its next request (a signal receiver, and called
    by the catalogue loader after its bulk writes, which send no signals)."""
    CatalogueStamp.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    _this_request.token = None


def request_started(**_signal) -> None:
    _this_request.active = True
    _this_request.token = None


def request_finished(**_signal) -> None:
    _this_request.active = False
    _this_request.token = None


def forget() -> None:
    """For tests: each test's database starts again, and its tokens with it."""
    _kept.clear()
    _this_request.token = None


def _token() -> str:
    token = getattr(_this_request, "token", None)
    if token is None:
        token = CatalogueStamp.objects.filter(pk=1).values_list("token", flat=True).first() or ""
        if getattr(_this_request, "active", False):
            _this_request.token = token
    return token


def _read() -> Catalogue:
    version = CatalogueVersion.objects.filter(is_current=True).first()
    standards = tuple(Standard.objects.filter(version=version).order_by("position"))
    by_pk = {standard.pk: standard for standard in standards}
    requirements = {}
    for requirement in Requirement.objects.filter(standard__in=standards).order_by("standard__position", "position"):
        requirement.standard = by_pk[requirement.standard_id]
        requirements[(requirement.standard.key, requirement.key)] = requirement
    duties = []
    for duty in Duty.objects.filter(version=version).order_by("standard__position", "cadence", "key"):
        duty.standard = by_pk[duty.standard_id]
        duties.append(duty)
    return Catalogue(version=version, standards=standards, requirements=requirements, duties=tuple(duties))
