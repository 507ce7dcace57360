import datetime
from decimal import Decimal

import pytest
import time_machine

from schooltech.estate import selectors
from schooltech.estate.models import Connection
from schooltech.standards import register_facts
from tests.factories import (
    AssetFactory,
    ConnectionFactory,
    ContractFactory,
    EstablishmentFactory,
    InformationAssetFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


def test_no_register_rows_means_no_facts(school):
    assert selectors.standards_facts_for(school) == {}


@time_machine.travel(datetime.date(2026, 3, 1))
def test_connection_facts_give_contracted_and_measured_speeds_and_say_where_they_came_from(school):
    ConnectionFactory(
        establishment=school,
        provider="Fibre Co",
        download_mbps_measured=420.5,
        measured_on=datetime.date(2026, 2, 12),
        automatic_failover=True,
    )
    ConnectionFactory(establishment=school, technology="mobile", role=Connection.Role.BACKUP)
    facts = selectors.standards_facts_for(school)
    assert facts["broadband.primary_technology"].value == "fttp"
    assert facts["broadband.download_mbps_measured"].value == 420.5
    assert "measured 12 February 2026" in facts["broadband.download_mbps_measured"].source
    assert "contracted speed" in facts["broadband.download_mbps_contracted"].source
    assert facts["broadband.upload_mbps_contracted"].value == 100
    assert "broadband.upload_mbps_measured" not in facts  # nothing was measured
    assert facts["broadband.has_backup_of_different_type"].value is True
    assert facts["broadband.automatic_failover"].value is True
    assert set(facts) <= set(register_facts.FACT_KEYS)


@time_machine.travel(datetime.date(2026, 3, 1))
def test_kit_facts_count_out_of_support_and_unknown(school):
    AssetFactory(
        establishment=school, category="edge_switch", operating_system="", support_end=datetime.date(2025, 1, 1)
    )
    AssetFactory(establishment=school, category="core_switch", operating_system="", support_end=None)
    AssetFactory(
        establishment=school,
        category="access_point",
        operating_system="",
        wifi_standard="802.11n",
        centrally_managed=True,
    )
    AssetFactory(establishment=school, operating_system="Windows 10 Education", os_version="22H2")
    AssetFactory(establishment=school, support_end=None)
    AssetFactory(establishment=school, status="disposed", disposal_date=datetime.date(2025, 1, 1))
    facts = selectors.standards_facts_for(school)
    assert (facts["switching.total"].value, facts["switching.out_of_support"].value) == (2, 1)
    assert facts["switching.support_unknown"].value == 1
    assert "wireless.below_wifi_minimum" not in facts  # the standard sets no Wi-Fi floor for access points
    assert facts["wireless.centrally_managed"].value is True
    assert (facts["devices.total"].value, facts["devices.below_minimum"].value) == (2, 1)
    assert facts["devices.support_unknown"].value == 1


def test_service_facts(school):
    ServiceFactory(establishment=school, mfa_enforced=False, data_location="elsewhere")
    ServiceFactory(establishment=school, category="backup", name="Cloud Backup", single_sign_on=False)
    ServiceFactory(establishment=school, hosting="on_premises", mfa_enforced=False)
    facts = selectors.standards_facts_for(school)
    assert facts["cloud.services_total"].value == 2
    assert facts["cloud.services_without_mfa"].value == 1
    assert facts["cloud.services_without_sso"].value == 1
    assert facts["cloud.services_data_outside_uk_eu"].value == 1
    assert facts["backup.has_backup_service"].value is True


def test_the_estate_app_registers_its_provider_with_the_standards(school):
    ServiceFactory(establishment=school)
    assert "cloud.services_total" in register_facts.facts_for(school)


def test_contract_value_is_counted_in_each_financial_year_it_runs(school):
    ContractFactory(
        establishment=school,
        start_date=datetime.date(2025, 4, 1),
        end_date=datetime.date(2027, 3, 31),
        annual_cost=Decimal("1000"),
    )
    values = dict(selectors.contract_value_by_year(establishment=school, on=datetime.date(2026, 3, 1)))
    assert values == {
        "2024 to 2025": 0,
        "2025 to 2026": 1000,
        "2026 to 2027": 1000,
        "2027 to 2028": 0,
        "2028 to 2029": 0,
    }


def test_ending_soon_groups_by_window(school):
    on = datetime.date(2026, 3, 1)
    ContractFactory(establishment=school, end_date=datetime.date(2026, 10, 1), notice_days=90)
    AssetFactory(establishment=school, support_end=datetime.date(2026, 4, 15))
    found = selectors.ending_soon(establishment=school, on=on)
    assert [e.kind for e in found["Within 3 months"]] == ["Support ends"]
    assert [e.kind for e in found["In 3 to 6 months"]] == ["Notice deadline"]
    assert [e.kind for e in found["In 6 to 12 months"]] == ["Contract ends"]


def test_trust_overview_has_a_line_per_school(school, other_school):
    AssetFactory(establishment=school, support_end=None)
    ContractFactory(establishment=other_school, annual_cost=Decimal("500"))
    from schooltech.organisations.models import Establishment

    lines = selectors.schools_overview(establishments=Establishment.objects.filter(pk__in=[school.pk, other_school.pk]))
    by_name = {line.establishment.name: line for line in lines}
    assert by_name["Hilltop Primary School"].support_unknown == 1
    assert by_name["Other Secondary School"].annual_contract_value == Decimal("500")


def test_the_overview_counts_each_devices_support_as_the_device_page_would(school):
    on = datetime.date(2026, 3, 1)
    kinds = [
        ("Windows 10 Pro", "22H2", datetime.date(2030, 1, 1)),  # the system's support has ended
        ("Windows 10 Pro", "22H2", None),
        ("Windows 11 Education", "24H2", datetime.date(2025, 1, 1)),  # the device's support has ended
        ("Windows 11 Education", "24H2", None),  # unknown, as the two below
        ("Windows 11 Education", "24H2", datetime.date(2030, 1, 1)),
        ("ChromeOS", "", None),
        ("ChromeOS", "", datetime.date(2026, 3, 1)),  # ends today
        ("", "", None),
        ("Ubuntu", "22.04", datetime.date(2026, 9, 1)),
    ]
    for operating_system, os_version, support_end in kinds:
        AssetFactory.create_batch(
            2, establishment=school, operating_system=operating_system, os_version=os_version, support_end=support_end
        )
    AssetFactory(establishment=school, support_end=datetime.date(2020, 1, 1), status="disposed")
    from schooltech.estate import lifecycle
    from schooltech.estate.models import Asset
    from schooltech.organisations.models import Establishment

    in_use = Asset.objects.filter(establishment=school, status="in_use")
    each = [lifecycle.support_status(asset, today=on) for asset in in_use]
    (line,) = selectors.schools_overview(establishments=Establishment.objects.filter(pk=school.pk), on=on)
    assert (line.devices, line.support_ended, line.support_unknown) == (18, each.count("ended"), each.count("unknown"))
    assert each.count("ended") == 8 and each.count("unknown") == 6


# --- The main connection and the plan's facts ---------------------------------------------------------


def test_the_main_connection_is_the_first_recorded_primary_whatever_the_providers_are_called(school):
    ConnectionFactory(establishment=school, provider="Zeta Backup", role=Connection.Role.BACKUP, technology="mobile")
    first_primary = ConnectionFactory(establishment=school, provider="Zebra Fibre", technology="fttp")
    ConnectionFactory(establishment=school, provider="Alpha Fibre", technology="fttc")
    assert selectors.main_connection(list(Connection.objects.filter(establishment=school))) == first_primary
    assert selectors.standards_facts_for(school)["broadband.primary_technology"].value == "fttp"
    (plan,) = selectors.plan_registers(establishment_ids=[school.pk]).values()
    assert [c.pk for c in plan.connections if c.is_main] == [first_primary.pk]


def test_without_a_primary_the_main_connection_is_the_first_recorded(school):
    first = ConnectionFactory(establishment=school, provider="Zulu", role=Connection.Role.BACKUP, technology="adsl")
    ConnectionFactory(establishment=school, provider="Alpha", role=Connection.Role.BACKUP, technology="mobile")
    assert selectors.standards_facts_for(school)["broadband.primary_technology"].value == "adsl"
    (plan,) = selectors.plan_registers(establishment_ids=[school.pk]).values()
    assert [c.pk for c in plan.connections if c.is_main] == [first.pk]


def test_plan_registers_say_what_each_contract_is_linked_to(school, other_school):
    contract = ContractFactory(establishment=school)
    ConnectionFactory(establishment=school, contract=contract)
    ServiceFactory(establishment=school, contract=contract, hosting="cloud")
    AssetFactory(establishment=school, contract=contract, category="laptop")
    AssetFactory(establishment=school, category="server", status="disposed")
    found = selectors.plan_registers(establishment_ids=[school.pk, other_school.pk])
    assert found[school.pk].contracts[0].linked == ("cloud_service", "connection", "laptop")
    assert found[school.pk].held == {"assets", "connections", "services", "contracts"}
    assert found[school.pk].servers == []  # only servers in use
    assert found[other_school.pk].held == frozenset()


def test_plan_registers_count_each_schools_information_assets(school, other_school):
    InformationAssetFactory(establishment=school)
    InformationAssetFactory(establishment=school)
    found = selectors.plan_registers(establishment_ids=[school.pk, other_school.pk])
    assert (found[school.pk].information_assets, found[other_school.pk].information_assets) == (2, 0)


def test_plan_registers_take_the_same_queries_for_one_school_or_many(school, django_assert_num_queries):
    schools = [school, *(EstablishmentFactory() for _ in range(5))]
    for each in schools:
        ConnectionFactory(establishment=each)
        AssetFactory(establishment=each, contract=ContractFactory(establishment=each))
        AssetFactory(establishment=each, category="server")
        ServiceFactory(establishment=each)
        InformationAssetFactory(establishment=each)
    with django_assert_num_queries(PLAN_REGISTER_QUERIES):
        selectors.plan_registers(establishment_ids=[school.pk])
    with django_assert_num_queries(PLAN_REGISTER_QUERIES):
        many = selectors.plan_registers(establishment_ids=[each.pk for each in schools])
    assert all(len(many[each.pk].kit) == 1 and len(many[each.pk].servers) == 1 for each in schools)


PLAN_REGISTER_QUERIES = 9  # connections, services, kit groups, assets in use, device minimums, servers,
# linked assets, contracts, information assets
