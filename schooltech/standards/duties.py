"""When a recurring duty is next due, from when it was last done.

A termly duty done in one term is due again by the end of the next term; an annual duty a year
after it was done. The self-assessment's "when did you last…" questions and the plan's recurring
duties both use these, so they never disagree about what is overdue.
"""

from __future__ import annotations

import datetime

from schooltech.core import calendar
from schooltech.standards.models import Cadence, DutyRecord

IN_TIME, OVERDUE, NEVER = "in_time", "overdue", "never"
TERMLY, ANNUAL = Cadence.TERMLY, Cadence.ANNUAL
RECORDED_FROM_PLAN = DutyRecord.Source.PLAN  # a duty marked done in the plan
RECORDED_FROM_TRAINING = DutyRecord.Source.TRAINING  # the training records that cover a duty
DATE_ANSWERS = (IN_TIME, OVERDUE, NEVER)


def next_due(done_on: datetime.date, cadence: str) -> datetime.date:
    if cadence == Cadence.TERMLY:
        return calendar.term_of(done_on).next().end
    return calendar.add_years(done_on, 1)


def answer_for(done_on: datetime.date | None, cadence: str, today: datetime.date) -> str:
    """The band a date falls in: done in time, overdue, or never done (no date)."""
    if done_on is None:
        return NEVER
    return IN_TIME if next_due(done_on, cadence) >= today else OVERDUE
