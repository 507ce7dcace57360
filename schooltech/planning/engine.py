"""The plan engine: run every rule over the inputs, keep what falls in the horizon, sort.

Deterministic: the same inputs give the same actions in the same order. Buying routes are
suggested by category, DfE-approved frameworks first.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from schooltech.planning.inputs import PlanInputs, Route
from schooltech.planning.proposals import Fact, ProposedAction
from schooltech.planning.rules import RULES

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
