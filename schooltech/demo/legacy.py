"""Example services for the department's legacy technology register, clearly marked as examples.

Invented, but shaped like real departmental systems: a mix of red, amber and green, decisions for
the red and amber ones, and milestones some of which are overdue. Dates are relative to `today`,
so the picture stays the same whenever the demo is loaded. Written through legacy.services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from schooltech.legacy import selectors, services

EXAMPLE = "(example)"


@dataclass(frozen=True)
class Example:
    name: str
    purpose: str
    directorate: str
    owner: str
    value: int
    users: str
    transactions: int
    supports: str
    cost: int
    hosting: str
    software: list[tuple[str, str, int | None, list[str]]]  # name, version, support ends in days, severities
    contracts: list[tuple[str, str, int | None, int | None]]  # supplier, what for, ends in days, notice in days
    scores: dict[str, tuple[int, str]]
    decision: tuple[str, str, str, int] | None = None  # kind, rationale, approver, days ago
    milestones: list[tuple[str, str, int, bool]] = field(default_factory=list)  # title, owner, due in days, done


EXAMPLES = [
    Example(
        name=f"Teacher pensions calculator {EXAMPLE}",
        purpose="Works out pension entitlements for teachers leaving service.",
        directorate="funding",
        owner="Head of pensions operations",
        value=2,
        users="Pensions caseworkers (about 40 people)",
        transactions=18_000,
        supports="Pension statements on request",
        cost=240_000,
        hosting="Department data centre, physical servers",
        software=[("Windows Server", "2012 R2", -1150, ["critical", "high"]), ("Calc engine", "4.1", None, [])],
        contracts=[("Legacy Calc Ltd", "Support and maintenance", -200, -290)],
        scores={
            "L3": (6, "One contractor understands the calculation engine"),
            "L4": (4, "Cannot handle the 2015 scheme changes without manual work"),
            "L5": (5, "Servers in a room due to close"),
            "L7": (4, "Three outages last year"),
            "impact": (4, "Wrong statements would reach teachers"),
        },
        decision=(
            "replace",
            "Risk far outweighs value; the pensions administrator's service covers the need.",
            "Director of funding operations",
            120,
        ),
        milestones=[
            ("Agree data migration plan", "Head of pensions operations", -45, False),
            ("Switch off calculator", "Service owner", 150, False),
        ],
    ),
    Example(
        name=f"School returns portal {EXAMPLE}",
        purpose="Collects statutory returns from schools each term.",
        directorate="data",
        owner="Deputy director, data collection",
        value=4,
        users="All state-funded schools in England; analysts across the department",
        transactions=2_400_000,
        supports="School funding allocations and national statistics",
        cost=1_800_000,
        hosting="Public cloud (UK regions)",
        software=[(".NET", "6", -390, ["medium"]), ("PostgreSQL", "16", 1400, [])],
        contracts=[("Cloud Hosting plc", "Hosting", 500, 410), ("Dev Partner Ltd", "Development", 200, 110)],
        scores={
            "L3": (2, "In-house team of eight"),
            "L4": (3, "Termly peaks strain the upload service"),
            "L5": (1, "Cloud hosted"),
            "L7": (3, "Two incidents in the autumn collection"),
            "impact": (5, "Funding allocations depend on it"),
        },
        decision=(
            "remediate",
            "High value; upgrade the runtime and fix the vulnerability before the spring collection.",
            "Chief data officer",
            60,
        ),
        milestones=[
            ("Upgrade to .NET 8", "Lead developer", -10, False),
            ("Penetration test after upgrade", "Security architect", 40, False),
            ("Fix medium vulnerability", "Lead developer", -30, True),
        ],
    ),
    Example(
        name=f"Grants payment system {EXAMPLE}",
        purpose="Pays grants to schools, colleges and local authorities.",
        directorate="funding",
        owner="Head of payments",
        value=4,
        users="Payments team; every grant-funded organisation",
        transactions=95_000,
        supports="Over £1 billion of grant payments a year",
        cost=650_000,
        hosting="Managed hosting",
        software=[("Finance package", "11", 300, [])],
        contracts=[("Finance Systems Ltd", "Licence and support", 240, 60)],
        scores={
            "L3": (3, "Two people know the payment files"),
            "L4": (2, "Meets needs"),
            "L5": (2, "Supplier data centre"),
            "L7": (2, "No serious incidents"),
            "impact": (5, "Late payments to schools"),
        },
        decision=(
            "accept",
            "Accept for now: contract renewal due; revisit at the next quarterly review.",
            "Director of funding operations",
            30,
        ),
    ),
    Example(
        name=f"Staff intranet {EXAMPLE}",
        purpose="News and guidance for department staff.",
        directorate="operations",
        owner="Head of internal communications",
        value=1,
        users="All staff",
        transactions=400_000,
        supports="Internal communications",
        cost=40_000,
        hosting="Software as a service",
        software=[("Intranet platform", "SaaS", 2000, [])],
        contracts=[("Intranet Co", "Subscription", 700, 610)],
        scores={
            "L3": (1, "Supplier supported"),
            "L4": (2, "Search is weak"),
            "L5": (1, "SaaS"),
            "L7": (1, "None"),
            "impact": (1, "Staff find news another way"),
        },
    ),
    Example(
        name=f"Free school meals checker {EXAMPLE}",
        purpose="Checks eligibility for free school meals for local authorities.",
        directorate="families",
        owner="Head of family services digital",
        value=3,
        users="Local authorities and schools",
        transactions=1_200_000,
        supports="Free school meals and pupil premium",
        cost=300_000,
        hosting="Public cloud (UK regions)",
        software=[("Java", "11", 200, ["low"])],
        contracts=[("Checker Support Ltd", "Support", 330, 240)],
        scores={
            "L3": (3, "Small team"),
            "L4": (3, "Batch checks only"),
            "L5": (1, "Cloud hosted"),
            "L7": (2, "Occasional slow responses"),
        },
    ),
]


def load_examples(*, today: datetime.date) -> int:
    """Add the examples not yet in the register; returns how many were added. Safe to run again."""
    added = [example for example in EXAMPLES if selectors.service_named(example.name) is None]
    for example in added:
        _add(example, today)
    return len(added)


def _add(example: Example, today: datetime.date) -> None:
    service = services.legacy_service_create(
        actor=None,
        name=example.name,
        purpose=example.purpose,
        directorate=example.directorate,
        owner=example.owner,
        value=example.value,
        users=example.users,
        transactions_per_year=example.transactions,
        supports=example.supports,
        annual_cost=Decimal(example.cost),
        hosting=example.hosting,
        is_example=True,
    )
    for name, version, ends_in, severities in example.software:
        support_ends = _day(today, ends_in)
        software = services.software_add(
            actor=None, service=service, name=name, version=version, support_ends=support_ends
        )
        for number, severity in enumerate(severities, start=1):
            reference = f"EXAMPLE-{service.pk}-{number}"
            services.vulnerability_add(actor=None, software=software, reference=reference, severity=severity)
    for supplier, description, ends_in, notice_in in example.contracts:
        services.supplier_contract_add(
            actor=None,
            service=service,
            supplier=supplier,
            description=description,
            ends_on=_day(today, ends_in),
            notice_by=_day(today, notice_in),
        )
    for criterion, (score, reason) in example.scores.items():
        services.criterion_score_set(actor=None, service=service, criterion=criterion, score=score, reason=reason)
    if example.decision:
        kind, rationale, approver, days_ago = example.decision
        services.decision_record(
            actor=None,
            service=service,
            kind=kind,
            rationale=rationale,
            approved_by=approver,
            decided_on=today - datetime.timedelta(days=days_ago),
        )
    for title, owner, due_in, done in example.milestones:
        milestone = services.milestone_add(
            actor=None, service=service, title=title, owner=owner, due_on=_day(today, due_in)
        )
        if done:
            services.milestone_complete(actor=None, milestone=milestone, done_on=milestone.due_on)
    _assess_principles(service, today)


def _assess_principles(service, today: datetime.date) -> None:
    """Assess the example against the standards the register itself answers (when they are loaded)."""
    in_support = selectors.principle_named("software-in-support")
    if in_support is not None:
        past = [s for s in service.software.all() if s.support_ends and s.support_ends < today]
        services.principle_assess(
            actor=None,
            service=service,
            principle=in_support,
            outcome="does_not" if past else "meets",
            evidence=("Past support: " + ", ".join(str(s) for s in past)) if past else "All software in support",
        )
    recorded = selectors.principle_named("contracts-recorded")
    if recorded is not None:
        complete = all(c.ends_on and c.notice_by for c in service.contracts.all())
        services.principle_assess(
            actor=None,
            service=service,
            principle=recorded,
            outcome="meets" if complete else "partly",
            evidence="End and notice dates recorded" if complete else "A contract has no end or notice date",
        )


def _day(today: datetime.date, days: int | None) -> datetime.date | None:
    return None if days is None else today + datetime.timedelta(days=days)
