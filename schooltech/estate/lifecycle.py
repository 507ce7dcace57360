"""Lifecycle rules, kept as data: when operating systems stop getting security updates, and the
standards' device minimums, each evaluated per asset by a small function.

A date we do not know is "unknown", never assumed fine. Sources (check before each release):
- Windows: Microsoft lifecycle pages (Windows 10 ended 14 October 2025; Windows 11 Education and
  Enterprise editions get 36 months per annual release, which is what schools run).
- macOS and iPadOS: Apple publishes no end dates; in practice only the latest three versions get
  security updates, so a version is treated as ended when the third release after it shipped.
- ChromeOS: support ends on each model's Auto Update Expiration (AUE) date, so it is per device.
- Device minimums: GOV.UK "Laptops, desktops and tablets" standard.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Literal

from schooltech.estate.models import AssetCategory, WifiStandard

Outcome = Literal["met", "not_met", "unknown"]
SupportStatus = Literal["supported", "ending_soon", "ended", "unknown"]
ENDING_SOON_DAYS = 365


@dataclass(frozen=True)
class OsRelease:
    family: str
    version: str
    support_end: datetime.date | None
    note: str = ""


WINDOWS_NOTE = "Education and Enterprise editions"
APPLE_NOTE = "Apple publishes no end date: it stops updating a version once three newer ones exist"
AUE_ADVICE = "Check the device's Auto Update Expiration (AUE) date in Google Admin and record it as its support end"

OS_RELEASES: tuple[OsRelease, ...] = (
    OsRelease("Windows", "7", datetime.date(2020, 1, 14)),
    OsRelease("Windows", "8.1", datetime.date(2023, 1, 10)),
    OsRelease("Windows", "10", datetime.date(2025, 10, 14), "Windows 10 support ended on 14 October 2025"),
    OsRelease("Windows", "11 21H2", datetime.date(2024, 10, 8), WINDOWS_NOTE),
    OsRelease("Windows", "11 22H2", datetime.date(2025, 10, 14), WINDOWS_NOTE),
    OsRelease("Windows", "11 23H2", datetime.date(2026, 11, 10), WINDOWS_NOTE),
    OsRelease("Windows", "11 24H2", datetime.date(2027, 10, 12), WINDOWS_NOTE),
    OsRelease("Windows", "11 25H2", datetime.date(2028, 10, 10), WINDOWS_NOTE),
    OsRelease("macOS", "11", datetime.date(2023, 9, 26), APPLE_NOTE),
    OsRelease("macOS", "12", datetime.date(2024, 9, 16), APPLE_NOTE),
    OsRelease("macOS", "13", datetime.date(2025, 9, 15), APPLE_NOTE),
    OsRelease("iPadOS", "15", datetime.date(2023, 9, 18), APPLE_NOTE),
    OsRelease("iPadOS", "16", datetime.date(2024, 9, 16), APPLE_NOTE),
)
# Windows build numbers, as device-management tools report them (10.0.<build>.<revision>).
WINDOWS_BUILDS = {
    "22000": "11 21H2",
    "22621": "11 22H2",
    "22631": "11 23H2",
    "26100": "11 24H2",
    "26200": "11 25H2",
}
_RELEASES = {(release.family.lower(), release.version.lower()): release for release in OS_RELEASES}


@dataclass(frozen=True)
class OsSupport:
    label: str
    support_end: datetime.date | None
    advice: str = ""


def _family(operating_system: str) -> str | None:
    text = operating_system.lower()
    for family in ("windows", "macos", "ipados", "chromeos"):
        if family in text.replace(" ", "") or (family == "macos" and "mac os" in text):
            return family
    if "chrome" in text:
        return "chromeos"
    if text.startswith("ios") or "ipad" in text:
        return "ipados"
    return None


def _windows_version(operating_system: str, version: str) -> str | None:
    text = f"{operating_system} {version}".lower()
    build = re.search(r"10\.0\.(\d{5})", text)
    if build:
        number = build.group(1)
        return WINDOWS_BUILDS.get(number) or ("10" if int(number) < 22000 else None)
    feature = re.search(r"\b(2[0-9]h[12])\b", text)
    if re.search(r"windows\s*11|\b11\b", text):
        return f"11 {feature.group(1).upper()}" if feature else None
    for major in ("10", "8.1", "7"):
        if re.search(rf"windows\s*{re.escape(major)}\b", text) or version.strip() == major:
            return major
    return None


@functools.lru_cache(maxsize=4096)  # a school has a few dozen distinct OS strings, read per device
def os_support(operating_system: str, os_version: str = "") -> OsSupport | None:
    """When this operating system release stops getting security updates, if we know."""
    if not operating_system.strip():
        return None
    family = _family(operating_system)
    if family == "chromeos":
        return OsSupport("ChromeOS", None, AUE_ADVICE)
    if family == "windows":
        version = _windows_version(operating_system, os_version)
        release = _RELEASES.get(("windows", (version or "").lower()))
        label = f"Windows {version}" if version else operating_system
        return OsSupport(label, release.support_end if release else None, release.note if release else "")
    if family in ("macos", "ipados"):
        major = re.search(r"(\d+)", os_version or operating_system)
        name = "macOS" if family == "macos" else "iPadOS"
        if not major:
            return OsSupport(name, None, "")
        release = _RELEASES.get((family, major.group(1)))
        return OsSupport(f"{name} {major.group(1)}", release.support_end if release else None, APPLE_NOTE)
    return OsSupport(operating_system, None, "")


def effective_support_end(asset) -> datetime.date | None:
    """The earliest known end of support: the manufacturer's date or the operating system's."""
    dates = [asset.support_end]
    support = os_support(asset.operating_system, asset.os_version)
    if support:
        dates.append(support.support_end)
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def support_status(asset, *, today: datetime.date) -> SupportStatus:
    """Ended if any known date has passed; unknown without the manufacturer's date; else by date."""
    end = effective_support_end(asset)
    if end is not None and end <= today:
        return "ended"
    if asset.support_end is None:
        return "unknown"
    if end is not None and (end - today).days <= ENDING_SOON_DAYS:
        return "ending_soon"
    return "supported"


