"""Risk against value: a server-rendered SVG scatter (drawn by jinja2/legacy/_matrix.html) and its table.

Each scored service is a numbered point: across, its value to the department (low to critical);
up, its risk score out of 30, over the green, amber and red bands. The numbers match the table
beside the chart, which says the same in words. Risk outweighs value when the rating's level
(green 1, amber 2, red 3) is above the value's (low 1 to critical 4).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from schooltech.legacy import scoring
from schooltech.legacy.models import Value
from schooltech.legacy.selectors import ServiceRisk

WIDTH = 690
HEIGHT = 420
LEFT = 70
RIGHT = 20
TOP = 20
BOTTOM = 60
MAX_SCORE = 30
RADIUS = 13
SPREAD = 30  # points with the same value and score sit side by side
RISK_LEVEL = {scoring.Rating.GREEN: 1, scoring.Rating.AMBER: 2, scoring.Rating.RED: 3}


@dataclass(frozen=True)
class Point:
    number: int
    x: float
    y: float
    outweighs: bool


@dataclass(frozen=True)
class Band:
    name: str
    y: float
    height: float


@dataclass(frozen=True)
class Tick:
    text: str
    position: float


@dataclass(frozen=True)
class Row:
    number: int | None
    risk: ServiceRisk
    outweighs: bool


@dataclass(frozen=True)
class Matrix:
    title: str
    points: list[Point]
    bands: list[Band]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    rows: list[Row]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_width: int = WIDTH - LEFT - RIGHT
    plot_height: int = HEIGHT - TOP - BOTTOM


def risk_outweighs_value(risk: ServiceRisk) -> bool:
    level = RISK_LEVEL.get(risk.rating)
    return level is not None and level > risk.service.value


def _y(score: float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - score / MAX_SCORE), 1)


def _column_centre(value: int) -> float:
    column = (WIDTH - LEFT - RIGHT) / len(Value)
    return LEFT + column * (value - 0.5)


def build(risks: list[ServiceRisk]) -> Matrix:
    scored = sorted((r for r in risks if r.score is not None), key=lambda r: (-r.score, r.service.name))
    unscored = [r for r in risks if r.score is None]
    seen: Counter = Counter()
    points, rows = [], []
    for number, risk in enumerate(scored, start=1):
        place = (risk.service.value, risk.score)
        offset = _offset(seen[place])
        seen[place] += 1
        outweighs = risk_outweighs_value(risk)
        points.append(Point(number, round(_column_centre(risk.service.value) + offset, 1), _y(risk.score), outweighs))
        rows.append(Row(number, risk, outweighs))
    rows += [Row(None, risk, False) for risk in unscored]
    return Matrix(
        title="Risk score against value to the department, one numbered point per scored service",
        points=points,
        bands=_bands(),
        x_ticks=[Tick(value.label.split(":")[0], _column_centre(value.value)) for value in Value],
        y_ticks=[Tick(str(score), _y(score)) for score in (0, scoring.AMBER_FROM, scoring.RED_FROM, MAX_SCORE)],
        rows=rows,
    )


def _offset(index: int) -> float:
    """0, +30, -30, +60, -60, … so side-by-side points stay centred on their column."""
    step = (index + 1) // 2
    return SPREAD * step * (1 if index % 2 else -1)


def _bands() -> list[Band]:
    edges = [
        (scoring.Rating.RED, MAX_SCORE, scoring.RED_FROM),
        (scoring.Rating.AMBER, scoring.RED_FROM, scoring.AMBER_FROM),
        (scoring.Rating.GREEN, scoring.AMBER_FROM, 0),
    ]
    return [Band(name, _y(high), round(_y(low) - _y(high), 1)) for name, high, low in edges]
