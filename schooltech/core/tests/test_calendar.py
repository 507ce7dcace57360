import datetime
import itertools

import pytest

from schooltech.core import calendar
from schooltech.core.calendar import FinancialYearBasis, TermName
from schooltech.organisations.models import Establishment

D = datetime.date


@pytest.mark.parametrize(
    ("day", "term", "academic_year"),
    [
        (D(2026, 8, 31), TermName.SUMMER, 2025),
        (D(2026, 9, 1), TermName.AUTUMN, 2026),
        (D(2026, 12, 31), TermName.AUTUMN, 2026),
        (D(2027, 1, 1), TermName.SPRING, 2026),
        (D(2027, 3, 31), TermName.SPRING, 2026),
        (D(2027, 4, 1), TermName.SUMMER, 2026),
        (D(2028, 2, 29), TermName.SPRING, 2027),
    ],
)
def test_every_day_belongs_to_one_term_and_academic_year(day, term, academic_year):
    found = calendar.term_of(day)
    assert found.name == term
    assert found.academic_year == academic_year
    assert found.start <= day <= found.end


def test_term_boundaries_and_labels():
    autumn = calendar.term_of(D(2026, 10, 14))
    assert (autumn.start, autumn.end) == (D(2026, 9, 1), D(2026, 12, 31))
    assert autumn.label == "Autumn term 2026"
    assert autumn.code == "2026-autumn"
    assert autumn.academic_year_label == "2026 to 2027"
    spring = autumn.next()
    assert (spring.start, spring.end, spring.label) == (D(2027, 1, 1), D(2027, 3, 31), "Spring term 2027")
    assert spring.code == "2026-spring"
    summer = spring.next()
    assert (summer.start, summer.end) == (D(2027, 4, 1), D(2027, 8, 31))
    assert summer.next().code == "2027-autumn"
    assert summer.previous() == spring


def test_spring_term_ends_on_29_february_boundary_correctly_in_a_leap_year():
    assert calendar.term_of(D(2028, 2, 29)).end == D(2028, 3, 31)


def test_terms_between_covers_the_range_without_gaps():
    terms = calendar.terms_between(D(2026, 12, 31), D(2027, 4, 1))
    assert [t.code for t in terms] == ["2026-autumn", "2026-spring", "2026-summer"]
    assert calendar.terms_between(D(2027, 1, 2), D(2027, 1, 1)) == []
    three_years = calendar.terms_between(D(2026, 9, 1), D(2029, 8, 31))
    assert len(three_years) == 9
    assert all(a.end + datetime.timedelta(days=1) == b.start for a, b in itertools.pairwise(three_years))


@pytest.mark.parametrize(
    ("day", "basis", "start", "end", "label"),
    [
        (D(2027, 3, 31), FinancialYearBasis.APRIL, D(2026, 4, 1), D(2027, 3, 31), "2026 to 2027"),
        (D(2027, 4, 1), FinancialYearBasis.APRIL, D(2027, 4, 1), D(2028, 3, 31), "2027 to 2028"),
        (D(2027, 8, 31), FinancialYearBasis.SEPTEMBER, D(2026, 9, 1), D(2027, 8, 31), "2026 to 2027"),
        (D(2027, 9, 1), FinancialYearBasis.SEPTEMBER, D(2027, 9, 1), D(2028, 8, 31), "2027 to 2028"),
        (D(2028, 2, 29), FinancialYearBasis.APRIL, D(2027, 4, 1), D(2028, 3, 31), "2027 to 2028"),
        (D(2028, 2, 29), FinancialYearBasis.SEPTEMBER, D(2027, 9, 1), D(2028, 8, 31), "2027 to 2028"),
    ],
)
def test_financial_year_edges(day, basis, start, end, label):
    year = calendar.financial_year_of(day, basis)
    assert (year.start, year.end, year.label) == (start, end, label)


def test_financial_year_long_label_and_sequence():
    year = calendar.financial_year_of(D(2026, 6, 1), "april")
    assert year.long_label == "April 2026 to March 2027"
    years = calendar.financial_years_between(D(2026, 6, 1), D(2029, 4, 1), "april")
    assert [y.label for y in years] == ["2026 to 2027", "2027 to 2028", "2028 to 2029", "2029 to 2030"]


def _school(type_group_code: str) -> Establishment:
    return Establishment(type_group_code=type_group_code)


@pytest.mark.parametrize(
    ("type_group", "basis"),
    [("4", "april"), ("10", "september"), ("11", "september"), ("5", "april"), ("", "april")],
)
def test_financial_year_basis_comes_from_the_type_group(type_group, basis):
    assert calendar.basis_for(_school(type_group)) == FinancialYearBasis(basis)


def test_an_organisation_can_override_its_financial_year_basis():
    assert calendar.basis_for(_school("10"), override="april") == FinancialYearBasis.APRIL
    assert calendar.basis_for(_school("4"), override="september") == FinancialYearBasis.SEPTEMBER


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2027, 1, 31), 1, D(2027, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2027, 3, 31), -1, D(2027, 2, 28)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 9, 1), 14, D(2027, 11, 1)),
    ],
)
def test_add_months_clips_to_the_last_day_of_the_month(day, months, expected):
    assert calendar.add_months(day, months) == expected