# --- The standards' device minimums -------------------------------------------------------------

MINIMUM_UPDATE_YEARS = {
    AssetCategory.LAPTOP: 5,
    AssetCategory.DESKTOP: 5,
    AssetCategory.CHROMEBOOK: 5,
    AssetCategory.TABLET: 3,
}
MINIMUM_WARRANTY_YEARS = {
    AssetCategory.LAPTOP: 3,
    AssetCategory.DESKTOP: 3,
    AssetCategory.CHROMEBOOK: 3,
    AssetCategory.TABLET: 2,
}
MINIMUM_WIFI = WifiStandard.AC_WAVE_2
_WIFI_ORDER = [choice.value for choice in WifiStandard]


def _years_after(start: datetime.date, years: int) -> datetime.date:
    year = min(start.year + years, datetime.MAXYEAR)  # stored dates may predate today's bounds
    try:
        return start.replace(year=year)
    except ValueError:  # 29 February
        return start.replace(year=year, day=28)


def _covers_years(start: datetime.date | None, end: datetime.date | None, years: int | None) -> Outcome:
    if years is None:
        return "met"
    if start is None or end is None:
        return "unknown"
    return "met" if end >= _years_after(start, years) else "not_met"


def meets_update_years(asset) -> Outcome:
    """At least 5 years (laptops, desktops) or 3 years (tablets) of updates from purchase."""
    return _covers_years(asset.purchase_date, asset.support_end, MINIMUM_UPDATE_YEARS.get(asset.category))


def meets_warranty_years(asset) -> Outcome:
    """A warranty of at least 3 years (laptops, desktops) or 2 years (tablets) from purchase."""
    return _covers_years(asset.purchase_date, asset.warranty_end, MINIMUM_WARRANTY_YEARS.get(asset.category))


def meets_wifi_minimum(asset) -> Outcome:
    """Wi-Fi at least 802.11ac Wave 2."""
    if not asset.wifi_standard:
        return "unknown"
    return "met" if _WIFI_ORDER.index(asset.wifi_standard) >= _WIFI_ORDER.index(MINIMUM_WIFI) else "not_met"


def meets_os_support(asset, *, today: datetime.date) -> Outcome:
    """The operating system still gets security updates."""
    support = os_support(asset.operating_system, asset.os_version)
    end = support.support_end if support else None
    if support and support.label == "ChromeOS":
        end = asset.support_end  # the AUE date, recorded as the device's support end
    if end is None:
        return "unknown"
    return "met" if end > today else "not_met"


def is_below_minimum(asset, *, today: datetime.date) -> bool:
    """For the standards' facts: a device whose support end or operating system support has passed."""
    return support_status(asset, today=today) == "ended"


@dataclass(frozen=True)
class MinimumCheck:
    name: str
    outcome: Outcome


def device_minimums(asset, *, today: datetime.date) -> list[MinimumCheck]:
    checks = [
        MinimumCheck("Operating system gets security updates", meets_os_support(asset, today=today)),
        MinimumCheck(
            f"At least {MINIMUM_UPDATE_YEARS.get(asset.category, 5)} years of updates from purchase",
            meets_update_years(asset),
        ),
        MinimumCheck(
            f"Warranty of at least {MINIMUM_WARRANTY_YEARS.get(asset.category, 3)} years", meets_warranty_years(asset)
        ),
        MinimumCheck("Wi-Fi at least 802.11ac Wave 2", meets_wifi_minimum(asset)),
    ]
    return checks
