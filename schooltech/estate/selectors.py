"""Reads from the registers: filtered lists, the school summary, what is ending soon, the trust
view and the facts the standards self-assessment uses."""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from schooltech.core.dates import govuk_date
from schooltech.estate import lifecycle, registers
from schooltech.estate.models import (
    SWITCH_CATEGORIES,
    USER_DEVICE_CATEGORIES,
    Asset,
    AssetCategory,
    AssetStatus,
    Connection,
    ConnectionTechnology,
    Contract,
    InformationAsset,
    Service,
    ServiceCategory,
)
from schooltech.organisations.models import Establishment
from schooltech.standards.register_facts import RegisterFact

ACTIVE_STATUSES = (AssetStatus.IN_USE, AssetStatus.SPARE, AssetStatus.IN_REPAIR)
LIFECYCLE_FIELDS = (
    "pk",
    "category",
    "operating_system",
    "os_version",
    "support_end",
    "purchase_date",
    "wifi_standard",
    "centrally_managed",
)


def today() -> datetime.date:
    return timezone.localdate()


@dataclass(frozen=True)
class AssetFacts:
    """The few fields the lifecycle rules read, without loading whole rows."""

    pk: int
    category: str
    operating_system: str
    os_version: str
    support_end: datetime.date | None
    purchase_date: datetime.date | None
    wifi_standard: str
    centrally_managed: bool | None


def _asset_facts(queryset: QuerySet[Asset]) -> list[AssetFacts]:
    return [AssetFacts(*row) for row in queryset.values_list(*LIFECYCLE_FIELDS)]


# --- Lists ----------------------------------------------------------------------------------------


def register_list(*, register: registers.Register, establishment: Establishment, params: dict[str, str]) -> QuerySet:
    """One register's rows, filtered by the choice filters and a search, sorted by a chosen field."""
    queryset = register.model.objects.filter(establishment=establishment)
    for name in register.filters:
        value = params.get(name)
        if value:
            queryset = queryset.filter(**{name: value})
    search = (params.get("q") or "").strip()
    if search:
        condition = Q()
        for name in register.search_fields:
            condition |= Q(**{f"{name}__icontains": search})
        queryset = queryset.filter(condition)
    sort = params.get("sort") or ""
    descending = sort.startswith("-")
    if sort.lstrip("-") in register.sort_fields:
        queryset = queryset.order_by(f"{'-' if descending else ''}{sort.lstrip('-')}", "pk")
    return queryset


# --- The school summary -----------------------------------------------------------------------------

AGE_BANDS = (("Under 2 years", 0, 2), ("2 to 4 years", 2, 4), ("4 to 6 years", 4, 6), ("6 years or more", 6, 999))
SUPPORT_LABELS = {
    "supported": "Supported",
    "ending_soon": "Support ends within 12 months",
    "ended": "Support has ended",
    "unknown": "Support end not known",
}


