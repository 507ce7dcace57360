"""The metrics, as data: what each measures, its unit, the standard or requirement behind it, and who may
see it. Each school's value is worked out only from other apps' selectors (never their tables):

- standards results: standards.selectors (latest submitted assessments, the catalogue);
- estate figures: the register-facts contract (standards.register_facts, implemented by estate) and
  estate.selectors.contract_costs_ending (the contracts `ending_soon` lists as ending);
- plan figures: planning.selectors (the plan and its budget).

A value is a (numerator, denominator) pair, so an area's figure is the sum of numerators over the sum of
denominators: a share of schools (yes = 1/1, no = 0/1), a share of devices, devices per pupil, or a total
in pounds (denominator 1). A school with no value for a metric (not assessed, no register entries) is left
out of that metric, never counted as a no.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from schooltech.estate import selectors as estate
from schooltech.organisations.models import Establishment
from schooltech.planning import selectors as planning
from schooltech.standards import register_facts
from schooltech.standards import selectors as standards

Visibility = Literal["public", "department"]
Aggregation = Literal["share", "ratio", "total", "mean"]
Source = Literal["standards", "estate", "plans"]

# Cyber security figures are seen only by the department, as totals (the rule).
DEPARTMENT_ONLY_STANDARDS = {"cyber_security"}
DEPARTMENT_ONLY_REQUIREMENTS = {("cloud", "backups"), ("servers_storage", "resilience")}
FULL_FIBRE_TECHNOLOGIES = {"fttp", "leased_line"}
PRIMARY_MINIMUM_MBPS = (100.0, 30.0)  # download, upload: the broadband standard's primary target
SECONDARY_MINIMUM_DOWNLOAD_MBPS = 1000.0


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    definition: str
    unit: str  # how the figure reads, e.g. "% of schools"
    aggregation: Aggregation
    measures: str  # the standard or requirement it measures, or what else
    visibility: Visibility
    source: Source

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"

    def figure(self, numerator: float, denominator: float) -> float | None:
        """The area's figure from summed numerators and denominators."""
        if self.aggregation == "total":
            return numerator
        if not denominator:
            return None
        if self.aggregation == "share":
            return 100 * numerator / denominator
        return numerator / denominator

    @property
    def is_yes_or_no(self) -> bool:
        """A share of schools: each school's own value is a yes or a no."""
        return self.aggregation == "share" and self.unit.endswith("schools")

    def school_display(self, value: float | None) -> str:
        """One school's own value: yes or no for a share of schools, else as an area's figure."""
        if self.is_yes_or_no and value is not None:
            return "Yes" if value >= 50 else "No"
        return self.display(value)

    def display(self, value: float | None) -> str:
        if value is None:
            return "–"
        if self.aggregation == "share":
            return f"{value:.0f}%"
        if self.aggregation == "total":
            return f"£{value:,.0f}"
        return f"{value:,.2f}"


@dataclass(frozen=True)
class Value:
    numerator: float
    denominator: float = 1.0


def _yes(flag: bool) -> Value:
    return Value(1.0 if flag else 0.0)


# --- Standards ---------------------------------------------------------------------------------------


def _standard_visibility(standard_key: str, requirement_key: str | None = None) -> Visibility:
    if standard_key in DEPARTMENT_ONLY_STANDARDS or (standard_key, requirement_key) in DEPARTMENT_ONLY_REQUIREMENTS:
        return "department"
    return "public"


