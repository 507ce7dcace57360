"""The department's principles and standards as versioned data, and each service assessed against them."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.legacy import principles, selectors, services
from schooltech.legacy.models import PrincipleAssessment, PrinciplesVersion
from tests.factories import LegacyServiceFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    call_command("load_legacy_principles")
    return selectors.current_principles_version()


def test_the_shipped_file_loads_once_and_a_new_label_makes_a_new_version_keeping_assessments(loaded):
    assert loaded.label == "2026.1" and len(selectors.current_principles()) == 12
    call_command("load_legacy_principles")
    assert PrinciplesVersion.objects.count() == 1
    service = LegacyServiceFactory()
    old = selectors.principle_named("cloud-first")
    services.principle_assess(actor=None, service=service, principle=old, outcome="meets", evidence="AWS")
    data = principles.read()
    services.principles_load(label="2027.1", published_on=datetime.date(2027, 1, 1), principles=data["principles"][:3])
    assert selectors.current_principles_version().label == "2027.1"
    assert len(selectors.current_principles()) == 3
    assert selectors.principle_assessments_of(service) == {}  # not yet assessed against the new version
    assert PrincipleAssessment.objects.get().principle.version == loaded  # the old assessment is kept


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("label: x\n", "needs a label"),
        ("label: x\npublished: soon\nprinciples:\n  - key: a\n", "published date"),
        (
            "label: x\npublished: 2026-01-01\nprinciples:\n"
            "  - key: a\n    kind: rule\n    title: T\n    description: D\n",
            "principle or a standard",
        ),
        ("label: x\npublished: 2026-01-01\nprinciples:\n  - key: a\n    kind: standard\n", "has no title, description"),
    ],
)
def test_a_broken_principles_file_is_refused_with_where(tmp_path: Path, text, message):
    path = tmp_path / "principles.yaml"
    path.write_text(text)
    with pytest.raises(principles.PrinciplesError, match=message):
        principles.read(path)


def test_an_architect_assesses_a_service_against_a_principle_and_the_history_is_kept(client, loaded):
    service = LegacyServiceFactory()
    architect = make_member(Role.ARCHITECT)
    client.force_login(architect)
    url = reverse("legacy:principle_assess", kwargs={"service_id": service.pk, "key": "cloud-first"})
    assert "Use cloud first" in client.get(url).content.decode()
    for outcome, evidence in (("does_not", "In our data centre"), ("meets", "Moved to AWS")):
        first = client.post(url, {"outcome": outcome, "evidence": evidence})
        assert first.url == f"{url}/check"
        assert client.post(first.url).status_code == 302
    row = PrincipleAssessment.objects.get()
    assert row.outcome == "meets" and row.assessed_by == architect
    assert [h.evidence for h in row.history.order_by("history_date")] == ["In our data centre", "Moved to AWS"]
    page = client.get(reverse("legacy:service", kwargs={"service_id": service.pk})).content.decode()
    assert "Moved to AWS" in page and "Meets it" in page
    summary = client.get(reverse("legacy:principles")).content.decode()
    assert "Use cloud first" in summary and "2026.1" in summary


def test_hostile_or_missing_answers_are_refused_and_unknown_principles_not_found(client, loaded):
    service = LegacyServiceFactory()
    client.force_login(make_member(Role.RISK_REVIEWER))
    url = reverse("legacy:principle_assess", kwargs={"service_id": service.pk, "key": "cloud-first"})
    for data in (
        {},
        {"outcome": "maybe", "evidence": "x"},
        {"outcome": "meets", "evidence": "x" * 2001},
        {"outcome": "\x00", "evidence": "\x00"},
    ):
        response = client.post(url, data)
        assert response.status_code == 400 and "There is a problem" in response.content.decode()
    missing = reverse("legacy:principle_assess", kwargs={"service_id": service.pk, "key": "no-such-thing"})
    assert client.get(missing).status_code == 404
    assert not PrincipleAssessment.objects.exists()


def test_a_service_owner_may_read_but_not_assess(client, loaded):
    service = LegacyServiceFactory()
    client.force_login(make_member(Role.SERVICE_OWNER))
    assert client.get(reverse("legacy:principles")).status_code == 200
    url = reverse("legacy:principle_assess", kwargs={"service_id": service.pk, "key": "cloud-first"})
    assert client.get(url).status_code == 403