def financial_year_of(day: datetime.date) -> int:
    """The calendar year a financial year (1 April to 31 March) starts in."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year} to {start_year + 1}"


@dataclass
class Summary:
    devices_in_use: int = 0
    by_age: list[tuple[str, int]] = field(default_factory=list)
    by_support: list[tuple[str, str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    contract_value_by_year: list[tuple[str, Decimal]] = field(default_factory=list)
    contracts: int = 0
    services: int = 0


FUTURE_PURCHASE = "Purchase date in the future"  # on order, or a typo the school should see


def _age_band(purchase_date: datetime.date | None, on: datetime.date) -> str:
    if purchase_date is None:
        return "Not known"
    if purchase_date > on:
        return FUTURE_PURCHASE
    years = (on - purchase_date).days / 365.25
    return next((label for label, low, high in AGE_BANDS if low <= years < high), AGE_BANDS[-1][0])


def school_summary(*, establishment: Establishment, on: datetime.date | None = None) -> Summary:
    on = on or today()
    in_use = Asset.objects.filter(establishment=establishment, status=AssetStatus.IN_USE)
    devices = _asset_facts(in_use.filter(category__in=USER_DEVICE_CATEGORIES))
    ages = Counter(_age_band(device.purchase_date, on) for device in devices)
    support = Counter(lifecycle.support_status(device, today=on) for device in devices)
    categories = dict(in_use.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))
    return Summary(
        devices_in_use=len(devices),
        by_age=[(label, ages[label]) for label, _, _ in AGE_BANDS]
        + [("Not known", ages["Not known"])]
        + ([(FUTURE_PURCHASE, ages[FUTURE_PURCHASE])] if ages[FUTURE_PURCHASE] else []),
        by_support=[(key, label, support[key]) for key, label in SUPPORT_LABELS.items()],
        by_category=[(label, categories[value]) for value, label in AssetCategory.choices if categories.get(value)],
        connections=list(Connection.objects.filter(establishment=establishment)),
        contract_value_by_year=contract_value_by_year(establishment=establishment, on=on),
        contracts=Contract.objects.filter(establishment=establishment).count(),
        services=Service.objects.filter(establishment=establishment).count(),
    )


def contract_value_by_year(
    *, establishment: Establishment, on: datetime.date, years: int = 5
) -> list[tuple[str, Decimal]]:
    """The annual cost of the contracts running in each financial year, from last year on."""
    first = financial_year_of(on) - 1
    totals = {year: Decimal("0") for year in range(first, first + years)}
    rows = Contract.objects.filter(establishment=establishment, annual_cost__isnull=False).values_list(
        "start_date", "end_date", "annual_cost"
    )
    for start, end, annual in rows:
        for year in totals:
            year_start, year_end = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
            if (start is None or start <= year_end) and (end is None or end >= year_start):
                totals[year] += annual
    return [(financial_year_label(year), total) for year, total in totals.items()]


# --- Ending soon --------------------------------------------------------------------------------------

WINDOWS = ((3, "Within 3 months"), (6, "In 3 to 6 months"), (12, "In 6 to 12 months"))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _window(day: datetime.date, on: datetime.date) -> str | None:
    if day < on:
        return None
    for months, label in WINDOWS:
        if day <= _add_months(on, months):
            return label
    return None


def contract_costs_ending(*, establishment_ids: list[int], on: datetime.date) -> dict[int, Decimal]:
    """The annual cost of each school's contracts that end within 12 months (as `ending_soon` puts
    them), for many schools in one query; a school with none is left out."""
    costs: dict[int, Decimal] = defaultdict(Decimal)
    last = _add_months(on, WINDOWS[-1][0])
    rows = Contract.objects.filter(establishment_id__in=establishment_ids, end_date__gte=on, end_date__lte=last)
    for school, end, cost in rows.order_by().values_list("establishment_id", "end_date", "annual_cost"):
        if _window(end, on):
            costs[school] += cost or Decimal(0)
    return dict(costs)


@dataclass(frozen=True)
class EndingItem:
    kind: str  # "Contract ends", "Notice deadline", "Support ends"
    when: datetime.date
    item: Any


def ending_soon(*, establishment: Establishment, on: datetime.date | None = None) -> dict[str, list[EndingItem]]:
    """Contracts ending or reaching their notice deadline, and assets losing support, within 12 months."""
    on = on or today()
    found: dict[str, list[EndingItem]] = {label: [] for _, label in WINDOWS}
    contracts = Contract.objects.filter(establishment=establishment, end_date__gte=on)
    for contract in contracts:
        for kind, day in (("Notice deadline", contract.notice_deadline), ("Contract ends", contract.end_date)):
            label = _window(day, on) if day else None
            if label:
                found[label].append(EndingItem(kind, day, contract))
    assets = Asset.objects.filter(establishment=establishment, status__in=ACTIVE_STATUSES)
    for asset in assets.only(
        "pk",
        "category",
        "asset_tag",
        "serial_number",
        "make",
        "model_name",
        "operating_system",
        "os_version",
        "support_end",
    ):
        end = lifecycle.effective_support_end(asset)
        label = _window(end, on) if end else None
        if label:
            found[label].append(EndingItem("Support ends", end, asset))
    for items in found.values():
        items.sort(key=lambda entry: entry.when)
    return found


# --- Contract notice deadlines, for reminders ------------------------------------------------------


def _days_after(day: datetime.date, days: int) -> datetime.date:
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max


def contracts_with_notice_between(
    *, start: datetime.date, end: datetime.date, establishments: QuerySet[Establishment] | None = None
) -> QuerySet[Contract]:
    """Contracts whose notice deadline may fall from start to end: with an end date and a notice
    period, ending from start up to end plus the longest notice period recorded. The database cannot
    subtract each notice period, so check each one's own `notice_deadline` (it raises OverflowError
    for a notice period reaching before year 1)."""
    contracts = Contract.objects.filter(end_date__isnull=False, notice_days__isnull=False, end_date__gte=start)
    if establishments is not None:
        contracts = contracts.filter(establishment__in=establishments)
    longest_notice = contracts.aggregate(longest=Max("notice_days"))["longest"]
    if longest_notice is None:
        return Contract.objects.none()
    return (
        contracts.filter(end_date__lte=_days_after(end, longest_notice))
        .select_related("establishment")
        .order_by("end_date", "pk")
    )


# --- The trust view ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolLine:
    establishment: Establishment
    devices: int
    support_ended: int
    support_unknown: int
    contracts_ending: int
    annual_contract_value: Decimal
    has_data: bool = True  # False: the school has recorded nothing in any register yet


@dataclass(frozen=True)
class OverviewTotals:
    schools: int
    schools_with_data: int
    devices: int
    support_ended: int
    support_unknown: int
    contracts_ending: int
    annual_contract_value: Decimal


def overview_totals(lines: list[SchoolLine]) -> OverviewTotals:
    """The overview's totals across the schools that have recorded something."""
    counted = [line for line in lines if line.has_data]
    return OverviewTotals(
        schools=len(lines),
        schools_with_data=len(counted),
        devices=sum(line.devices for line in counted),
        support_ended=sum(line.support_ended for line in counted),
        support_unknown=sum(line.support_unknown for line in counted),
        contracts_ending=sum(line.contracts_ending for line in counted),
        annual_contract_value=sum((line.annual_contract_value for line in counted), Decimal("0")),
    )


