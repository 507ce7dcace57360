"""The plan engine: run every rule over the inputs, keep what falls in the horizon, sort.

Deterministic: the same inputs give the same actions in the same order. Buying routes are
suggested by category, DfE-approved frameworks first.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from schooltech.core.dates import govuk_date
from schooltech.planning.inputs import PlanInputs, Route
from schooltech.planning.proposals import Fact, ProposedAction
from schooltech.planning.rules import (
    ASSETS,
    CONNECTIONS,
    CONTRACTS,
    RULES,
    SERVICES,
    SPEED_MBPS,
    USER_DEVICES,
    plural,
)

# Rules that restate a need in general terms: when a specific rule meets the same need (a contract
# notice, a duty, a replacement), the specific action leads and this one is folded into it.
GENERIC_RULES = ("unmet_requirements",)


def build_plan(inputs: PlanInputs, *, rules: Iterable = RULES) -> list[ProposedAction]:
    found: dict[str, ProposedAction] = {}
    rank: dict[str, int] = {}
    for position, rule in enumerate(rules):
        rank.setdefault(rule.key, position)
        for action in rule.produce(inputs):
            found.setdefault(action.key, action)
    merged = merge_needs(list(found.values()), rank)
    return sorted((a for a in merged if a.due_date <= inputs.horizon_end), key=sort_key)


def merge_needs(actions: list[ProposedAction], rank: dict[str, int] | None = None) -> list[ProposedAction]:
    """One action per need: actions that share a need (directly or through each other) become one.

    The lead is the most specific action (any rule before a generic one, then the rules' order, then
    the earliest); it takes the earliest due date and most pressing priority of the group, keeps its
    own key and title, and lists what the others asked for among its facts and in its explanation.
    """
    rank = rank or {}
    parent = list(range(len(actions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for index, action in enumerate(actions):
        for need in action.needs:
            if need in first_with:
                parent[root(index)] = root(first_with[need])
            else:
                first_with[need] = index
    groups: dict[int, list[ProposedAction]] = {}
    for index, action in enumerate(actions):
        groups.setdefault(root(index), []).append(action)
    return [members[0] if len(members) == 1 else _merge(members, rank) for members in groups.values()]


def _merge(members: list[ProposedAction], rank: dict[str, int]) -> ProposedAction:
    def order(action: ProposedAction) -> tuple:
        generic = action.rule_key in GENERIC_RULES
        return (generic, rank.get(action.rule_key, 0), action.due_date, action.priority, action.key)

    lead, *others = sorted(members, key=order)
    facts = list(lead.facts)
    also = []
    for other in others:
        also.append(other.title)
        facts.append(Fact("Also meets", other.title, _source_of(other)))
        facts += [fact for fact in other.facts if fact not in facts]
    cost, basis = lead.estimated_cost, lead.cost_basis
    if cost is None:
        priced = [(o.estimated_cost, o.cost_basis) for o in others if o.estimated_cost is not None]
        cost, basis = priced[0] if priced else (None, "")
    needs = tuple(dict.fromkeys(need for action in members for need in action.needs))
    return dataclasses.replace(
        lead,
        due_date=min(action.due_date for action in members),
        priority=min(action.priority for action in members),
        facts=tuple(facts),
        why=lead.why + " This one action also meets: " + "; ".join(f"“{title}”" for title in also) + ".",
        estimated_cost=cost,
        cost_basis=basis,
        is_find_out=lead.is_find_out and all(action.is_find_out for action in others),
        needs=needs,
    )


def _source_of(action: ProposedAction) -> str:
    return "Standards self-assessment" if action.rule_key in GENERIC_RULES else "Plan rule: " + action.rule_key


def sort_key(action: ProposedAction) -> tuple:
    return (action.due_date, action.priority, action.group_key, action.step, action.key)


def suggest_routes(category: str, routes: Iterable[Route], limit: int = 3) -> list[str]:
    """Routes for this category: DfE-approved frameworks first, then in the data file's order; at most `limit`."""
    matching = [route for route in routes if category in route.categories]
    matching.sort(key=lambda route: (not route.dfe_approved, route.position, route.name))
    return [route.key for route in matching[:limit]]


def routes_open_on(routes: Iterable[Route], day: datetime.date) -> list[Route]:
    """Routes still open for new purchases on `day` (an ended framework is no longer suggested)."""
    return [route for route in routes if route.end_date is None or route.end_date >= day]


