"""Plan inputs made by hand, so each rule is tested without a database."""

import dataclasses
import datetime
from decimal import Decimal

from schooltech.planning.inputs import (
    ConnectionInfo,
    ContractInfo,
    DeviceMinimums,
    DutyInfo,
    KitGroup,
    PlanInputs,
    Price,
    RequirementGap,
    Route,
    ServerInfo,
    ServiceInfo,
    StandardInfo,
)

TODAY = datetime.date(2026, 5, 11)  # summer term: "now" falls due on 31 August 2026

PRICES = {
    key: Price(key, label, unit, Decimal(price))
    for key, label, unit, price in [
        ("laptop", "Laptop", "each", "600"),
        ("core_switch", "Core switch", "each", "8000"),
        ("edge_switch", "Edge switch", "each", "2000"),
        ("full_fibre_primary", "Full fibre connection (primary school)", "per year", "1500"),
        ("full_fibre_secondary", "Full fibre connection (secondary school)", "per year", "6000"),
        ("backup_connection", "Backup connection", "per year", "900"),
        ("cloud_migration", "Moving a server's services to the cloud", "one-off", "4000"),
        ("disposal", "Secure disposal", "each", "10"),
    ]
}
SPEEDS = {
    "primary": "At least 100 Mbps download and at least 30 Mbps upload.",
    "secondary": "Capacity for 1 Gbps download and 1 Gbps upload.",
}
ROUTES = [
    Route("everything-ict", "Everything ICT", ("broadband", "network", "devices", "cloud"), True, None, 0),
    Route("g-cloud", "G-Cloud 14", ("cloud",), True, None, 1),
    Route("ict-storage-network", "ICT networking and storage solutions", ("network",), True, None, 2),
    Route("own-procurement", "Run your own procurement", ("broadband", "network", "devices", "cloud"), False, None, 3),
]
ALL_REGISTERS = frozenset({"assets", "connections", "contracts", "services"})


def inputs(**changes) -> PlanInputs:
    base = PlanInputs(
        urn="900001",
        school_name="Hilltop Primary School",
        today=TODAY,
        horizon_years=5,
        phase_group="primary",
        prices=PRICES,
        speed_thresholds=SPEEDS,
        registers=ALL_REGISTERS,
    )
    return dataclasses.replace(base, **changes)


def contract(pk=1, **changes) -> ContractInfo:
    values = {
        "pk": pk,
        "supplier": "Copper Broadband Ltd",
        "title": "Broadband",
        "end_date": datetime.date(2027, 7, 11),
        "notice_days": 90,
        "auto_renews": True,
        "annual_cost": Decimal("1200.00"),
        "covers": ("broadband",),
    }
    values.update(changes)
    return ContractInfo(**values)


def connection(
    pk=1, technology="fttc", primary=True, contract_id=1, failover=False, contracted=(80.0, 20.0), measured=(70.0, 18.0)
) -> ConnectionInfo:
    labels = {
        "fttc": "Fibre to the cabinet (FTTC)",
        "fttp": "Full fibre (FTTP)",
        "mobile": "4G or 5G",
        "leased_line": "Leased line",
    }
    return ConnectionInfo(
        pk,
        "Copper Broadband Ltd",
        technology,
        labels.get(technology, technology),
        primary,
        failover,
        70.0,
        18.0,
        contract_id,
        is_main=primary,
        download_mbps_contracted=contracted[0],
        upload_mbps_contracted=contracted[1],
        download_mbps_measured=measured[0],
        upload_mbps_measured=measured[1],
    )


def kit(
    category="laptop",
    quantity=120,
    description="Windows 10",
    support_end=datetime.date(2025, 10, 14),
    warranty_end=None,
) -> KitGroup:
    label = {
        "laptop": "Laptop",
        "tablet": "Tablet",
        "core_switch": "Core switch",
        "edge_switch": "Edge switch",
        "ups": "UPS",
        "interactive_display": "Interactive display",
        "printer": "Printer or MFD",
    }.get(category, category)
    return KitGroup(
        category,
        label,
        quantity,
        description,
        support_end,
        "Windows 10 security updates end",
        support_end is not None,
        warranty_end,
    )


def server(pk=7, movable=True, support_end=datetime.date(2028, 1, 31)) -> ServerInfo:
    return ServerInfo(pk, "Dell PowerEdge T140 (SRV-01)", "file", movable, support_end)


def service(name="Email", hosting="cloud", location="uk", sso=True, mfa=True, **changes) -> ServiceInfo:
    return dataclasses.replace(ServiceInfo(name, "email", hosting, location, sso, mfa), **changes)


def minimums(category="laptop", quantity=30, not_met=(), unknown=(), description="Dell Latitude 3140"):
    label = {"laptop": "Laptop", "tablet": "Tablet"}.get(category, category)
    return DeviceMinimums(
        category, label, quantity, description, datetime.date(2023, 9, 1), tuple(not_met), tuple(unknown)
    )


def duty(key="cyber_risk_review", cadence="termly", standard="cyber_security", core=True) -> DutyInfo:
    return DutyInfo(key, f"Duty {key}", cadence, standard, standard.replace("_", " ").title(), "IT lead", core)


def gap(standard="broadband", requirement="full_fibre", when="end_of_contract", core=True, status="does_not_meet"):
    return RequirementGap(
        standard_key=standard,
        standard_title=standard.replace("_", " ").capitalize(),
        is_core=core,
        requirement_key=requirement,
        title=f"Meet {requirement}",
        when_to_meet=when,
        status=status,
        recommendation="Do the thing.",
        usually_done_by="School business manager",
        threshold="The threshold.",
        reasons=("Your connection is copper",),
        assessed_on=datetime.date(2026, 3, 1),
    )


def standard(key="wireless", core=True) -> StandardInfo:
    return StandardInfo(key, key.replace("_", " ").capitalize(), core)