def schools_with_register_rows(school_ids: list[int]) -> set[int]:
    """The schools that have recorded at least one row in any register, in one query."""
    recorded = Q()
    for model in (Asset, Contract, Connection, Service, InformationAsset):
        recorded |= Exists(model.objects.filter(establishment_id=OuterRef("pk")))
    return set(Establishment.objects.filter(pk__in=school_ids).filter(recorded).values_list("pk", flat=True))


def schools_overview(*, establishments: QuerySet[Establishment], on: datetime.date | None = None) -> list[SchoolLine]:
    """One line per school, for a trust or local authority looking across its schools. Devices are
    counted in the database by operating system, so the rows read grow with the schools and their
    systems, not with every device."""
    on = on or today()
    schools = list(establishments.order_by("name"))
    devices: Counter[int] = Counter()
    ended: Counter[int] = Counter()
    unknown: Counter[int] = Counter()
    by_system = (
        Asset.objects.filter(establishment__in=schools, status=AssetStatus.IN_USE, category__in=USER_DEVICE_CATEGORIES)
        .order_by()
        .values_list("establishment_id", "operating_system", "os_version")
        .annotate(
            count=Count("pk"),
            without_date=Count("pk", filter=Q(support_end__isnull=True)),
            past_date=Count("pk", filter=Q(support_end__lte=on)),
        )
    )
    for establishment_id, operating_system, os_version, count, without_date, past_date in by_system:
        devices[establishment_id] += count
        system = lifecycle.os_support(operating_system, os_version)
        if system and system.support_end and system.support_end <= on:
            ended[establishment_id] += count  # the system's end passed: every device's support has ended
        else:
            ended[establishment_id] += past_date
            unknown[establishment_id] += without_date
    horizon = _add_months(on, 6)
    contracts = {
        row["establishment_id"]: row
        for row in Contract.objects.filter(establishment__in=schools)
        .order_by()
        .values("establishment_id")
        .annotate(ending=Count("pk", filter=Q(end_date__gte=on, end_date__lte=horizon)), value=Sum("annual_cost"))
    }
    with_data = schools_with_register_rows([school.pk for school in schools])
    lines = []
    for school in schools:
        school_contracts = contracts.get(school.pk, {})
        lines.append(
            SchoolLine(
                establishment=school,
                devices=devices[school.pk],
                support_ended=ended[school.pk],
                support_unknown=unknown[school.pk],
                contracts_ending=school_contracts.get("ending", 0),
                annual_contract_value=school_contracts.get("value") or Decimal("0"),
                has_data=school.pk in with_data,
            )
        )
    return lines


