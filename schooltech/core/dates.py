"""Dates and times shown the GOV.UK way: "14 October 2025", "14 October 2025 at 3:05pm".

The one formatter for pages, emails, exports and the Jinja filters (`govuk_date`, `govuk_date_time`).
"""

import datetime

from django.utils import timezone


def govuk_date(value: datetime.date | None, empty: str = "Not known") -> str:
    if value is None:
        return empty
    return f"{value.day} {value:%B %Y}"


def govuk_month(value: datetime.date) -> str:
    return f"{value:%B %Y}"


def govuk_time(value: datetime.datetime | datetime.time) -> str:
    """3:05pm, 11am, midday, midnight, as the GOV.UK style guide writes times."""
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def govuk_date_time(value: datetime.datetime | None, empty: str = "Not known", joiner: str = " at ") -> str:
    """A moment in the service's local time zone: 14 October 2025 at 3:05pm."""
    if value is None:
        return empty
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{govuk_date(local.date())}{joiner}{govuk_time(local)}"
