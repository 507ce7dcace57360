"""Facts the estate registers hold about an establishment, for the standards self-assessment.

This is the contract between the standards app (which owns this module) and the estate app.
The estate app implements `schooltech.estate.selectors.standards_facts_for(establishment)` and
registers it in `EstateConfig.ready()` with `register_provider(...)`. A provider returns a key
only when the registers actually hold that fact; the self-assessment then uses the fact instead
of asking the matching question, and shows the fact's `source`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schooltech.organisations.models import Establishment


@dataclass(frozen=True)
class RegisterFact:
    key: str  # one of FACT_KEYS
    value: bool | int | float | str | None
    source: str  # plain English, e.g. "Internet connections register: BT FTTP line, measured 12 March 2026"
    as_of: datetime.date | None


FACT_KEYS = {
    "broadband.primary_technology": "str: fttp | leased_line | fttc | adsl | satellite | mobile",
    "broadband.download_mbps_contracted": "float: the primary connection's contracted download capacity",
    "broadband.upload_mbps_contracted": "float: as above, upload",
    "broadband.download_mbps_measured": "float: the primary connection's latest measured download speed",
    "broadband.upload_mbps_measured": "float: as above, upload",
    "broadband.has_backup_of_different_type": "bool",
    "broadband.automatic_failover": "bool",
    "switching.total": "int: edge and core switches in use",
    "switching.out_of_support": (
        "int: switches in use whose manufacturer support has ended (unknown counts as not known, see below)"
    ),
    "switching.support_unknown": "int",
    "wireless.total": "int: access points in use",
    "wireless.out_of_support": "int",
    "wireless.centrally_managed": "bool: every access point is centrally managed",
    "devices.total": "int: laptops, desktops, tablets and Chromebooks in use",
    "devices.below_minimum": (
        "int: devices failing the standards' device minimums (support end passed, OS out of support)"
    ),
    "devices.support_unknown": "int",
    "cloud.services_total": "int: cloud services in the software register",
    "cloud.services_without_mfa": "int",
    "cloud.services_without_sso": "int",
    "cloud.services_data_outside_uk_eu": "int",
    "backup.has_backup_service": "bool: a backup service is in the software register",
}

Provider = Callable[["Establishment"], dict[str, RegisterFact]]
# The same facts for many establishments at once, by establishment id (national generation, snapshots).
ManyProvider = Callable[[list["Establishment"]], dict[int, dict[str, RegisterFact]]]

_providers: list[Provider] = []
_many: dict[Provider, ManyProvider] = {}


def register_provider(provider: Provider, *, many: ManyProvider | None = None) -> None:
    """Add a source of facts, with its reader for many establishments at once if it has one.
    Registering the same provider twice has no further effect."""
    if provider not in _providers:
        _providers.append(provider)
    if many is not None:
        _many[provider] = many


def unregister_provider(provider: Provider) -> None:
    """Remove a provider (used by tests that register a fake one)."""
    if provider in _providers:
        _providers.remove(provider)
    _many.pop(provider, None)


def facts_for(establishment: Establishment) -> dict[str, RegisterFact]:
    """Facts the registers hold for this establishment; a key is absent when the registers cannot say."""
    facts: dict[str, RegisterFact] = {}
    for provider in _providers:
        for key, fact in provider(establishment).items():
            if key in FACT_KEYS:
                facts[key] = fact
    return facts


def facts_for_many(establishments: Iterable[Establishment]) -> dict[int, dict[str, RegisterFact]]:
    """`facts_for` of each establishment, by id: a provider's reader for many where it has one."""
    schools = list(establishments)
    facts: dict[int, dict[str, RegisterFact]] = {school.pk: {} for school in schools}
    for provider in _providers:
        many = _many.get(provider)
        found = many(schools) if many else {school.pk: provider(school) for school in schools}
        for pk, school_facts in found.items():
            facts[pk].update({key: fact for key, fact in school_facts.items() if key in FACT_KEYS})
    return facts