# --- Facts for the technology plan -------------------------------------------------------------------
# The plan engine reads the registers only through `plan_registers`: a fixed number of queries
# whatever the number of schools, so a trust's plans stay fast.

KIT_GROUP_FIELDS = (
    "establishment_id", "category", "operating_system", "os_version", "support_end", "make", "model_name",
)  # fmt: skip


@dataclass(frozen=True)
class ContractInfo:
    pk: int
    supplier: str
    title: str
    end_date: datetime.date | None
    notice_days: int | None
    auto_renews: bool
    annual_cost: Decimal | None
    linked: tuple[str, ...] = ()  # what the registers link to it: the LINKED_* below, or asset categories
    start_date: datetime.date | None = None


LINKED_CONNECTION = "connection"
LINKED_CLOUD_SERVICE = "cloud_service"
LINKED_SOFTWARE = "software"


@dataclass(frozen=True)
class ConnectionInfo:
    pk: int
    provider: str
    technology: str
    technology_label: str
    is_primary: bool  # marked primary in the register (a school may mark more than one)
    automatic_failover: bool
    download_mbps: float | None  # measured if recorded, else contracted
    upload_mbps: float | None
    contract_id: int | None
    is_main: bool = False  # the one main connection (see main_connection_rank)
    download_mbps_contracted: float | None = None  # the line's capacity, which the standard judges
    upload_mbps_contracted: float | None = None
    download_mbps_measured: float | None = None  # a speed test proves only a lower bound
    upload_mbps_measured: float | None = None


@dataclass(frozen=True)
class KitGroup:
    """In-use assets of one category sharing an operating system, model and support end."""

    category: str
    category_label: str
    quantity: int
    description: str  # e.g. "Windows 10" or "Cisco Catalyst 2960"
    support_end: datetime.date | None  # the earliest known end (manufacturer or operating system)
    support_source: str  # where that date comes from
    manufacturer_date_known: bool
    warranty_end: datetime.date | None = None  # the earliest warranty end in the group


@dataclass(frozen=True)
class ServerInfo:
    pk: int
    label: str
    role: str
    could_move_to_cloud: bool | None
    support_end: datetime.date | None


@dataclass(frozen=True)
class ServiceInfo:
    name: str
    category: str
    hosting: str
    data_location: str
    single_sign_on: bool
    mfa_enforced: bool
    pk: int = 0
    renewal_date: datetime.date | None = None
    licences_bought: int | None = None
    licences_used: int | None = None
    contract_id: int | None = None


@dataclass(frozen=True)
class DeviceMinimums:
    """In-use laptops, desktops, tablets or Chromebooks of one model bought on one day, against the
    standard's minimums for new devices (years of updates from purchase, warranty, Wi-Fi)."""

    category: str
    category_label: str
    quantity: int
    description: str  # not used for grouping: devices are grouped by category and dates
    purchase_date: datetime.date | None
    not_met: tuple[str, ...]  # the minimums these devices miss
    unknown: tuple[str, ...]  # the minimums the register cannot tell


