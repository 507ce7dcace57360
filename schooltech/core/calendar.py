"""School calendars: academic years, terms and financial years, with simple stated boundaries.

Terms here are planning buckets, not a school's real term dates (those vary by school and by the
date of Easter). The boundaries are fixed so that every date belongs to exactly one term:

- autumn term: 1 September to 31 December
- spring term: 1 January to 31 March
- summer term: 1 April to 31 August (summer holidays included, so nothing falls between terms)

An academic year runs 1 September to 31 August and is named by the year it starts in.

Financial years:
- local authority maintained schools: 1 April to 31 March (the government financial year);
- academies and free schools: 1 September to 31 August (the academy trust accounting year);
- everything else defaults to April to March. Any organisation can override its basis.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from schooltech.core.dates import govuk_month


class TermName(StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


# (term, first month, last month): months inside one academic year, in order.
_TERMS = ((TermName.AUTUMN, 9, 12), (TermName.SPRING, 1, 3), (TermName.SUMMER, 4, 8))


def _last_day_of_month(year: int, month: int) -> datetime.date:
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def academic_year_of(day: datetime.date) -> int:
    """The calendar year the academic year containing `day` starts in (September)."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(start_year: int) -> str:
    return f"{start_year} to {start_year + 1}"


@dataclass(frozen=True, order=True)
class Term:
    start: datetime.date
    end: datetime.date
    name: TermName
    academic_year: int

    @property
    def code(self) -> str:
        """A stable identifier, e.g. "2026-autumn"."""
        return f"{self.academic_year}-{self.name.value}"

    @property
    def label(self) -> str:
        """e.g. "Autumn term 2026" (named by the calendar year the term falls in)."""
        return f"{self.name.value.capitalize()} term {self.start.year}"

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)

    def next(self) -> Term:
        return term_of(self.end + datetime.timedelta(days=1))

    def previous(self) -> Term:
        return term_of(self.start - datetime.timedelta(days=1))


@lru_cache(maxsize=8192)
def term_of(day: datetime.date) -> Term:
    academic_year = academic_year_of(day)
    for name, first, last in _TERMS:
        if first <= day.month <= last:
            year = day.year
            return Term(
                start=datetime.date(year, first, 1),
                end=_last_day_of_month(year, last),
                name=name,
                academic_year=academic_year,
            )
    raise AssertionError(f"No term for month {day.month}")  # every month is covered above


def terms_between(start: datetime.date, end: datetime.date) -> list[Term]:
    """Every term that overlaps the dates from `start` to `end` inclusive, in order."""
    if end < start:
        return []
    terms = [term_of(start)]
    while terms[-1].end < end:
        terms.append(terms[-1].next())
    return terms


# --- Financial years ---------------------------------------------------------------------------


class FinancialYearBasis(StrEnum):
    APRIL = "april"  # 1 April to 31 March
    SEPTEMBER = "september"  # 1 September to 31 August

    @property
    def first_month(self) -> int:
        return 4 if self is FinancialYearBasis.APRIL else 9

    @property
    def description(self) -> str:
        return "April to March" if self is FinancialYearBasis.APRIL else "September to August"


FINANCIAL_YEAR_BASIS_CHOICES = [
    (FinancialYearBasis.APRIL.value, "April to March (local authority maintained schools)"),
    (FinancialYearBasis.SEPTEMBER.value, "September to August (academies)"),
]


@dataclass(frozen=True, order=True)
class FinancialYear:
    start: datetime.date
    end: datetime.date
    basis: FinancialYearBasis

    @property
    def start_year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        """e.g. "2026 to 2027" (the years it spans)."""
        return f"{self.start.year} to {self.end.year}"

    @property
    def long_label(self) -> str:
        return f"{govuk_month(self.start)} to {govuk_month(self.end)}"

    def next(self) -> FinancialYear:
        return financial_year_of(self.end + datetime.timedelta(days=1), self.basis)


def financial_year_of(day: datetime.date, basis: FinancialYearBasis | str) -> FinancialYear:
    basis = FinancialYearBasis(basis)
    first = basis.first_month
    start_year = day.year if day.month >= first else day.year - 1
    start = datetime.date(start_year, first, 1)
    end = datetime.date(start_year + 1, first, 1) - datetime.timedelta(days=1)
    return FinancialYear(start=start, end=end, basis=basis)


def financial_years_between(start: datetime.date, end: datetime.date, basis: FinancialYearBasis | str) -> list:
    if end < start:
        return []
    years = [financial_year_of(start, basis)]
    while years[-1].end < end:
        years.append(years[-1].next())
    return years


def default_basis(*, is_academy: bool) -> FinancialYearBasis:
    """Academies and free schools account September to August; everyone else April to March."""
    return FinancialYearBasis.SEPTEMBER if is_academy else FinancialYearBasis.APRIL


def basis_for(establishment, override: str = "") -> FinancialYearBasis:
    """The organisation's own choice if it made one, else the default for its kind (Establishment.is_academy)."""
    if override:
        return FinancialYearBasis(override)
    return default_basis(is_academy=establishment.is_academy)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), clipped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return min(
        day.replace(day=1, year=year, month=month) + datetime.timedelta(days=day.day - 1),
        _last_day_of_month(year, month),
    )


def add_years(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, 12 * years)
