"""Server-rendered SVG bar charts (no script, no inline styles): the numbers always sit in a table
beside the chart, so the chart is a picture of the table."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 28
GAP = 12
LABEL_WIDTH = 260
BAR_AREA = 320
VALUE_WIDTH = 110


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    y: float
    width: float


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def value_x(self) -> int:
        return self.label_width + 8


def _display(value: float, money: bool) -> str:
    if money:
        return f"£{value:,.0f}"
    return f"{value:,.0f}"


def bar_chart(data: list[tuple[str, float]], *, title: str, money: bool = False) -> Chart:
    largest = max((value for _, value in data), default=0) or 1
    bars = [
        Bar(
            label=label,
            value=value,
            display=_display(value, money),
            y=index * (BAR_HEIGHT + GAP),
            width=round(BAR_AREA * value / largest, 1),
        )
        for index, (label, value) in enumerate(data)
    ]
    height = max(len(bars) * (BAR_HEIGHT + GAP) - GAP, BAR_HEIGHT)
    return Chart(title=title, bars=bars, width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH, height=height)