@dataclass
class PlanRegisters:
    """What one school's registers hold, for its technology plan."""

    contracts: list[ContractInfo] = field(default_factory=list)
    connections: list[ConnectionInfo] = field(default_factory=list)
    kit: list[KitGroup] = field(default_factory=list)
    servers: list[ServerInfo] = field(default_factory=list)
    services: list[ServiceInfo] = field(default_factory=list)
    assets_in_use: int = 0
    device_minimums: list[DeviceMinimums] = field(default_factory=list)
    information_assets: int = 0  # the plan buys and renews nothing from this register; it says so

    @property
    def held(self) -> frozenset[str]:
        """Which registers hold any rows: "assets", "connections", "services", "contracts"."""
        present = {name for name in ("connections", "services", "contracts") if getattr(self, name)}
        return frozenset(present | ({"assets"} if self.assets_in_use else set()))


def _support_end_and_source(operating_system: str, os_version: str, support_end) -> tuple[datetime.date | None, str]:
    """The earliest known end of support and where it comes from."""
    support = lifecycle.os_support(operating_system, os_version)
    candidates = []
    if support_end is not None:
        candidates.append((support_end, "manufacturer support end in the asset register"))
    if support is not None and support.support_end is not None:
        candidates.append((support.support_end, f"{support.label} security updates end"))
    return min(candidates) if candidates else (None, "")


def _kit_description(operating_system: str, os_version: str, make: str, model: str) -> str:
    support = lifecycle.os_support(operating_system, os_version)
    if support is not None:
        return support.label
    return " ".join(part for part in (make, model) if part) or "model not recorded"


def _plan_connections(ids: list[int], found: dict[int, PlanRegisters], linked: dict[int, set[str]]) -> None:
    labels = dict(ConnectionTechnology.choices)
    rows = Connection.objects.filter(establishment_id__in=ids).values_list(
        "pk", "establishment_id", "provider", "technology", "role", "automatic_failover",
        "download_mbps_measured", "download_mbps_contracted", "upload_mbps_measured", "upload_mbps_contracted",
        "contract_id",
    ).order_by("pk")  # fmt: skip
    main: dict[int, tuple] = {}
    for pk, school, provider, tech, role, failover, down_m, down_c, up_m, up_c, contract_id in rows:
        rank = main_connection_rank(role=role, pk=pk)
        main[school] = min(main.get(school, rank), rank)
        found[school].connections.append(
            ConnectionInfo(
                pk,
                provider,
                tech,
                labels.get(tech, tech),
                role == Connection.Role.PRIMARY,
                failover,
                down_m if down_m is not None else down_c,
                up_m if up_m is not None else up_c,
                contract_id,
                download_mbps_contracted=down_c,
                upload_mbps_contracted=up_c,
                download_mbps_measured=down_m,
                upload_mbps_measured=up_m,
            )
        )
        if contract_id:
            linked[contract_id].add(LINKED_CONNECTION)
    for school, (_, main_pk) in main.items():
        found[school].connections = [dataclasses.replace(c, is_main=c.pk == main_pk) for c in found[school].connections]


def _plan_services(ids: list[int], found: dict[int, PlanRegisters], linked: dict[int, set[str]]) -> None:
    rows = Service.objects.filter(establishment_id__in=ids).values_list(
        "establishment_id", "name", "category", "hosting", "data_location", "single_sign_on", "mfa_enforced",
        "contract_id", "pk", "renewal_date", "licences_bought", "licences_used",
    ).order_by("name", "pk")  # fmt: skip
    for school, name, category, hosting, location, sso, mfa, contract_id, pk, renews, bought, used in rows:
        found[school].services.append(
            ServiceInfo(name, category, hosting, location, sso, mfa, pk, renews, bought, used, contract_id)
        )
        if contract_id:
            linked[contract_id].add(LINKED_CLOUD_SERVICE if hosting == Service.Hosting.CLOUD else LINKED_SOFTWARE)