def routes_ending_before(route_keys: list[str], routes: dict[str, Route], day: datetime.date) -> list[Route]:
    return [routes[key] for key in route_keys if key in routes and routes[key].end_date and routes[key].end_date < day]


# --- What the school recorded that this plan does not use -------------------------------------------

CONTRACT_PREFIXES = ("contract-notice", "contract-end-unknown", "contract-notice-unknown")
SERVICE_NAME_KEYS = ("cloud-mfa", "cloud-data-location", "software-renewal-unknown")
BACKUP_KEYS = {"broadband-backup", "broadband-failover"}  # actions naming every connection
SPEED_KEYS = {"broadband-speed", "broadband-speed-unknown"}  # actions on the main connection
INFORMATION_ASSETS = "Information asset register"


def not_used(inputs: PlanInputs, actions: list[ProposedAction]) -> list[Fact]:
    """Every register fact that drives no action in this plan, with why (label: the item; value: why).

    With the actions, this accounts for everything the school recorded: each contract, connection,
    group of equipment, server and service either drives an action or is listed here, and so is the
    information asset register, which the plan never uses.
    """
    keys = {action.key for action in actions}
    ends = govuk_date(inputs.horizon_end)
    unused: list[Fact] = []
    planned_contracts = set()
    for contract in inputs.contracts:
        if any(f"{prefix}:{contract.pk}" in keys for prefix in CONTRACT_PREFIXES):
            planned_contracts.add(contract.pk)
        elif contract.end_date is not None and contract.end_date < inputs.today and not contract.auto_renews:
            unused.append(
                Fact(contract.name, f"Ended on {govuk_date(contract.end_date)}: nothing to decide", CONTRACTS)
            )
        else:
            unused.append(Fact(contract.name, f"Its next decision falls after the plan ends, on {ends}", CONTRACTS))
    for group in inputs.kit:
        warranty = group.warranty_end
        warranty_planned = (
            group.category not in USER_DEVICES
            and warranty is not None
            and inputs.today <= warranty <= inputs.horizon_end
        )
        if group.support_end is not None and group.support_end > inputs.horizon_end and not warranty_planned:
            unused.append(
                Fact(
                    f"{group.quantity} {plural(group.category_label, group.quantity)} ({group.description})",
                    f"Supported until {govuk_date(group.support_end)}, after the plan ends on {ends}",
                    ASSETS,
                )
            )
    for server in inputs.servers:
        if server.could_move_to_cloud is False and server.support_end and server.support_end > inputs.horizon_end:
            unused.append(
                Fact(server.label, f"Stays on site, supported until {govuk_date(server.support_end)}", ASSETS)
            )
    named = " ".join(f.value for a in actions if a.key in SERVICE_NAME_KEYS for f in a.facts)
    for service in inputs.services:
        if service.contract_id in planned_contracts or service.name in named:
            continue
        if any(k.startswith((f"software-renewal:{service.pk}:", f"licences-short:{service.pk}")) for k in keys):
            continue
        if service.renewal_date is None:
            continue  # asked for in "find out when … renew" (named above) unless its contract plans it
        unused.append(Fact(service.name, f"Renews after the plan ends, on {ends}, and needs nothing before", SERVICES))
    unused += _connections_not_used(inputs, keys)
    if inputs.information_assets:
        unused.append(
            Fact(
                f"{inputs.information_assets} {plural('information asset', inputs.information_assets)}",
                "Where personal data is kept, for your data protection records: nothing in it is bought or renewed",
                INFORMATION_ASSETS,
            )
        )
    return unused


def _connections_not_used(inputs: PlanInputs, keys: set[str]) -> list[Fact]:
    if keys & BACKUP_KEYS:
        return []  # every connection is a fact of the backup action
    unused = []
    for connection in inputs.connections:
        label = f"{connection.provider} {connection.technology_label}"
        if not connection.is_main:
            why = "A backup of a different type that takes over automatically: nothing to do"
        elif keys & SPEED_KEYS:
            continue
        elif inputs.phase_group not in SPEED_MBPS:
            why = "Its speed is not judged: the school's phase is not known"
        else:
            why = "Meets the broadband speed for your phase, with a backup of a different type: nothing to do"
        unused.append(Fact(label, why, CONNECTIONS))
    return unused
