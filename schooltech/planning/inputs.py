"""What the plan engine reads, gathered once per establishment (or per batch of establishments).

The engine itself never touches the database: it gets these frozen dataclasses, so the same
inputs always give the same plan, and each rule can be tested with inputs made by hand.

Reads go through the estate and standards apps' selectors and lifecycle rules where they offer
what is needed; register rows are read with `values_list` only (no writes, no model methods).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache

from django.db.models import Count

from schooltech.organisations.models import Establishment
from schooltech.planning import calendar
from schooltech.planning.models import BuyingRoute, UnitPrice

FULL_FIBRE = {"fttp", "leased_line"}
GROUP_FIELDS = ("establishment_id", "category", "operating_system", "os_version", "support_end", "make", "model_name")


@dataclass(frozen=True)
class Price:
    key: str
    label: str
    unit: str
    price: Decimal


@dataclass(frozen=True)
class Route:
    key: str
    name: str
    categories: tuple[str, ...]
    dfe_approved: bool
    end_date: datetime.date | None
    position: int = 0


@dataclass(frozen=True)
class ContractInfo:
    pk: int
    supplier: str
    title: str
    end_date: datetime.date | None
    notice_days: int | None
    auto_renews: bool
    annual_cost: Decimal | None
    covers: tuple[str, ...] = ()  # what the registers link to it: "broadband", "devices", "cloud", ...

    @property
    def name(self) -> str:
        return f"{self.supplier}: {self.title}" if self.title else self.supplier

    @property
    def notice_deadline(self) -> datetime.date | None:
        if self.end_date is None or self.notice_days is None:
            return None
        return self.end_date - datetime.timedelta(days=self.notice_days)


@dataclass(frozen=True)
class ConnectionInfo:
    pk: int
    provider: str
    technology: str
    technology_label: str
    is_primary: bool
    automatic_failover: bool
    download_mbps: float | None
    upload_mbps: float | None
    contract_id: int | None


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


@dataclass(frozen=True)
class RequirementGap:
    standard_key: str
    standard_title: str
    is_core: bool
    requirement_key: str
    title: str
    when_to_meet: str
    status: str
    recommendation: str
    usually_done_by: str
    threshold: str
    reasons: tuple[str, ...]
    assessed_on: datetime.date | None


@dataclass(frozen=True)
class StandardInfo:
    key: str
    title: str
    is_core: bool


@dataclass(frozen=True)
class DutyInfo:
    key: str
    title: str
    cadence: str
    standard_key: str
    standard_title: str
    usually_done_by: str
    is_core: bool = False


@dataclass(frozen=True)
class PlanInputs:
    urn: str
    school_name: str
    today: datetime.date
    horizon_years: int
    phase_group: str | None  # "primary" | "secondary" | None when not known
    prices: dict[str, Price] = field(default_factory=dict)
    speed_thresholds: dict[str, str] = field(default_factory=dict)  # phase group -> plain English
    contracts: tuple[ContractInfo, ...] = ()
    connections: tuple[ConnectionInfo, ...] = ()
    kit: tuple[KitGroup, ...] = ()
    servers: tuple[ServerInfo, ...] = ()
    services: tuple[ServiceInfo, ...] = ()
    registers: frozenset[str] = frozenset()  # which registers hold any rows: assets, connections, ...
    gaps: tuple[RequirementGap, ...] = ()
    unassessed: tuple[StandardInfo, ...] = ()
    duties: tuple[DutyInfo, ...] = ()

    @cached_property
    def horizon_end(self) -> datetime.date:
        return calendar.add_years(self.today, self.horizon_years)

    @cached_property
    def now_due(self) -> datetime.date:
        """When "now" falls due: the end of this term, or of the next when this one ends within 4 weeks."""
        term = calendar.term_of(self.today)
        if (term.end - self.today).days < 28:
            term = term.next()
        return term.end


# --- Reference data (shared by every school) ------------------------------------------------------


def load_prices() -> dict[str, Price]:
    return {
        key: Price(key=key, label=label, unit=unit, price=price)
        for key, label, unit, price in UnitPrice.objects.values_list("key", "label", "unit", "price")
    }


def load_routes() -> list[Route]:
    rows = BuyingRoute.objects.filter(is_active=True).values_list(
        "key", "name", "categories", "dfe_approved", "end_date", "position"
    )
    return [Route(key, name, tuple(cats), approved, end, position) for key, name, cats, approved, end, position in rows]


@dataclass(frozen=True)
class Shared:
    prices: dict[str, Price]
    speed_thresholds: dict[str, str]
    requirements: dict[tuple[str, str], object]
    standards: tuple[StandardInfo, ...]
    duties: tuple[DutyInfo, ...]


def load_shared() -> Shared:
    from schooltech.standards import selectors as standards_selectors
    from schooltech.standards.models import Requirement

    requirements = {
        (r.standard.key, r.key): r
        for r in Requirement.objects.filter(standard__version__is_current=True).select_related("standard")
    }
    speed = requirements.get(("broadband", "speed"))
    duties = tuple(
        DutyInfo(d.key, d.title, d.cadence, d.standard.key, d.standard.title, d.usually_done_by, d.standard.is_core)
        for d in standards_selectors.current_duties().order_by("standard__position", "cadence", "key")
    )
    standards = tuple(StandardInfo(s.key, s.title, s.is_core) for s in standards_selectors.current_standards())
    return Shared(
        prices=load_prices(),
        speed_thresholds=dict(speed.thresholds) if speed else {},
        requirements=requirements,
        standards=standards,
        duties=duties,
    )


# --- Registers -------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _os_support(operating_system: str, os_version: str):
    from schooltech.estate import lifecycle

    return lifecycle.os_support(operating_system, os_version)


def _effective_end(category: str, operating_system: str, os_version: str, support_end):
    """The earliest known end of support and where it comes from (as the estate lifecycle rules say)."""
    support = _os_support(operating_system, os_version) if operating_system else None
    candidates = []
    if support_end is not None:
        candidates.append((support_end, "manufacturer support end in the asset register"))
    if support is not None and support.support_end is not None:
        candidates.append((support.support_end, f"{support.label} security updates end"))
    if not candidates:
        return None, ""
    return min(candidates)


def _kit_description(category: str, operating_system: str, os_version: str, make: str, model: str) -> str:
    support = _os_support(operating_system, os_version) if operating_system else None
    if support is not None:
        return support.label
    return " ".join(part for part in (make, model) if part) or "model not recorded"


def _registers(ids: list[int]) -> dict[int, dict]:
    from schooltech.estate.models import (
        Asset,
        AssetCategory,
        AssetStatus,
        Connection,
        ConnectionTechnology,
        Contract,
        Service,
    )

    found: dict[int, dict] = defaultdict(lambda: defaultdict(list))
    labels = dict(AssetCategory.choices)
    technology_labels = dict(ConnectionTechnology.choices)
    contract_covers: dict[int, set[str]] = defaultdict(set)

    connection_rows = Connection.objects.filter(establishment_id__in=ids).values_list(
        "pk", "establishment_id", "provider", "technology", "role", "automatic_failover",
        "download_mbps_measured", "download_mbps_contracted", "upload_mbps_measured", "upload_mbps_contracted",
        "contract_id",
    ).order_by("pk")  # fmt: skip
    for pk, school, provider, tech, role, failover, down_m, down_c, up_m, up_c, contract_id in connection_rows:
        found[school]["connections"].append(
            ConnectionInfo(
                pk,
                provider,
                tech,
                technology_labels.get(tech, tech),
                role == Connection.Role.PRIMARY,
                failover,
                down_m if down_m is not None else down_c,
                up_m if up_m is not None else up_c,
                contract_id,
            )
        )
        if contract_id:
            contract_covers[contract_id].add("broadband")

    service_rows = Service.objects.filter(establishment_id__in=ids).values_list(
        "establishment_id", "name", "category", "hosting", "data_location", "single_sign_on", "mfa_enforced",
        "contract_id",
    ).order_by("name", "pk")  # fmt: skip
    for school, name, category, hosting, location, sso, mfa, contract_id in service_rows:
        found[school]["services"].append(ServiceInfo(name, category, hosting, location, sso, mfa))
        if contract_id:
            contract_covers[contract_id].add("cloud" if hosting == Service.Hosting.CLOUD else "software")

    in_use = Asset.objects.filter(establishment_id__in=ids, status=AssetStatus.IN_USE)
    groups = (
        in_use.exclude(category=AssetCategory.SERVER)
        .values_list(*GROUP_FIELDS)
        .annotate(n=Count("pk"))
        .order_by(*GROUP_FIELDS)
    )
    merged: dict[tuple, list] = {}
    for school, category, os_name, os_version, support_end, make, model, n in groups:
        end, source = _effective_end(category, os_name, os_version, support_end)
        description = _kit_description(category, os_name, os_version, make, model)
        key = (school, category, description, end, support_end is not None)
        entry = merged.setdefault(key, [0, source])
        entry[0] += n
    for (school, category, description, end, known), (quantity, source) in merged.items():
        found[school]["kit"].append(
            KitGroup(category, labels.get(category, category), quantity, description, end, source, known)
        )
    for school, count in in_use.values_list("establishment_id").annotate(n=Count("pk")).order_by():
        found[school]["asset_count"] = count
    server_rows = in_use.filter(category=AssetCategory.SERVER).values_list(
        "pk", "establishment_id", "make", "model_name", "asset_tag", "server_role", "could_move_to_cloud",
        "support_end", "operating_system", "os_version",
    ).order_by("pk")  # fmt: skip
    for pk, school, make, model, tag, role, movable, support_end, os_name, os_version in server_rows:
        end, _ = _effective_end(AssetCategory.SERVER, os_name, os_version, support_end)
        label = " ".join(part for part in (make, model) if part) or "Server"
        found[school]["servers"].append(ServerInfo(pk, f"{label} ({tag})" if tag else label, role, movable, end))

    linked_assets = (
        Asset.objects.filter(establishment_id__in=ids, contract__isnull=False)
        .values_list("contract_id", "category")
        .distinct()
        .order_by()
    )
    for contract_id, category in linked_assets:
        contract_covers[contract_id].add(ASSET_PLAN_CATEGORY.get(category, "other"))

    contract_rows = Contract.objects.filter(establishment_id__in=ids).values_list(
        "pk", "establishment_id", "supplier", "title", "end_date", "notice_days", "auto_renews", "annual_cost"
    ).order_by("end_date", "pk")  # fmt: skip
    for pk, school, supplier, title, end, notice, renews, cost in contract_rows:
        covers = tuple(sorted(contract_covers.get(pk, ())))
        found[school]["contracts"].append(ContractInfo(pk, supplier, title, end, notice, renews, cost, covers))
    return found


# Asset register categories -> the plan's categories (for costs, routes and grouping).
ASSET_PLAN_CATEGORY = {
    "laptop": "devices",
    "desktop": "devices",
    "tablet": "devices",
    "chromebook": "devices",
    "interactive_display": "audio_visual",
    "edge_switch": "network",
    "core_switch": "network",
    "access_point": "wireless",
    "firewall": "network",
    "router": "network",
    "server": "servers",
    "storage": "servers",
    "ups": "network",
    "printer": "other",
    "other": "other",
}


# --- Standards ------------------------------------------------------------------------------------


def _gaps(schools: list[Establishment], shared: Shared) -> tuple[dict[int, list], dict[int, list]]:
    from schooltech.standards import selectors as standards_selectors

    latest = standards_selectors.latest_results_by_standard(establishments=schools)
    gaps: dict[int, list[RequirementGap]] = defaultdict(list)
    unassessed: dict[int, list[StandardInfo]] = defaultdict(list)
    for school in schools:
        for standard in shared.standards:
            assessment = latest.get((school.pk, standard.key))
            if assessment is None:
                unassessed[school.pk].append(standard)
                continue
            for result in assessment.results:
                if result.get("status") not in {"does_not_meet", "partly"}:
                    continue
                requirement = shared.requirements.get((standard.key, result.get("requirement")))
                if requirement is None:
                    continue  # a requirement dropped from the current catalogue
                gaps[school.pk].append(_gap(standard, requirement, result, assessment, school))
    return gaps, unassessed


def _threshold(thresholds: dict, phase_group: str | None) -> str:
    return thresholds.get("all") or thresholds.get(phase_group or "", "") or ""


def _gap(standard: StandardInfo, requirement, result: dict, assessment, school) -> RequirementGap:
    return RequirementGap(
        standard_key=standard.key,
        standard_title=standard.title,
        is_core=standard.is_core,
        requirement_key=requirement.key,
        title=requirement.title,
        when_to_meet=requirement.when_to_meet,
        status=result["status"],
        recommendation=requirement.recommendation,
        usually_done_by=requirement.usually_done_by,
        threshold=_threshold(requirement.thresholds, assessment.phase_group),
        reasons=tuple(result.get("reasons") or ()),
        assessed_on=assessment.submitted_at.date() if assessment.submitted_at else None,
    )


def _phase_groups(schools: list[Establishment]) -> dict[int, str | None]:
    from schooltech.standards import scoring
    from schooltech.standards.models import SchoolPhase

    phases = {school.pk: scoring.phase_group_for(school.phase_code) for school in schools}
    missing = [pk for pk, phase in phases.items() if phase is None]
    if missing:
        phases.update(
            dict(
                SchoolPhase.objects.filter(establishment_id__in=missing).values_list("establishment_id", "phase_group")
            )
        )
    return phases


# --- Putting it together -------------------------------------------------------------------------


def plan_inputs_for(
    schools: Iterable[Establishment],
    *,
    today: datetime.date,
    horizons: dict[int, int] | None = None,
    shared: Shared | None = None,
) -> dict[int, PlanInputs]:
    """Inputs for each school, in a fixed number of queries whatever the number of schools."""
    schools = list(schools)
    shared = shared or load_shared()
    ids = [school.pk for school in schools]
    registers = _registers(ids)
    gaps, unassessed = _gaps(schools, shared)
    phases = _phase_groups(schools)
    horizons = horizons or {}
    result = {}
    for school in schools:
        held = registers.get(school.pk, {})
        present = {name for name in ("connections", "services", "contracts") if held.get(name)}
        if held.get("asset_count"):
            present.add("assets")
        result[school.pk] = PlanInputs(
            urn=school.urn,
            school_name=school.name,
            today=today,
            horizon_years=horizons.get(school.pk, 5),
            phase_group=phases.get(school.pk),
            prices=shared.prices,
            speed_thresholds=shared.speed_thresholds,
            contracts=tuple(held.get("contracts", ())),
            connections=tuple(held.get("connections", ())),
            kit=tuple(held.get("kit", ())),
            servers=tuple(held.get("servers", ())),
            services=tuple(held.get("services", ())),
            registers=frozenset(present),
            gaps=tuple(gaps.get(school.pk, ())),
            unassessed=tuple(unassessed.get(school.pk, ())),
            duties=shared.duties,
        )
    return result