def _plan_kit(ids: list[int], found: dict[int, PlanRegisters]) -> None:
    labels = dict(AssetCategory.choices)
    in_use = Asset.objects.filter(establishment_id__in=ids, status=AssetStatus.IN_USE)
    groups = (
        in_use.exclude(category=AssetCategory.SERVER)
        .values_list(*KIT_GROUP_FIELDS)
        .annotate(n=Count("pk"), warranty=Min("warranty_end"))
        .order_by(*KIT_GROUP_FIELDS)
    )
    merged: dict[tuple, list] = {}
    for school, category, os_name, os_version, support_end, make, model, n, warranty in groups:
        end, source = _support_end_and_source(os_name, os_version, support_end)
        description = _kit_description(os_name, os_version, make, model)
        entry = merged.setdefault((school, category, description, end, support_end is not None), [0, source, None])
        entry[0] += n
        if warranty is not None and (entry[2] is None or warranty < entry[2]):
            entry[2] = warranty
    for (school, category, description, end, known), (quantity, source, warranty) in merged.items():
        found[school].kit.append(
            KitGroup(category, labels.get(category, category), quantity, description, end, source, known, warranty)
        )
    for school, count in in_use.values_list("establishment_id").annotate(n=Count("pk")).order_by():
        found[school].assets_in_use = count
    _plan_device_minimums(in_use, found, labels)
    server_rows = in_use.filter(category=AssetCategory.SERVER).values_list(
        "pk", "establishment_id", "make", "model_name", "asset_tag", "server_role", "could_move_to_cloud",
        "support_end", "operating_system", "os_version",
    ).order_by("pk")  # fmt: skip
    for pk, school, make, model, tag, role, movable, support_end, os_name, os_version in server_rows:
        end, _ = _support_end_and_source(os_name, os_version, support_end)
        label = " ".join(part for part in (make, model) if part) or "Server"
        found[school].servers.append(ServerInfo(pk, f"{label} ({tag})" if tag else label, role, movable, end))


MINIMUM_FIELDS = ("establishment_id", "category", "purchase_date", "support_end", "warranty_end", "wifi_standard")


@functools.lru_cache(maxsize=8192)
def _minimum_checks(category, bought, support_end, warranty_end, wifi) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The minimums devices bought on one day with these dates miss, and those the register cannot tell."""
    device = SimpleNamespace(
        category=category, purchase_date=bought, support_end=support_end, warranty_end=warranty_end,
        wifi_standard=wifi,
    )  # fmt: skip
    checks = (
        (f"at least {lifecycle.MINIMUM_UPDATE_YEARS[category]} years of updates from purchase",
         lifecycle.meets_update_years(device)),
        (f"a warranty of at least {lifecycle.MINIMUM_WARRANTY_YEARS[category]} years",
         lifecycle.meets_warranty_years(device)),
        ("Wi-Fi 802.11ac Wave 2 or newer", lifecycle.meets_wifi_minimum(device)),
    )  # fmt: skip
    return (
        tuple(name for name, outcome in checks if outcome == "not_met"),
        tuple(name for name, outcome in checks if outcome == "unknown"),
    )


def _plan_device_minimums(in_use: QuerySet[Asset], found: dict[int, PlanRegisters], labels: dict) -> None:
    rows = (
        in_use.filter(category__in=USER_DEVICE_CATEGORIES)
        .values_list(*MINIMUM_FIELDS)
        .annotate(n=Count("pk"))
        .order_by(*MINIMUM_FIELDS)
    )
    for school, category, bought, support_end, warranty_end, wifi, n in rows:
        not_met, unknown = _minimum_checks(category, bought, support_end, warranty_end, wifi)
        if not_met or unknown:  # devices meeting every minimum teach the next purchase nothing
            found[school].device_minimums.append(
                DeviceMinimums(category, labels.get(category, category), n, "", bought, not_met, unknown)
            )


def _plan_contracts(ids: list[int], found: dict[int, PlanRegisters], linked: dict[int, set[str]]) -> None:
    linked_assets = (
        Asset.objects.filter(establishment_id__in=ids, contract__isnull=False)
        .values_list("contract_id", "category")
        .distinct()
        .order_by()
    )
    for contract_id, category in linked_assets:
        linked[contract_id].add(category)
    rows = Contract.objects.filter(establishment_id__in=ids).values_list(
        "pk", "establishment_id", "supplier", "title", "end_date", "notice_days", "auto_renews", "annual_cost",
        "start_date",
    ).order_by("end_date", "pk")  # fmt: skip
    for pk, school, supplier, title, end, notice, renews, cost, start in rows:
        found[school].contracts.append(
            ContractInfo(pk, supplier, title, end, notice, renews, cost, tuple(sorted(linked.get(pk, ()))), start)
        )


def plan_registers(*, establishment_ids: list[int]) -> dict[int, PlanRegisters]:
    """What each school's registers hold, for its plan: one entry per id, in nine queries however many."""
    found = {school: PlanRegisters() for school in establishment_ids}
    linked: dict[int, set[str]] = defaultdict(set)
    _plan_connections(establishment_ids, found, linked)
    _plan_services(establishment_ids, found, linked)
    _plan_kit(establishment_ids, found)
    _plan_contracts(establishment_ids, found, linked)
    _plan_information_assets(establishment_ids, found)
    return found


