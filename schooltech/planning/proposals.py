"""What a plan rule produces: a proposed action with its explanation (the rule and the facts)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schooltech.planning.inputs import PlanInputs


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "value": self.value, "source": self.source}


@dataclass(frozen=True)
class ProposedAction:
    key: str  # stable: the same subject gives the same key on every run
    title: str
    why: str
    rule_key: str
    due_date: datetime.date
    priority: int
    category: str
    facts: tuple[Fact, ...] = ()
    estimated_cost: Decimal | None = None
    cost_basis: str = ""
    owner: str = ""
    is_find_out: bool = False
    group_key: str = ""
    step: int = 0
    event_date: datetime.date | None = None  # the contract end or support end behind it, if any
    # The needs this action meets, e.g. "requirement:broadband:speed": actions sharing a need are
    # one need said twice, and the engine merges them into one action (see engine.merge_needs).
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    key: str
    name: str
    explains: str  # what the rule does, in plain English, shown beside each action it produced
    produce: Callable[[PlanInputs], Iterable[ProposedAction]]
