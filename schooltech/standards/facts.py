"""Rules that answer a question from the estate registers' facts (see register_facts.py).

A question names its rule in the catalogue (`fact_rule: broadband_download`). A rule returns the
answer the facts give, with the facts it used, or None when the registers cannot say: then the
question is asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from schooltech.standards.register_facts import RegisterFact

Facts = dict[str, RegisterFact]


@dataclass(frozen=True)
class FactAnswer:
    answer_key: str
    facts: tuple[RegisterFact, ...]

    @property
    def source(self) -> str:
        return "; ".join(fact.source for fact in self.facts)


def _value(facts: Facts, key: str):
    fact = facts.get(key)
    return None if fact is None else fact.value


def _known(facts: Facts, *keys: str) -> bool:
    return all(_value(facts, key) is not None for key in keys)


def broadband_technology(facts: Facts) -> FactAnswer | None:
    technology = _value(facts, "broadband.primary_technology")
    answer = {"fttp": "full_fibre", "leased_line": "full_fibre", "fttc": "copper", "adsl": "copper"}.get(
        technology, "other" if technology in {"satellite", "mobile"} else None
    )
    return FactAnswer(answer, (facts["broadband.primary_technology"],)) if answer else None


def _speed_band(mbps: float, lower_band: str, lower_limit: float, middle_band: str) -> str:
    if mbps >= 1000:
        return "gigabit"
    return middle_band if mbps >= lower_limit else lower_band


def _capacity(facts: Facts, direction: str, lower_band: str, lower_limit: float, middle_band: str):
    """The band of the line's contracted capacity, which is what the standard judges.

    A speed test only proves the capacity is at least what it measured, so a measurement answers
    only when it reaches 1 Gbps; otherwise (a 1 Gbps line often tests at 940 Mbps) the question is asked.
    """
    contracted = facts.get(f"broadband.{direction}_mbps_contracted")
    if contracted is not None and contracted.value is not None:
        return FactAnswer(_speed_band(float(contracted.value), lower_band, lower_limit, middle_band), (contracted,))
    measured = facts.get(f"broadband.{direction}_mbps_measured")
    if measured is not None and measured.value is not None and float(measured.value) >= 1000:
        return FactAnswer("gigabit", (measured,))
    return None


def broadband_download(facts: Facts) -> FactAnswer | None:
    return _capacity(facts, "download", "under_100", 100, "from_100")


def broadband_upload(facts: Facts) -> FactAnswer | None:
    return _capacity(facts, "upload", "under_30", 30, "from_30")


def broadband_backup(facts: Facts) -> FactAnswer | None:
    has_backup = _value(facts, "broadband.has_backup_of_different_type")
    if has_backup is False:
        return FactAnswer("none", (facts["broadband.has_backup_of_different_type"],))
    if has_backup and _known(facts, "broadband.automatic_failover"):
        used = (facts["broadband.has_backup_of_different_type"], facts["broadband.automatic_failover"])
        return FactAnswer("automatic" if _value(facts, "broadband.automatic_failover") else "partial", used)
    return None


def _support(facts: Facts, prefix: str, *problem_keys: str) -> FactAnswer | None:
    """All supported, some not, or None when the register has no equipment or cannot tell."""
    total_key = f"{prefix}.total"
    if not _value(facts, total_key):
        return None
    problems = [key for key in problem_keys if _value(facts, key)]
    if problems:
        return FactAnswer("some_unsupported", tuple(facts[key] for key in (total_key, *problems)))
    unknown_key = f"{prefix}.support_unknown"
    if _value(facts, unknown_key) or not _known(facts, *problem_keys):
        return None
    return FactAnswer("all_supported", tuple(facts[key] for key in (total_key, *problem_keys)))


def switches_support(facts: Facts) -> FactAnswer | None:
    return _support(facts, "switching", "switching.out_of_support")


def wireless_support(facts: Facts) -> FactAnswer | None:
    # The standard sets no minimum Wi-Fi version for access points already installed (Wi-Fi 7 is
    # for upgrades), so only support decides.
    return _support(facts, "wireless", "wireless.out_of_support")


def wireless_managed(facts: Facts) -> FactAnswer | None:
    managed = _value(facts, "wireless.centrally_managed")
    if managed is None:
        return None
    return FactAnswer("yes" if managed else "no", (facts["wireless.centrally_managed"],))


def devices_minimums(facts: Facts) -> FactAnswer | None:
    answer = _support(facts, "devices", "devices.below_minimum")
    if answer is None:
        return None
    return FactAnswer("all_meet" if answer.answer_key == "all_supported" else "some_below", answer.facts)


def _share_of_cloud_services(facts: Facts, key: str) -> FactAnswer | None:
    """all / some / none of the cloud services have the property whose absence `key` counts."""
    total, without = _value(facts, "cloud.services_total"), _value(facts, key)
    if not total or without is None:
        return None
    answer = "all" if without == 0 else "none" if without >= total else "some"
    return FactAnswer(answer, (facts["cloud.services_total"], facts[key]))


def cloud_mfa(facts: Facts) -> FactAnswer | None:
    return _share_of_cloud_services(facts, "cloud.services_without_mfa")


def cloud_sso(facts: Facts) -> FactAnswer | None:
    return _share_of_cloud_services(facts, "cloud.services_without_sso")


def cloud_data_location(facts: Facts) -> FactAnswer | None:
    total, outside = _value(facts, "cloud.services_total"), _value(facts, "cloud.services_data_outside_uk_eu")
    if not total or outside is None:
        return None
    used = (facts["cloud.services_total"], facts["cloud.services_data_outside_uk_eu"])
    return FactAnswer("uk_eu" if outside == 0 else "some_outside", used)


def backup_service(facts: Facts) -> FactAnswer | None:
    # A backup service missing from the software register does not prove there are no backups
    # (they may run on site), so only a recorded service answers the question.
    if _value(facts, "backup.has_backup_service") is True:
        return FactAnswer("yes", (facts["backup.has_backup_service"],))
    return None


FACT_RULES: dict[str, Callable[[Facts], FactAnswer | None]] = {
    rule.__name__: rule
    for rule in (
        broadband_technology,
        broadband_download,
        broadband_upload,
        broadband_backup,
        switches_support,
        wireless_support,
        wireless_managed,
        devices_minimums,
        cloud_mfa,
        cloud_sso,
        cloud_data_location,
        backup_service,
    )
}