def _plan_information_assets(ids: list[int], found: dict[int, PlanRegisters]) -> None:
    counts = InformationAsset.objects.filter(establishment_id__in=ids).values("establishment_id")
    for school, count in counts.annotate(n=Count("pk")).order_by().values_list("establishment_id", "n"):
        found[school].information_assets = count


# --- The main connection -------------------------------------------------------------------------


def main_connection_rank(*, role: str, pk: int) -> tuple[bool, int]:
    """How a school's main internet connection is chosen (the lowest rank): the first recorded of
    those marked primary, else the first recorded of all. By when it was recorded, not by provider,
    so renaming a provider never changes which line is the main one."""
    return (role != Connection.Role.PRIMARY, pk)


def main_connection(connections: list[Connection]) -> Connection:
    return min(connections, key=lambda c: main_connection_rank(role=c.role, pk=c.pk))


# --- Facts for the standards self-assessment -----------------------------------------------------


def _connection_facts(connections: list[Connection], on: datetime.date) -> dict[str, RegisterFact]:
    if not connections:
        return {}
    primary = main_connection(connections)
    facts = {}
    described = f"{primary.provider} {primary.get_technology_display()}"

    def fact(key: str, value: Any, source: str, as_of: datetime.date | None = None) -> None:
        facts[key] = RegisterFact(key=key, value=value, source=f"Internet connections register: {source}", as_of=as_of)

    fact("broadband.primary_technology", primary.technology, described, on)
    for direction in ("download", "upload"):
        measured = getattr(primary, f"{direction}_mbps_measured")
        contracted = getattr(primary, f"{direction}_mbps_contracted")
        if contracted is not None:
            fact(f"broadband.{direction}_mbps_contracted", float(contracted), described + ", contracted speed", on)
        if measured is not None:
            when = f", measured {govuk_date(primary.measured_on)}" if primary.measured_on else ", measured"
            fact(f"broadband.{direction}_mbps_measured", float(measured), described + when, primary.measured_on or on)
    backups = [c for c in connections if c is not primary and c.role == Connection.Role.BACKUP]
    different = any(c.technology != primary.technology for c in backups)
    fact(
        "broadband.has_backup_of_different_type",
        different,
        f"{len(backups)} backup connection{'s' if len(backups) != 1 else ''} recorded",
        on,
    )
    fact("broadband.automatic_failover", any(c.automatic_failover for c in connections), described, on)
    return facts


STANDARDS_KIT = (*SWITCH_CATEGORIES, AssetCategory.ACCESS_POINT, *USER_DEVICE_CATEGORIES)