def standards_metrics() -> list[Metric]:
    metrics = []
    requirements: dict[str, list] = {}
    for (standard_key, _), requirement in standards.current_requirements().items():  # one query for all
        requirements.setdefault(standard_key, []).append(requirement)
    for found in requirements.values():
        found.sort(key=lambda requirement: requirement.position)
    for standard in standards.current_standards():
        core = " (a core standard)" if standard.is_core else ""
        metrics.append(
            Metric(
                key=f"standard.{standard.key}",
                name=f"Meet the {standard.title.lower()} standard",
                definition=(
                    f"Schools whose latest submitted self-assessment of the {standard.title.lower()} standard says "
                    "they meet it, out of the schools that have submitted one. Partly meeting counts as not meeting."
                ),
                unit="% of schools",
                aggregation="share",
                measures=f"{standard.title}{core}",
                visibility=_standard_visibility(standard.key),
                source="standards",
            )
        )
        for requirement in requirements.get(standard.key, []):
            metrics.append(
                Metric(
                    key=f"requirement.{standard.key}.{requirement.key}",
                    name=f"{standard.title}: {requirement.title}",
                    definition=(
                        "Schools whose latest submitted self-assessment says they meet this requirement, out of the "
                        "schools that have submitted one."
                    ),
                    unit="% of schools",
                    aggregation="share",
                    measures=f"{standard.title}: {requirement.title}",
                    visibility=_standard_visibility(standard.key, requirement.key),
                    source="standards",
                )
            )
    metrics.append(
        Metric(
            key="freshness.standards_days",
            name="Age of standards results",
            definition="Days since each school last submitted a self-assessment of any standard, averaged.",
            unit="days",
            aggregation="ratio",
            measures="Freshness of the data",
            visibility="public",
            source="standards",
        )
    )
    return metrics


def standards_values(establishments: list[Establishment], on: datetime.date) -> dict[int, dict[str, Value]]:
    latest = standards.latest_results_by_standard(establishments=establishments)
    values: dict[int, dict[str, Value]] = {}
    newest: dict[int, datetime.date] = {}
    for (establishment_id, standard_key), assessment in latest.items():
        school = values.setdefault(establishment_id, {})
        school[f"standard.{standard_key}"] = _yes(assessment.overall_status == "meets")
        for result in assessment.results or []:
            if result.get("status") in {"meets", "partly", "does_not_meet"}:
                key = f"requirement.{standard_key}.{result['requirement']}"
                school[key] = _yes(result["status"] == "meets")
        if assessment.submitted_at:
            submitted = assessment.submitted_at.date()
            newest[establishment_id] = max(newest.get(establishment_id, submitted), submitted)
    for establishment_id, day in newest.items():
        values[establishment_id]["freshness.standards_days"] = Value(float(max((on - day).days, 0)))
    return values


# --- Estate ------------------------------------------------------------------------------------------

ESTATE_METRICS = [
    Metric(
        key="estate.full_fibre",
        name="Full fibre main connection",
        definition="Schools whose main internet connection is full fibre to the premises or a leased line.",
        unit="% of schools",
        aggregation="share",
        measures="Broadband internet: full fibre",
        visibility="public",
        source="estate",
    ),
    Metric(
        key="estate.backup_of_different_type",
        name="Backup connection of a different type",
        definition="Schools with a backup internet connection of a different type from the main one.",
        unit="% of schools",
        aggregation="share",
        measures="Broadband internet: backup connection",
        visibility="public",
        source="estate",
    ),
    Metric(
        key="estate.primary_100_30",
        name="Primaries at 100/30 Mbps or more",
        definition="Primary schools whose main connection is contracted for at least 100 Mbps down and 30 Mbps "
        "up, or was measured at that speed or more (a slower speed test does not count against a faster line).",
        unit="% of primary schools",
        aggregation="share",
        measures="Broadband internet: speed",
        visibility="public",
        source="estate",
    ),
    Metric(
        key="estate.secondary_1gbps",
        name="Secondaries with 1 Gbps",
        definition="Secondary schools whose main connection is contracted for at least 1 Gbps down, or was "
        "measured at that speed or more.",
        unit="% of secondary schools",
        aggregation="share",
        measures="Broadband internet: speed",
        visibility="public",
        source="estate",
    ),
    Metric(
        key="estate.devices_past_support",
        name="Devices past support",
        definition="Laptops, desktops, tablets and Chromebooks in use whose support or operating system support "
        "has ended, out of all in use.",
        unit="% of devices",
        aggregation="share",
        measures="Laptops, desktops and tablets: supported",
        visibility="public",
        source="estate",
    ),
    Metric(
        key="estate.switches_past_support",
        name="Switches past support",
        definition="Network switches in use whose manufacturer support has ended, out of all in use.",
        unit="% of switches",
        aggregation="share",
        measures="Network switching: supported",
        visibility="public",
        source="estate",
    ),
    Metric(
        key="estate.access_points_past_support",
        name="Access points past support",
        definition="Wireless access points in use whose manufacturer support has ended, out of all in use.",
        unit="% of access points",
        aggregation="share",
        measures="Wireless network: supported equipment",
        visibility="public",
        source="estate",
    ),
    Metric(
        key="estate.devices_per_pupil",
        name="Devices per pupil",
        definition="Laptops, desktops, tablets and Chromebooks in use, divided by pupils on roll.",
        unit="devices per pupil",
        aggregation="ratio",
        measures="Laptops, desktops and tablets",
        visibility="public",
        source="estate",
    ),
    Metric(
        key="estate.mfa_on_cloud_services",
        name="MFA on every cloud service",
        definition="Schools whose every cloud service in the software register enforces multi-factor "
        "authentication, out of schools with a cloud service recorded.",
        unit="% of schools",
        aggregation="share",
        measures="Cyber security: accounts",
        visibility="department",
        source="estate",
    ),
    Metric(
        key="estate.backup_service",
        name="Backup service recorded",
        definition="Schools with a backup service in their software register.",
        unit="% of schools",
        aggregation="share",
        measures="Cyber security: backups",
        visibility="department",
        source="estate",
    ),
    Metric(
        key="estate.contracts_ending_12_months",
        name="Contract value ending in 12 months",
        definition="The annual cost of contracts that end in the next 12 months, summed.",
        unit="£",
        aggregation="total",
        measures="Digital leadership and governance: registers",
        visibility="public",
        source="estate",
    ),
]


