"""Server-rendered bar charts (no script, no inline styles), drawn by core/macros/charts.html.

The labels and values are HTML text at body size (19 px, 16 px on small screens), so they stay
readable at 320 px and at 200 % zoom; each bar is a small SVG whose width is a percentage of the
largest. The numbers always sit in a table beside the chart, so the chart is a picture of the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

BAR_HEIGHT = 28
GAP = 12
VALUE_WIDTH = 110
CHART_WIDTH = 690  # label column + bars + value labels, whatever the label column's width


@dataclass(frozen=True)
class Bar:
    label: str
    display: str
    y: int
    width: float
    percent: float = 0.0  # of the largest value: the bar's width in the HTML chart


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int = BAR_HEIGHT


def money(value: Decimal | float) -> str:
    return f"£{value:,.0f}"


def bar_chart(
    data: list[tuple[str, Decimal | float]], *, title: str, money_values: bool = False, label_width: int = 260
) -> Chart:
    """One horizontal bar per (label, value), scaled to the largest value."""
    bar_area = CHART_WIDTH - label_width - VALUE_WIDTH
    largest = max((float(value) for _, value in data), default=0.0) or 1.0
    bars = [
        Bar(
            label=label,
            display=money(value) if money_values else f"{value:,.0f}",
            y=index * (BAR_HEIGHT + GAP),
            width=round(bar_area * float(value) / largest, 1),
            percent=round(100 * max(float(value), 0.0) / largest, 1),
        )
        for index, (label, value) in enumerate(data)
    ]
    height = max(len(bars) * (BAR_HEIGHT + GAP) - GAP, BAR_HEIGHT)
    return Chart(title=title, bars=bars, width=CHART_WIDTH, height=height, label_width=label_width)
