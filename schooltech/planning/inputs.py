"""What the plan engine reads, gathered once per establishment (or per batch of establishments).

The engine itself never touches the database: it gets these frozen dataclasses, so the same
inputs always give the same plan, and each rule can be tested with inputs made by hand.

Every read of another app's data goes through that app's selectors: the registers through
`estate.selectors.plan_registers`, the catalogue, assessments and phases through
`standards.selectors`. This module only turns their answers into the engine's inputs.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from schooltech.core import calendar
from schooltech.core.validation import safe_days_before
from schooltech.estate import selectors as estate_selectors
from schooltech.estate.selectors import ConnectionInfo, DeviceMinimums, KitGroup, ServerInfo, ServiceInfo
from schooltech.organisations.models import Establishment
from schooltech.planning.models import BuyingRoute, UnitPrice
from schooltech.standards import selectors as standards_selectors

FULL_FIBRE = {"fttp", "leased_line"}


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
    covers: tuple[str, ...] = ()  # the plan categories of what the registers link to it: "broadband", "devices", ...
    start_date: datetime.date | None = None

    @property
    def name(self) -> str:
        return f"{self.supplier}: {self.title}" if self.title else self.supplier

    @property
    def notice_deadline(self) -> datetime.date | None:
        return safe_days_before(self.end_date, self.notice_days)


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
    requirement_key: str = ""  # the requirement of its standard this duty serves


@dataclass(frozen=True)
class DutyDone:
    """When a school last did a recurring duty, and who did it (standards' DutyRecord)."""

    key: str
    done_on: datetime.date
    done_by: str


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
    device_minimums: tuple[DeviceMinimums, ...] = ()
    registers: frozenset[str] = frozenset()  # which registers hold any rows: assets, connections, ...
    information_assets: int = 0  # entries in the information asset register (the plan uses none of them)
    gaps: tuple[RequirementGap, ...] = ()
    unassessed: tuple[StandardInfo, ...] = ()
    duties: tuple[DutyInfo, ...] = ()
    duties_done: tuple[DutyDone, ...] = ()  # the latest record of each duty the school has done

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
    requirements = standards_selectors.current_requirements()
    speed = requirements.get(("broadband", "speed"))
    duties = tuple(
        DutyInfo(
            d.key,
            d.title,
            d.cadence,
            d.standard.key,
            d.standard.title,
            d.usually_done_by,
            d.standard.is_core,
            d.requirement_key,
        )
        for d in standards_selectors.current_duties()
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


def _contract_info(contract: estate_selectors.ContractInfo) -> ContractInfo:
    covers = {PLAN_CATEGORY_OF_LINK.get(link) or ASSET_PLAN_CATEGORY.get(link, "other") for link in contract.linked}
    return ContractInfo(
        contract.pk,
        contract.supplier,
        contract.title,
        contract.end_date,
        contract.notice_days,
        contract.auto_renews,
        contract.annual_cost,
        tuple(sorted(covers)),
        contract.start_date,
    )


# What the registers link to a contract -> the plan's categories (for costs, routes and grouping).
PLAN_CATEGORY_OF_LINK = {
    estate_selectors.LINKED_CONNECTION: "broadband",
    estate_selectors.LINKED_CLOUD_SERVICE: "cloud",
    estate_selectors.LINKED_SOFTWARE: "software",
}
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
    registers = estate_selectors.plan_registers(establishment_ids=[school.pk for school in schools])
    gaps, unassessed = _gaps(schools, shared)
    phases = standards_selectors.phase_groups_of(establishments=schools)
    done = _duties_done([school.pk for school in schools])
    horizons = horizons or {}
    result = {}
    for school in schools:
        held = registers[school.pk]
        result[school.pk] = PlanInputs(
            urn=school.urn,
            school_name=school.name,
            today=today,
            horizon_years=horizons.get(school.pk, 5),
            phase_group=phases.get(school.pk),
            prices=shared.prices,
            speed_thresholds=shared.speed_thresholds,
            contracts=tuple(_contract_info(contract) for contract in held.contracts),
            connections=tuple(held.connections),
            kit=tuple(held.kit),
            servers=tuple(held.servers),
            services=tuple(held.services),
            device_minimums=tuple(held.device_minimums),
            registers=held.held,
            information_assets=held.information_assets,
            gaps=tuple(gaps.get(school.pk, ())),
            unassessed=tuple(unassessed.get(school.pk, ())),
            duties=shared.duties,
            duties_done=tuple(done.get(school.pk, ())),
        )
    return result


def _duties_done(ids: list[int]) -> dict[int, list[DutyDone]]:
    done: dict[int, list[DutyDone]] = defaultdict(list)
    for (school_id, key), record in standards_selectors.duties_last_done(establishment_ids=ids).items():
        done[school_id].append(DutyDone(key, record.done_on, record.done_by))
    return done
