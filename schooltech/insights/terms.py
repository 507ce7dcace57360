"""School terms, the unit of history for the national figures: autumn (September to December), spring
(January to March) and summer (April to August). A term's key sorts in time order, e.g. 2026-3-autumn."""

import datetime
from dataclasses import dataclass

_TERMS = ((9, 3, "autumn"), (4, 2, "summer"), (1, 1, "spring"))  # (first month, order in the year, name)


@dataclass(frozen=True, order=True)
class Term:
    year: int
    order: int
    name: str

    @property
    def key(self) -> str:
        return f"{self.year}-{self.order}-{self.name}"

    @property
    def label(self) -> str:
        return f"{self.name.capitalize()} term {self.year}"


def term_of(day: datetime.date) -> Term:
    for first_month, order, name in _TERMS:
        if day.month >= first_month:
            return Term(day.year, order, name)
    raise AssertionError("unreachable: every month is in a term")


def term_from_key(key: str) -> Term | None:
    try:
        year, order, name = key.split("-")
        term = Term(int(year), int(order), name)
    except ValueError:
        return None
    return term if (term.order, term.name) in {(order, name) for _, order, name in _TERMS} else None
