import datetime
from types import SimpleNamespace

import pytest

from schooltech.estate import lifecycle

TODAY = datetime.date(2026, 3, 1)


def _device(**fields):
    base = {
        "category": "laptop",
        "operating_system": "",
        "os_version": "",
        "support_end": None,
        "purchase_date": None,
        "warranty_end": None,
        "wifi_standard": "",
    }
    return SimpleNamespace(**{**base, **fields})


@pytest.mark.parametrize(
    ("system", "version", "end"),
    [
        ("Windows 10 Education", "22H2", datetime.date(2025, 10, 14)),
        ("Windows", "10.0.19045.5011", datetime.date(2025, 10, 14)),
        ("Windows", "10.0.22631.4460", datetime.date(2026, 11, 10)),
        ("Windows 11 Education", "24H2", datetime.date(2027, 10, 12)),
        ("macOS", "13.6.1", datetime.date(2025, 9, 15)),
        ("iPadOS", "16.7", datetime.date(2024, 9, 16)),
    ],
)
def test_known_operating_system_support_ends(system, version, end):
    assert lifecycle.os_support(system, version).support_end == end


def test_chromeos_support_is_per_device_and_points_to_the_aue_date():
    support = lifecycle.os_support("ChromeOS", "128.0")
    assert support.support_end is None
    assert "Auto Update Expiration" in support.advice


def test_a_device_without_a_support_end_is_unknown_not_fine():
    device = _device(operating_system="Windows 11 Education", os_version="24H2")
    assert lifecycle.support_status(device, today=TODAY) == "unknown"


def test_windows_10_has_ended_whatever_the_hardware_date():
    device = _device(operating_system="Windows 10 Pro", support_end=datetime.date(2030, 1, 1))
    assert lifecycle.support_status(device, today=TODAY) == "ended"
    assert lifecycle.is_below_minimum(device, today=TODAY)


def test_support_ending_within_a_year_is_ending_soon():
    device = _device(support_end=datetime.date(2026, 12, 1))
    assert lifecycle.support_status(device, today=TODAY) == "ending_soon"
    assert lifecycle.support_status(_device(support_end=datetime.date(2029, 1, 1)), today=TODAY) == "supported"


def test_laptops_need_five_years_of_updates_and_tablets_three():
    bought = datetime.date(2024, 9, 1)
    four_years = datetime.date(2028, 9, 1)
    assert lifecycle.meets_update_years(_device(purchase_date=bought, support_end=four_years)) == "not_met"
    assert (
        lifecycle.meets_update_years(_device(category="tablet", purchase_date=bought, support_end=four_years)) == "met"
    )
    assert lifecycle.meets_update_years(_device(purchase_date=bought)) == "unknown"


def test_warranty_minimums_are_three_years_for_laptops_and_two_for_tablets():
    bought = datetime.date(2024, 2, 29)
    two_years = datetime.date(2026, 2, 28)
    assert lifecycle.meets_warranty_years(_device(purchase_date=bought, warranty_end=two_years)) == "not_met"
    assert (
        lifecycle.meets_warranty_years(_device(category="tablet", purchase_date=bought, warranty_end=two_years))
        == "met"
    )


def test_wifi_must_be_at_least_802_11ac_wave_2():
    assert lifecycle.meets_wifi_minimum(_device(wifi_standard="802.11ac_wave1")) == "not_met"
    assert lifecycle.meets_wifi_minimum(_device(wifi_standard="802.11ac_wave2")) == "met"
    assert lifecycle.meets_wifi_minimum(_device(wifi_standard="wifi6e")) == "met"
    assert lifecycle.meets_wifi_minimum(_device()) == "unknown"


def test_chromebook_os_support_uses_the_recorded_aue_date():
    chromebook = _device(category="chromebook", operating_system="ChromeOS", support_end=datetime.date(2025, 6, 1))
    assert lifecycle.meets_os_support(chromebook, today=TODAY) == "not_met"
    assert lifecycle.meets_os_support(_device(operating_system="ChromeOS"), today=TODAY) == "unknown"


def test_device_minimums_list_every_check():
    checks = lifecycle.device_minimums(_device(category="tablet"), today=TODAY)
    assert [check.outcome for check in checks] == ["unknown"] * 4
    assert "3 years of updates" in checks[1].name
