"""Realistic, made-up registers for demos and benchmarks, deterministic for a seed.

Sizes follow the school: about one device for every two to three pupils (the mix by phase),
network kit by size, one or two internet connections, 8 to 15 services and 10 to 40 contracts.
Makes and models are real products; suppliers and people are invented (no real names).
Generated rows are bulk-inserted without history rows (nobody made these changes), through
`estate.services.generated_registers_insert`.
"""

from __future__ import annotations

import datetime
import functools
import random
from collections.abc import Iterable
from decimal import Decimal

from schooltech.core import bulk
from schooltech.estate import services
from schooltech.estate.models import (
    Asset,
    AssetCategory,
    AssetStatus,
    Connection,
    ConnectionTechnology,
    Contract,
    InformationAsset,
    ServerRole,
    Service,
    ServiceCategory,
    WifiStandard,
)
from schooltech.organisations.models import Establishment

# (make, model, operating system, OS version, price, support years, warranty years, wifi)
DEVICE_MODELS = {
    AssetCategory.LAPTOP: [
        ("Dell", "Latitude 3440", "Windows 11 Education", "23H2", 649, 6, 3, WifiStandard.WIFI_6),
        ("Lenovo", "ThinkPad L13 Gen 4", "Windows 11 Education", "24H2", 699, 6, 3, WifiStandard.WIFI_6E),
        ("HP", "ProBook 450 G8", "Windows 10 Education", "22H2", 589, 5, 3, WifiStandard.WIFI_6),
        ("Apple", "MacBook Air 13-inch (M2)", "macOS", "15.3", 949, 7, 1, WifiStandard.WIFI_6),
        ("Lenovo", "ThinkPad E14 Gen 2", "Windows 10 Pro", "22H2", 540, 4, 1, WifiStandard.AC_WAVE_2),
    ],
    AssetCategory.DESKTOP: [
        ("Dell", "OptiPlex 7010", "Windows 11 Education", "23H2", 620, 6, 3, ""),
        ("HP", "ProDesk 400 G9", "Windows 11 Education", "24H2", 590, 6, 3, ""),
        ("Lenovo", "ThinkCentre M70q", "Windows 10 Education", "22H2", 520, 5, 3, ""),
        ("Apple", "iMac 24-inch (M3)", "macOS", "15.3", 1299, 7, 1, WifiStandard.WIFI_6E),
    ],
    AssetCategory.CHROMEBOOK: [
        ("Acer", "Chromebook 511", "ChromeOS", "132", 279, 10, 3, WifiStandard.WIFI_6),
        ("Lenovo", "300e Chromebook Gen 3", "ChromeOS", "132", 259, 8, 2, WifiStandard.AC_WAVE_2),
        ("HP", "Chromebook 11 G9 EE", "ChromeOS", "132", 249, 8, 2, WifiStandard.AC_WAVE_2),
    ],
    AssetCategory.TABLET: [
        ("Apple", "iPad (10th generation)", "iPadOS", "18.3", 349, 6, 1, WifiStandard.WIFI_6),
        ("Apple", "iPad (9th generation)", "iPadOS", "17.7", 299, 5, 1, WifiStandard.AC_WAVE_2),
        ("Samsung", "Galaxy Tab A8", "Android", "14", 199, 4, 2, WifiStandard.AC_WAVE_1),
    ],
}
NETWORK_MODELS = {
    AssetCategory.EDGE_SWITCH: [
        ("HPE Aruba", "CX 6100 48G", 7),
        ("Cisco", "Catalyst 9200L-48P", 7),
        ("Netgear", "M4250-26G4F", 5),
    ],
    AssetCategory.CORE_SWITCH: [("HPE Aruba", "CX 6300M", 8), ("Cisco", "Catalyst 9300-24S", 8)],
    AssetCategory.ACCESS_POINT: [("Ubiquiti", "UniFi U6 Pro", 5), ("HPE Aruba", "AP-505", 7), ("Meraki", "MR36", 7)],
    AssetCategory.FIREWALL: [("Fortinet", "FortiGate 60F", 6), ("Sophos", "XGS 2100", 5)],
    AssetCategory.ROUTER: [("Cisco", "ISR 1100", 7)],
    AssetCategory.SERVER: [("Dell", "PowerEdge R450", 7), ("HPE", "ProLiant DL360 Gen10", 7)],
    AssetCategory.STORAGE: [("Synology", "RackStation RS1221+", 5)],
    AssetCategory.UPS: [("APC", "Smart-UPS 1500", 5), ("Eaton", "5PX 1500", 5)],
    AssetCategory.INTERACTIVE_DISPLAY: [
        ("Promethean", "ActivPanel 9 65-inch", 5),
        ("Clevertouch", "UX Pro 75-inch", 5),
    ],
    AssetCategory.PRINTER: [
        ("Kyocera", "TASKalfa 3554ci", 5),
        ("Ricoh", "IM C3000", 5),
        ("Canon", "imageRUNNER C3226i", 5),
    ],
}
AP_WIFI = [WifiStandard.AC_WAVE_1, WifiStandard.AC_WAVE_2, WifiStandard.WIFI_6, WifiStandard.WIFI_6E]
SUPPLIERS = [
    "Brightpath Schools IT Ltd",
    "Northfield Education Services",
    "Keystone Network Solutions",
    "Meadowbank Technology Partners",
    "Riverside Learning Systems",
    "Oakridge Print and Copy",
    "Clearwater Connectivity Ltd",
    "Hollybrook Cloud Services",
    "Summit Device Leasing",
    "Lantern Safeguarding Software",
    "Foxglove Finance Systems",
    "Ashcombe Telecoms",
]
BROADBAND_PROVIDERS = ["Clearwater Connectivity Ltd", "Ashcombe Telecoms", "Regional Schools Network", "Fibrewave Ltd"]
SERVICES = [
    ("Management information system", ServiceCategory.MIS, "cloud"),
    ("Email and collaboration suite", ServiceCategory.EMAIL, "cloud"),
    ("Learning platform", ServiceCategory.LEARNING_PLATFORM, "cloud"),
    ("Safeguarding records", ServiceCategory.SAFEGUARDING, "cloud"),
    ("Web filtering", ServiceCategory.FILTERING, "cloud"),
    ("Device monitoring", ServiceCategory.MONITORING, "cloud"),
    ("Cloud backup", ServiceCategory.BACKUP, "cloud"),
    ("Finance system", ServiceCategory.FINANCE, "cloud"),
    ("HR and payroll", ServiceCategory.HR, "cloud"),
    ("Maths practice", ServiceCategory.CURRICULUM, "cloud"),
    ("Reading programme", ServiceCategory.CURRICULUM, "cloud"),
    ("Parent communication app", ServiceCategory.OTHER, "cloud"),
    ("Cashless catering", ServiceCategory.OTHER, "on_premises"),
    ("Door access control", ServiceCategory.OTHER, "on_premises"),
    ("Local file server shares", ServiceCategory.OTHER, "on_premises"),
]
CONTRACT_TITLES = [
    "IT support",
    "Broadband",
    "Backup broadband",
    "Device lease",
    "Printer and copier lease",
    "Web filtering licence",
    "Monitoring licence",
    "MIS subscription",
    "Email and collaboration licences",
    "Antivirus licences",
    "Wi-Fi support and licences",
    "Cloud backup",
    "Telephony",
    "Interactive display maintenance",
    "Curriculum software",
    "Finance system subscription",
    "Safeguarding software",
    "Network maintenance",
    "CCTV maintenance",
    "Website hosting",
]
ROLES = ["School business manager", "IT lead", "Headteacher", "Data protection officer", "Office manager"]
LOCATIONS = [
    "Main building",
    "Library",
    "ICT suite",
    "Science block",
    "Staff room",
    "Hall",
    "Year 6 classroom",
    "Server room",
]
BUYING_ROUTES = [
    "DfE-approved framework",
    "Local authority buying service",
    "Direct award (below threshold)",
    "Further competition",
]
INFORMATION_ASSETS = [
    ("Pupil records", True),
    ("Staff records", True),
    ("Safeguarding records", True),
    ("Special educational needs files", True),
    ("Assessment data", True),
    ("Finance records", False),
    ("Curriculum resources", False),
    ("Governor papers", True),
    ("Admissions applications", True),
    ("Photographs and videos", True),
]