def _asset_facts_for_standards(kit: list[AssetFacts], on: datetime.date) -> dict[str, RegisterFact]:
    facts: dict[str, RegisterFact] = {}

    def fact(key: str, value: Any, source: str) -> None:
        facts[key] = RegisterFact(key=key, value=value, source=f"Asset register: {source}", as_of=on)

    switches = [a for a in kit if a.category in SWITCH_CATEGORIES]
    if switches:
        statuses = Counter(lifecycle.support_status(a, today=on) for a in switches)
        fact("switching.total", len(switches), f"{len(switches)} switches in use")
        fact("switching.out_of_support", statuses["ended"], "switches whose manufacturer support has ended")
        fact("switching.support_unknown", statuses["unknown"], "switches with no support end date recorded")
    points = [a for a in kit if a.category == AssetCategory.ACCESS_POINT]
    if points:
        statuses = Counter(lifecycle.support_status(a, today=on) for a in points)
        fact("wireless.total", len(points), f"{len(points)} access points in use")
        fact("wireless.out_of_support", statuses["ended"], "access points whose manufacturer support has ended")
        if all(a.centrally_managed is not None for a in points):
            fact(
                "wireless.centrally_managed",
                all(a.centrally_managed for a in points),
                "central management recorded for every access point",
            )
    devices = [a for a in kit if a.category in USER_DEVICE_CATEGORIES]
    if devices:
        statuses = Counter(lifecycle.support_status(a, today=on) for a in devices)
        fact("devices.total", len(devices), f"{len(devices)} laptops, desktops, tablets and Chromebooks in use")
        fact("devices.below_minimum", statuses["ended"], "devices whose support or operating system support has ended")
        fact("devices.support_unknown", statuses["unknown"], "devices with no support end date recorded")
    return facts


def _service_facts(services: list[Service], on: datetime.date) -> dict[str, RegisterFact]:
    if not services:
        return {}
    cloud = [s for s in services if s.hosting == Service.Hosting.CLOUD]
    facts: dict[str, RegisterFact] = {}

    def fact(key: str, value: Any, source: str) -> None:
        facts[key] = RegisterFact(
            key=key, value=value, source=f"Software and cloud services register: {source}", as_of=on
        )

    fact("cloud.services_total", len(cloud), f"{len(cloud)} cloud services recorded")
    fact(
        "cloud.services_without_mfa", sum(1 for s in cloud if not s.mfa_enforced), "cloud services without MFA enforced"
    )
    fact(
        "cloud.services_without_sso",
        sum(1 for s in cloud if not s.single_sign_on),
        "cloud services without single sign-on",
    )
    outside = sum(1 for s in cloud if s.data_location == Service.DataLocation.ELSEWHERE)
    fact("cloud.services_data_outside_uk_eu", outside, "cloud services holding data outside the UK and EU")
    backups = [s.name for s in services if s.category == ServiceCategory.BACKUP]
    fact("backup.has_backup_service", bool(backups), ", ".join(backups) if backups else "no backup service recorded")
    return facts


def standards_facts_for(establishment: Establishment) -> dict[str, RegisterFact]:
    """The register-facts contract: a key only when the registers hold the fact."""
    return standards_facts_for_many([establishment])[establishment.pk]


def standards_facts_for_many(establishments: Iterable[Establishment]) -> dict[int, dict[str, RegisterFact]]:
    """`standards_facts_for` for many schools in three queries (national generation and snapshots)."""
    on = today()
    ids = [establishment.pk for establishment in establishments]
    connections: dict[int, list[Connection]] = defaultdict(list)
    for connection in Connection.objects.filter(establishment_id__in=ids):
        connections[connection.establishment_id].append(connection)
    kit: dict[int, list[AssetFacts]] = defaultdict(list)
    rows = Asset.objects.filter(establishment_id__in=ids, status=AssetStatus.IN_USE, category__in=STANDARDS_KIT)
    for establishment_id, *fields in rows.order_by().values_list("establishment_id", *LIFECYCLE_FIELDS):
        kit[establishment_id].append(AssetFacts(*fields))
    services: dict[int, list[Service]] = defaultdict(list)
    for service in Service.objects.filter(establishment_id__in=ids):  # by name, as the register lists them
        services[service.establishment_id].append(service)
    return {
        pk: {
            **_connection_facts(connections[pk], on),
            **_asset_facts_for_standards(kit[pk], on),
            **_service_facts(services[pk], on),
        }
        for pk in ids
    }


__all__ = ["ConnectionTechnology", "standards_facts_for", "standards_facts_for_many"]


def establishments_with_assets(*, establishments: Iterable[Establishment]) -> set[int]:
    """The ids of those establishments whose asset register has any row."""
    ids = [establishment.pk for establishment in establishments]
    return set(Asset.objects.filter(establishment_id__in=ids).values_list("establishment_id", flat=True).distinct())
