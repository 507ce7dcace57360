"""The derived criteria, the score and the rating thresholds (scoring.py, docs/legacy.md)."""

import datetime

import pytest

from schooltech.legacy import scoring
from schooltech.legacy.models import Software, SupplierContract, Vulnerability

TODAY = datetime.date(2026, 12, 1)


def _software(support_ends):
    return Software(name="Platform", version="1", support_ends=support_ends)


@pytest.mark.parametrize(
    ("support_ends", "expected"),
    [
        ([datetime.date(2026, 11, 30)], 6),  # past support, even by a day
        ([datetime.date(2027, 6, 1)], 4),  # ends within a year
        ([None], 3),  # not known
        ([datetime.date(2028, 1, 1)], 1),
        ([], 1),
        ([datetime.date(2028, 1, 1), datetime.date(2020, 1, 1)], 6),  # the worst component counts
    ],
)
def test_l1_comes_from_the_software_support_end_dates(support_ends, expected):
    assert scoring.derive_l1([_software(d) for d in support_ends], today=TODAY).score == expected


@pytest.mark.parametrize(
    ("ends_on", "notice_by", "expected"),
    [
        (datetime.date(2026, 11, 1), None, 6),  # expired
        (datetime.date(2027, 3, 1), datetime.date(2026, 11, 1), 5),  # too late to give notice
        (datetime.date(2027, 3, 1), datetime.date(2027, 1, 1), 4),  # ends within a year
        (datetime.date(2028, 3, 1), datetime.date(2028, 1, 1), 1),
    ],
)
def test_l2_comes_from_the_supplier_contracts(ends_on, notice_by, expected):
    contract = SupplierContract(supplier="Supplier", ends_on=ends_on, notice_by=notice_by)
    assert scoring.derive_l2([contract], today=TODAY).score == expected


def test_l6_counts_only_unfixed_vulnerabilities_and_takes_the_worst():
    fixed_critical = Vulnerability(reference="CVE-1", severity="critical", fixed_on=TODAY)
    open_medium = Vulnerability(reference="CVE-2", severity="medium")
    open_high = Vulnerability(reference="CVE-3", severity="high")
    assert scoring.derive_l6([]).score == 1
    assert scoring.derive_l6([fixed_critical]).score == 1
    result = scoring.derive_l6([fixed_critical, open_medium, open_high])
    assert result.score == 5 and "CVE-3" in result.evidence and "CVE-1" not in result.evidence


@pytest.mark.parametrize(
    ("score", "rating"),
    [(None, "not scored"), (1, "green"), (7, "green"), (8, "amber"), (15, "amber"), (16, "red"), (30, "red")],
)
def test_rating_thresholds(score, rating):
    assert scoring.rating(score) == rating


def test_score_is_the_rounded_mean_likelihood_times_impact_and_needs_every_criterion():
    results = [
        scoring.CriterionResult(criterion=c, score=s, evidence="", derived=False)
        for c, s in zip(scoring.LIKELIHOOD, [6, 6, 3, 3, 2, 3, 1], strict=True)  # mean 24/7 = 3.43
    ]
    assert scoring.likelihood(results) == 3
    assert scoring.total(3, 5) == 15
    assert scoring.likelihood(results[:-1]) is None