def _share_of(facts: dict, part: str, whole: str) -> Value | None:
    total = facts.get(whole)
    if total is None or not total.value:
        return None
    return Value(float(facts[part].value if part in facts else 0), float(total.value))


def _speed_met(facts: dict, minimum_down: float, minimum_up: float) -> Value | None:
    """Whether the main connection reaches the speed, as the broadband standard judges it: on the
    contracted speed, where a measured speed at or above it also counts (a speed test shows only a
    lower bound, so it can prove the speed but never disprove it). None when it cannot be told."""

    def reaches(kind: str) -> bool | None:
        down, up = facts.get(f"broadband.download_mbps_{kind}"), facts.get(f"broadband.upload_mbps_{kind}")
        if down is None or (minimum_up and up is None):
            return None
        return down.value >= minimum_down and (not minimum_up or up.value >= minimum_up)

    contracted, measured = reaches("contracted"), reaches("measured")
    if contracted or measured:
        return _yes(True)
    return _yes(False) if contracted is False else None


def estate_school_values(
    establishment: Establishment, on: datetime.date, facts: dict | None = None, ending: Decimal | None = None
) -> dict[str, Value]:
    """One school's estate figures (`facts` and `ending`, the cost of contracts ending within 12
    months, when the caller has read them for many schools at once)."""
    facts = register_facts.facts_for(establishment) if facts is None else facts
    found: dict[str, Value | None] = {}
    technology = facts.get("broadband.primary_technology")
    if technology is not None:
        found["estate.full_fibre"] = _yes(technology.value in FULL_FIBRE_TECHNOLOGIES)
    backup = facts.get("broadband.has_backup_of_different_type")
    if backup is not None:
        found["estate.backup_of_different_type"] = _yes(bool(backup.value))
    if establishment.ofsted_phase == Establishment.OfstedPhase.PRIMARY:
        found["estate.primary_100_30"] = _speed_met(facts, *PRIMARY_MINIMUM_MBPS)
    if establishment.ofsted_phase == Establishment.OfstedPhase.SECONDARY:
        found["estate.secondary_1gbps"] = _speed_met(facts, SECONDARY_MINIMUM_DOWNLOAD_MBPS, 0.0)
    found["estate.devices_past_support"] = _share_of(facts, "devices.below_minimum", "devices.total")
    found["estate.switches_past_support"] = _share_of(facts, "switching.out_of_support", "switching.total")
    found["estate.access_points_past_support"] = _share_of(facts, "wireless.out_of_support", "wireless.total")
    devices = facts.get("devices.total")
    if devices is not None and establishment.number_of_pupils:
        found["estate.devices_per_pupil"] = Value(float(devices.value), float(establishment.number_of_pupils))
    cloud = facts.get("cloud.services_total")
    if cloud is not None and cloud.value:
        found["estate.mfa_on_cloud_services"] = _yes(facts["cloud.services_without_mfa"].value == 0)
    backup_service = facts.get("backup.has_backup_service")
    if backup_service is not None:
        found["estate.backup_service"] = _yes(bool(backup_service.value))
    if ending is None:
        ending = estate.contract_costs_ending(establishment_ids=[establishment.pk], on=on).get(establishment.pk)
    if facts or ending is not None:
        found["estate.contracts_ending_12_months"] = Value(float(ending or Decimal(0)))
    return {key: value for key, value in found.items() if value is not None}


