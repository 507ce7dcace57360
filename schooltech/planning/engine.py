"""The plan engine: run every rule over the inputs, keep what falls in the horizon, sort.

Deterministic: the same inputs give the same actions in the same order. Buying routes are
suggested by category, DfE-approved frameworks first.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from schooltech.planning.inputs import PlanInputs, Route
from schooltech.planning.proposals import ProposedAction
from schooltech.planning.rules import RULES


def build_plan(inputs: PlanInputs, *, rules: Iterable = RULES) -> list[ProposedAction]:
    found: dict[str, ProposedAction] = {}
    for rule in rules:
        for action in rule.produce(inputs):
            if action.due_date <= inputs.horizon_end:
                found.setdefault(action.key, action)
    return sorted(found.values(), key=sort_key)


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
