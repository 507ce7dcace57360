"""Dates shown the GOV.UK way ("14 October 2025")."""

import datetime


def govuk_date(value: datetime.date | None, empty: str = "Not known") -> str:
    if value is None:
        return empty
    return f"{value.day} {value:%B %Y}"