@functools.cache
def new_asset():
    """Assets are most of the rows (five million nationally): made without `Model.__init__`."""
    return bulk.unsaved(Asset)


def _pupils(school: Establishment) -> int:
    if school.number_of_pupils:
        return school.number_of_pupils
    if school.capacity:
        return school.capacity
    return 900 if "secondary" in (school.phase_name or "").lower() else 220


def _is_secondary(school: Establishment) -> bool:
    phase = (school.phase_name or "").lower()
    return "secondary" in phase or "16 plus" in phase or "all-through" in phase


def _date_before(rng: random.Random, today: datetime.date, max_years: float) -> datetime.date:
    return today - datetime.timedelta(days=int(rng.uniform(0, max_years) * 365))


class SchoolGenerator:
    def __init__(self, school: Establishment, *, seed: int, today: datetime.date):
        self.school = school
        self.rng = random.Random(f"{seed}-{school.urn}")
        self.today = today
        self.pupils = _pupils(school)
        self.secondary = _is_secondary(school)
        self.tag_number = 0

    def _tag(self, prefix: str) -> str:
        self.tag_number += 1
        return f"{prefix}-{self.school.urn}-{self.tag_number:05d}"

    def devices(self) -> Iterable[Asset]:
        rng = self.rng
        total = max(5, round(self.pupils / rng.uniform(2, 3)))
        mix = (
            {
                AssetCategory.LAPTOP: 35,
                AssetCategory.DESKTOP: 35,
                AssetCategory.CHROMEBOOK: 20,
                AssetCategory.TABLET: 10,
            }
            if self.secondary
            else {
                AssetCategory.LAPTOP: 30,
                AssetCategory.DESKTOP: 5,
                AssetCategory.CHROMEBOOK: 40,
                AssetCategory.TABLET: 25,
            }
        )
        categories = rng.choices(list(mix), weights=list(mix.values()), k=total)
        for category in categories:
            make, model, system, version, price, support_years, warranty_years, wifi = rng.choice(
                DEVICE_MODELS[category]
            )
            bought = _date_before(rng, self.today, 8)
            known_support = rng.random() < 0.8
            status = (
                AssetStatus.IN_USE if rng.random() < 0.92 else rng.choice([AssetStatus.SPARE, AssetStatus.IN_REPAIR])
            )
            yield new_asset()(
                establishment_id=self.school.pk,
                category=category,
                asset_tag=self._tag("D"),
                serial_number=f"{make[:2].upper()}{rng.getrandbits(40):010X}",
                make=make,
                model_name=model,
                operating_system=system,
                os_version=version,
                location=rng.choice(LOCATIONS),
                assigned_to=rng.choice(["", "Shared trolley", "Class set", "Staff"]),
                purchase_date=bought,
                purchase_cost=Decimal(price),
                warranty_end=bought.replace(year=bought.year + warranty_years)
                if bought.month != 2 or bought.day != 29
                else None,
                support_end=bought + datetime.timedelta(days=365 * support_years) if known_support else None,
                status=status,
                wifi_standard=wifi,
            )

    def network(self) -> Iterable[Asset]:
        rng = self.rng
        counts = {
            AssetCategory.ACCESS_POINT: max(2, round(self.pupils / rng.uniform(25, 40))),
            AssetCategory.EDGE_SWITCH: max(1, round(self.pupils / rng.uniform(100, 160))),
            AssetCategory.CORE_SWITCH: 2 if self.pupils > 800 else 1,
            AssetCategory.FIREWALL: 1,
            AssetCategory.ROUTER: 1,
            AssetCategory.SERVER: rng.randint(1, 3) if self.secondary else rng.randint(0, 1),
            AssetCategory.STORAGE: 1 if self.secondary else 0,
            AssetCategory.UPS: 2 if self.secondary else 1,
            AssetCategory.INTERACTIVE_DISPLAY: max(1, round(self.pupils / 30)),
            AssetCategory.PRINTER: 1 + self.pupils // 150,
        }
        for category, count in counts.items():
            for _ in range(count):
                make, model, support_years = rng.choice(NETWORK_MODELS[category])
                bought = _date_before(rng, self.today, 10)
                asset = new_asset()(
                    establishment_id=self.school.pk,
                    category=category,
                    asset_tag=self._tag("N"),
                    serial_number=f"{make[:2].upper()}{rng.getrandbits(40):010X}",
                    make=make,
                    model_name=model,
                    location="Server room"
                    if category in (AssetCategory.CORE_SWITCH, AssetCategory.SERVER)
                    else rng.choice(LOCATIONS),
                    purchase_date=bought,
                    purchase_cost=Decimal(rng.randint(150, 4000)),
                    warranty_end=bought + datetime.timedelta(days=365 * 3),
                    support_end=bought + datetime.timedelta(days=365 * support_years) if rng.random() < 0.75 else None,
                )
                if category in (AssetCategory.EDGE_SWITCH, AssetCategory.CORE_SWITCH):
                    asset.port_speed_mbps = 1000
                    asset.uplink_speed_mbps = (
                        10000 if category == AssetCategory.CORE_SWITCH or rng.random() < 0.6 else 1000
                    )
                if category == AssetCategory.ACCESS_POINT:
                    asset.wifi_standard = rng.choice(AP_WIFI)
                    asset.centrally_managed = rng.random() < 0.85
                if category == AssetCategory.SERVER:
                    asset.server_role = rng.choice(list(ServerRole.values))
                    asset.could_move_to_cloud = rng.random() < 0.6
                yield asset

    def contracts(self) -> list[Contract]:
        rng = self.rng
        titles = rng.sample(CONTRACT_TITLES, k=min(len(CONTRACT_TITLES), rng.randint(10, 20)))
        extra = rng.randint(0, 20)
        titles += [f"{rng.choice(CONTRACT_TITLES)} ({n + 2})" for n in range(extra)]
        contracts = []
        for title in titles:
            start = _date_before(rng, self.today, 4)
            years = rng.choice([1, 1, 2, 3, 3, 5])
            annual = Decimal(rng.randrange(300, 25000, 50))
            contracts.append(
                Contract(
                    establishment=self.school,
                    supplier=rng.choice(SUPPLIERS),
                    title=title,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=365 * years - 1),
                    notice_days=rng.choice([30, 60, 90, 90, 180]),
                    auto_renews=rng.random() < 0.4,
                    annual_cost=annual,
                    total_cost=annual * years,
                    buying_route=rng.choice(BUYING_ROUTES),
                    owner=rng.choice(ROLES),
                )
            )
        return contracts

    def connections(self, contracts: list[Contract]) -> list[Connection]:
        rng = self.rng
        broadband = next((c for c in contracts if c.title.startswith("Broadband")), None)
        technology = rng.choices(
            [
                ConnectionTechnology.FTTP,
                ConnectionTechnology.LEASED_LINE,
                ConnectionTechnology.FTTC,
                ConnectionTechnology.ADSL,
            ],
            weights=[50, 30 if self.secondary else 10, 25, 3],
        )[0]
        speeds = {"fttp": (900, 110), "leased_line": (1000, 1000), "fttc": (70, 18), "adsl": (16, 1)}[technology]
        measured = rng.random() < 0.6
        primary = Connection(
            establishment=self.school,
            provider=rng.choice(BROADBAND_PROVIDERS),
            technology=technology,
            role=Connection.Role.PRIMARY,
            download_mbps_contracted=speeds[0],
            upload_mbps_contracted=speeds[1],
            download_mbps_measured=round(speeds[0] * rng.uniform(0.6, 0.98), 1) if measured else None,
            upload_mbps_measured=round(speeds[1] * rng.uniform(0.6, 0.98), 1) if measured else None,
            measured_on=_date_before(rng, self.today, 1) if measured else None,
            automatic_failover=rng.random() < 0.3,
            contract=broadband,
        )
        found = [primary]
        if rng.random() < 0.4:
            found.append(
                Connection(
                    establishment=self.school,
                    provider=rng.choice(BROADBAND_PROVIDERS),
                    technology=rng.choice(
                        [ConnectionTechnology.MOBILE, ConnectionTechnology.FTTC, ConnectionTechnology.SATELLITE]
                    ),
                    role=Connection.Role.BACKUP,
                    download_mbps_contracted=rng.choice([50, 80, 150]),
                    upload_mbps_contracted=rng.choice([10, 20, 30]),
                    automatic_failover=primary.automatic_failover,
                )
            )
        return found

    def services(self, contracts: list[Contract]) -> list[Service]:
        rng = self.rng
        chosen = rng.sample(SERVICES, k=rng.randint(8, len(SERVICES)))
        return [
            Service(
                establishment=self.school,
                name=name,
                supplier=rng.choice(SUPPLIERS),
                category=category,
                hosting=hosting,
                data_location=rng.choices(["uk", "eu", "elsewhere", "unknown"], weights=[70, 15, 5, 10])[0],
                single_sign_on=rng.random() < 0.6,
                mfa_enforced=rng.random() < 0.55,
                licences_bought=self.pupils if category != ServiceCategory.FINANCE else 5,
                licences_used=round(self.pupils * rng.uniform(0.6, 1.0)) if category != ServiceCategory.FINANCE else 4,
                renewal_date=self.today + datetime.timedelta(days=rng.randint(10, 700)),
                contract=rng.choice(contracts) if contracts and rng.random() < 0.5 else None,
            )
            for name, category, hosting in chosen
        ]

    def information_assets(self) -> list[InformationAsset]:
        rng = self.rng
        return [
            InformationAsset(
                establishment=self.school,
                name=name,
                owner=rng.choice(ROLES),
                holds_personal_data=personal,
                held_in=rng.choice(["MIS", "Cloud storage", "Locked cabinet", "Finance system", "Shared drive"]),
            )
            for name, personal in rng.sample(INFORMATION_ASSETS, k=rng.randint(5, len(INFORMATION_ASSETS)))
        ]


def generate_for(
    schools: list[Establishment], *, seed: int, today: datetime.date, batch_size: int = 5000
) -> dict[str, int]:
    """Generate registers for these schools in one transaction; returns how many rows of each."""
    assets, connections, services_, information = [], [], [], []
    all_contracts: list[Contract] = []
    generators = [SchoolGenerator(school, seed=seed, today=today) for school in schools]
    per_school_contracts = []
    for generator in generators:
        contracts = generator.contracts()
        per_school_contracts.append(contracts)
        all_contracts += contracts
    for generator, contracts in zip(generators, per_school_contracts, strict=True):
        assets += generator.devices()
        assets += generator.network()
        connections += generator.connections(contracts)
        services_ += generator.services(contracts)
        information += generator.information_assets()
    services.generated_registers_insert(
        contracts=all_contracts, rows=[*assets, *connections, *services_, *information], batch_size=batch_size
    )
    return {
        "assets": len(assets),
        "contracts": len(all_contracts),
        "connections": len(connections),
        "services": len(services_),
        "information assets": len(information),
    }
