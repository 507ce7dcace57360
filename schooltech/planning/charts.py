"""The budget chart: a server-rendered SVG of the table beside it (no script, no inline styles)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

LABEL_WIDTH = 150
BAR_AREA = 360
VALUE_WIDTH = 110
BAR_HEIGHT = 28
GAP = 12


@dataclass(frozen=True)
class Bar:
    label: str
    display: str
    y: int
    width: float


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def money(value: Decimal) -> str:
    return f"£{value:,.0f}"


def bar_chart(data: list[tuple[str, Decimal]], *, title: str) -> Chart:
    largest = max((value for _, value in data), default=Decimal("0")) or Decimal("1")
    bars = [
        Bar(label, money(value), index * (BAR_HEIGHT + GAP), round(float(BAR_AREA * value / largest), 1))
        for index, (label, value) in enumerate(data)
    ]
    height = max(len(bars) * (BAR_HEIGHT + GAP) - GAP, BAR_HEIGHT)
    return Chart(title=title, bars=bars, width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH, height=height)