def estate_values(establishments: Iterable[Establishment], on: datetime.date) -> dict[int, dict[str, Value]]:
    establishments = list(establishments)
    facts = register_facts.facts_for_many(establishments)
    ending = estate.contract_costs_ending(establishment_ids=[school.pk for school in establishments], on=on)
    values = {}
    for establishment in establishments:
        if school := estate_school_values(establishment, on, facts[establishment.pk], ending.get(establishment.pk)):
            values[establishment.pk] = school
    return values


# --- Plans -------------------------------------------------------------------------------------------


YEARS_OF_SPEND = 3  # the financial years the plan metrics cover, the current one first


def _first_financial_year(on: datetime.date) -> int:
    return on.year if on.month >= 4 else on.year - 1


def plan_metrics(on: datetime.date) -> list[Metric]:
    first = _first_financial_year(on)
    by_year = [
        Metric(
            key=f"plans.spend.{year}",
            name=f"Planned spend {year}-{str(year + 1)[-2:]}",
            definition=f"Estimated cost of the plan actions due in the financial year starting in {year}, summed "
            "over schools with a technology plan.",
            unit="£",
            aggregation="total",
            measures="Technology plans",
            visibility="public",
            source="plans",
        )
        for year in range(first, first + YEARS_OF_SPEND)
    ]
    last = first + YEARS_OF_SPEND - 1
    by_category = [
        Metric(
            key=f"plans.spend_on.{category}",
            name=f"Planned spend: {label}, {first}-{str(first + 1)[-2:]} to {last}-{str(last + 1)[-2:]}",
            definition=f"Estimated cost of the plan actions in the category ‘{label}’ due in the "
            f"{YEARS_OF_SPEND} financial years starting in {first}, summed over schools with a technology plan.",
            unit="£",
            aggregation="total",
            measures="Technology plans",
            visibility="public",
            source="plans",
        )
        for category, label in planning.spend_categories()
    ]
    return by_year + by_category


def plan_values(establishments: Iterable[Establishment], on: datetime.date) -> dict[int, dict[str, Value]]:
    budgets = planning.budgets_for(establishments=list(establishments), today=on)
    first = _first_financial_year(on)
    categories = [category for category, _ in planning.spend_categories()]
    values = {}
    for pk, years in budgets.items():
        covered = [year for year in years if first <= year.year.start.year < first + YEARS_OF_SPEND]
        school = {f"plans.spend.{year.year.start.year}": Value(float(year.total)) for year in years}
        for category in categories:
            spent = sum((year.by_category.get(category, Decimal(0)) for year in covered), Decimal(0))
            school[f"plans.spend_on.{category}"] = Value(float(spent))
        values[pk] = school
    return values


# --- All ---------------------------------------------------------------------------------------------

COVERAGE = Metric(
    key="coverage.sharing",
    name="Schools sharing",
    definition="Open state-funded schools that share at least one kind of figure with the department, out of "
    "all open state-funded schools.",
    unit="% of schools",
    aggregation="share",
    measures="Coverage of the figures",
    visibility="public",
    source="standards",
)


def all_metrics(on: datetime.date) -> list[Metric]:
    return [COVERAGE, *standards_metrics(), *ESTATE_METRICS, *plan_metrics(on)]


def metrics_by_key(on: datetime.date) -> dict[str, Metric]:
    return {metric.key: metric for metric in all_metrics(on)}


VALUE_READERS = {"standards": standards_values, "estate": estate_values, "plans": plan_values}
