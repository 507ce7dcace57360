"""The whole audit trail, a page at a time: GOV.UK pagination with a count, a wrong page number
gives the nearest page (as every paged list), and a page takes the same queries however long the
history is."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schooltech.accounts import audit
from schooltech.core.history import record_change
from schooltech.organisations.reference import OrganisationRef
from schooltech.standards import services as standards
from tests.answers import BEST, WORST
from tests.factories import AssetFactory, ContractFactory, UserFactory, make_invitation

pytestmark = pytest.mark.django_db

ASSETS = 62  # with the approver's membership, 63 changes: a page of 50 and a page of 13


def audit_url(organisation) -> str:
    return reverse("accounts:audit", kwargs={"organisation": OrganisationRef.for_organisation(organisation)})


def tags(body: str) -> list[str]:
    return re.findall(r"AUDIT-\d{3}", body)


@pytest.fixture
def long_trail(school, approver):
    """The approver's membership (the oldest change), then 62 assets added one after another."""
    for number in range(ASSETS):
        asset = AssetFactory.build(establishment=school, asset_tag=f"AUDIT-{number:03}")
        record_change(asset, user=approver, reason="Added to the assets register")
        asset.save()
    return school


def test_the_second_page_shows_the_older_changes_and_the_count(client, long_trail, approver):
    client.force_login(approver)
    first = client.get(audit_url(long_trail)).content.decode()
    assert "Showing 1 to 50 of 63 changes" in first
    assert tags(first) == [f"AUDIT-{number:03}" for number in range(ASSETS - 1, 11, -1)]  # newest first
    assert 'class="govuk-pagination' in first
    assert f'href="{audit_url(long_trail)}?page=2"' in first

    response = client.get(audit_url(long_trail), {"page": 2})
    second = response.content.decode()
    assert response.status_code == 200
    assert "Audit trail (page 2 of 2) – Hilltop Primary School" in second
    assert "Showing 51 to 63 of 63 changes" in second
    assert tags(second) == [f"AUDIT-{number:03}" for number in range(11, -1, -1)]
    assert f"Membership: {approver}: Approver at Hilltop Primary School" in second  # the oldest
    assert f'href="{audit_url(long_trail)}?page=1"' in second
    assert "The latest" not in second  # no longer capped at 100, nor said to be


def test_the_trail_is_no_longer_capped(approver, school):
    for number in range(120):
        AssetFactory(establishment=school, asset_tag=f"AUDIT-{number:03}")
    trail = audit.AuditTrail(organisation=school)
    assert trail.count() == 121
    oldest = trail[100:121]
    assert [entry.record.split("(")[-1] for entry in oldest[:-1]] == [f"AUDIT-{n:03})" for n in range(19, -1, -1)]
    assert oldest[-1].record.startswith("Membership:")
    assert len(audit.audit_entries(organisation=school, limit=500)) == 121


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("abc", "Showing 1 to 50"),
        ("", "Showing 1 to 50"),
        ("1.5", "Showing 1 to 50"),
        ("9" * 5000, "Showing 1 to 50"),  # too many digits for int(): not a number
        ("\x00", "Showing 1 to 50"),
        ("0", "Showing 51 to 63"),  # out of range: the nearest page, as the shared helper gives
        ("-1", "Showing 51 to 63"),
        (str(10**30), "Showing 51 to 63"),
        ("3", "Showing 51 to 63"),
    ],
)
def test_a_wrong_page_number_gives_the_nearest_page(client, long_trail, approver, number, shown):
    client.force_login(approver)
    response = client.get(audit_url(long_trail), {"page": number})
    assert response.status_code == 200
    assert f"{shown} of 63 changes" in response.content.decode()


def test_supports_whole_trail_is_paged_too(client, long_trail):
    client.force_login(UserFactory(is_staff=True))
    body = client.get(reverse("accounts:support_audit"), {"page": "2"}).content.decode()
    total = audit.AuditTrail().count()
    assert total > 50
    assert f"Showing 51 to {total} of {total} changes" in body
    assert client.get(reverse("accounts:support_audit"), {"page": "-1"}).status_code == 200


def test_a_page_takes_the_same_queries_however_long_the_history(
    client, school, approver, django_assert_max_num_queries
):
    """Every kind of record on a page is read in a few queries, whatever the number of its rows:
    its rows, the rows before them (what changed), what their names need, and the self-assessment's
    questions and answers in words; the count is one query, the page's keys one more."""
    standards.catalogue_load()
    contract = ContractFactory(establishment=school)
    assessment = standards.assessment_start(establishment=school, standard_key="cabling", user=approver)

    def changes(number: int) -> None:
        asset = AssetFactory(establishment=school, contract=contract, asset_tag=f"AUDIT-{number:03}")
        asset.model_name = f"Model {number}"
        record_change(asset, user=approver, reason="Changed in the assets register")
        asset.save()
        make_invitation(school, f"person{number}@hilltop.example", invited_by=approver)
        answers = BEST["cabling"] if number % 2 else WORST["cabling"]
        standards.assessment_answers_record(assessment=assessment, answers=answers, user=approver)

    changes(0)
    client.force_login(approver)
    url = audit_url(school)
    client.get(url)
    with CaptureQueriesContext(connection) as short:
        body = client.get(url).content.decode()
    assert "ThinkPad L13 → Model 0" in body and "Network cabling assessment" in body
    assert audit.AuditTrail(organisation=school).count() < 10

    for number in range(1, 40):
        changes(number)
    trail = audit.AuditTrail(organisation=school)
    assert trail.count() > 150  # four pages
    for page in ("1", "2", "4"):
        with django_assert_max_num_queries(len(short)):
            body = client.get(url, {"page": page}).content.decode()
        assert "of " + f"{trail.count()} changes" in body
