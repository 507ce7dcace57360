"""Bounds for what people type, upload or send: one place, used by forms, imports and the API.

Model fields carry these validators, so a ModelForm, the register import (which runs each
field's validators on its cells) and the API schemas refuse the same values with the same words.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

EARLIEST_DATE = datetime.date(1970, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


def sane_date(value: datetime.date) -> None:
    """A date a school's records could really hold: 1970 to 2099 (the future is fine)."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError("Enter a date between 1970 and 2099", code="date_out_of_range")


@deconstructible
class NumberRange:
    """A finite number from `low` to `high`, named in the error in the field's own unit."""

    def __init__(self, low: float, high: float, unit: str = ""):
        self.low, self.high, self.unit = low, high, unit

    def __call__(self, value) -> None:
        if value is None:
            return
        number = value if isinstance(value, Decimal) else float(value)
        finite = number.is_finite() if isinstance(number, Decimal) else math.isfinite(number)
        if not finite:
            raise ValidationError("Enter a number", code="not_finite")
        if not self.low <= number <= self.high:
            raise ValidationError(
                f"Enter a number from {self._show(self.low)} to {self._show(self.high)}", code="out_of_range"
            )

    def _show(self, number: float) -> str:
        text = f"{number:,.0f}" if float(number).is_integer() else f"{number:,}"
        return f"{text} {self.unit}".strip() if self.unit != "£" else f"£{text}"

    def __eq__(self, other) -> bool:
        same = (self.low, self.high, self.unit) == (
            getattr(other, "low", None),
            getattr(other, "high", None),
            getattr(other, "unit", None),
        )
        return isinstance(other, NumberRange) and same


def safe_days_before(day: datetime.date | None, days: int | None) -> datetime.date | None:
    """`day` minus `days`, or None when either is unknown or the answer is not a real date.

    Stored data may predate today's bounds; a page or a nightly job must not fail on it.
    """
    if day is None or days is None:
        return None
    try:
        return day - datetime.timedelta(days=days)
    except (OverflowError, ValueError):
        return None
