"""The register's pages: who reaches them, what they show, and scoring through the form."""

import datetime
import re

import pytest
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.legacy import services
from schooltech.legacy.models import CriterionScore
from tests.factories import (
    LegacyContractFactory,
    LegacyServiceFactory,
    LegacySoftwareFactory,
    LocalAuthorityFactory,
    TrustFactory,
    UserFactory,
    make_member,
    make_membership,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    service = LegacyServiceFactory(name="Teacher pensions calculator", is_example=True)
    LegacySoftwareFactory(service=service, name="Old runtime", version="6", support_ends=datetime.date(2020, 1, 1))
    LegacyContractFactory(service=service, supplier="Hosting Ltd", ends_on=datetime.date(2021, 3, 31))
    return service


def _urls(service):
    return [
        reverse("legacy:register"),
        reverse("legacy:service", kwargs={"service_id": service.pk}),
        reverse("legacy:score", kwargs={"service_id": service.pk}),
    ]


def test_nobody_without_a_department_role_reaches_any_page(client, service, editor, school):
    trust_person, la_person = UserFactory(), UserFactory()
    make_membership(trust_person, TrustFactory(), Role.APPROVER)
    make_membership(la_person, LocalAuthorityFactory(), Role.APPROVER)
    department_viewer = make_member(Role.VIEWER)
    for person in (editor, trust_person, la_person, department_viewer):
        client.force_login(person)
        for url in _urls(service):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"criterion": "L3", "score": 2, "reason": "x"}).status_code == 403, url
    assert not CriterionScore.objects.exists()


def test_a_risk_reviewer_sees_the_register_with_its_derived_criteria(client, service):
    client.force_login(make_member(Role.RISK_REVIEWER))
    register = client.get(reverse("legacy:register")).content.decode()
    assert "Teacher pensions calculator" in register and "Example" in register
    page = client.get(reverse("legacy:service", kwargs={"service_id": service.pk})).content.decode()
    assert "Past support: Old runtime 6" in page
    assert "Expired: Hosting Ltd" in page
    assert "From the register" in page


def test_scoring_keeps_every_score_in_the_history(client, service):
    reviewer = make_member(Role.RISK_REVIEWER)
    client.force_login(reviewer)
    url = reverse("legacy:score", kwargs={"service_id": service.pk})
    for score in (2, 5):
        response = client.post(url, {"criterion": "L3", "score": score, "reason": f"Reason {score}"})
        assert response.status_code == 302 and response.url == f"{url}/check"
        assert not CriterionScore.objects.filter(score=score).exists()  # nothing saved before the check
        check = client.get(response.url).content.decode()
        assert "Check your answers" in check and f"Reason {score}" in check
        assert client.post(response.url).status_code == 302
    assert CriterionScore.objects.get().score == 5
    page = client.get(reverse("legacy:service", kwargs={"service_id": service.pk})).content.decode()
    assert "Reason 2" in page and "Reason 5" in page


@pytest.mark.parametrize(
    "data",
    [
        {"criterion": "L1", "score": 2, "reason": "derived criteria are not scored by hand"},
        {"criterion": "impact", "score": 6, "reason": "impact is out of 5"},
        {"criterion": "L3", "score": "", "reason": "no score"},
        {"criterion": "L3", "score": 3, "reason": ""},
    ],
)
def test_bad_scores_are_refused_with_an_error(client, service, data):
    client.force_login(make_member(Role.ARCHITECT))
    response = client.post(reverse("legacy:score", kwargs={"service_id": service.pk}), data)
    assert response.status_code == 400 and "govuk-error-summary" in response.content.decode()
    assert not CriterionScore.objects.exists()


def test_the_register_filters_by_directorate_and_rating(client, service):
    LegacyServiceFactory(name="Funding returns portal", directorate="funding")
    client.force_login(make_member(Role.SERVICE_OWNER))
    page = client.get(reverse("legacy:register"), {"directorate": "funding"}).content.decode()
    assert "Funding returns portal" in page and "Teacher pensions calculator" not in page
    page = client.get(reverse("legacy:register"), {"rating": "red", "directorate": "nonsense"}).content.decode()
    assert "No services match" in page


def _score_everything(service, likelihood: int, impact: int):
    reviewer = UserFactory()
    for criterion in ("L3", "L4", "L5", "L7"):
        services.criterion_score_set(actor=reviewer, service=service, criterion=criterion, score=likelihood, reason="r")
    services.criterion_score_set(actor=reviewer, service=service, criterion="impact", score=impact, reason="r")


def test_the_matrix_places_scored_services_and_says_where_risk_outweighs_value(client, service):
    # L1 6 and L2 6 from the register, L6 1, the rest 6: mean 37/7 rounds to 5; 5 × 4 = 20, red.
    _score_everything(service, likelihood=6, impact=4)
    service.value = 2
    service.save()
    LegacyServiceFactory(name="Never scored system")
    client.force_login(make_member(Role.ARCHITECT))
    page = client.get(reverse("legacy:matrix")).content.decode()
    assert "<svg" in page and "app-matrix__point--outweighs" in page
    assert "Never scored system" in page and "Not scored" in page
    row = page[page.index("Teacher pensions calculator") :]
    assert "20" in row[:600] and "Yes" in row[:800]
    assert "No scored services match" in client.get(reverse("legacy:matrix"), {"rating": "green"}).content.decode()


def _matrix_table(page: str) -> list[list[str]]:
    """The text of each cell of each row of the table under the chart."""
    table = page[page.index("The services in the chart") :]
    body = table[table.index("<tbody") : table.index("</tbody>")]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in body.split("</tr>")[:-1]
    ]


def _points(page: str) -> int:
    return len(re.findall(r'<circle class="app-matrix__point', page))


def test_the_matrix_filters_by_directorate(client, service):
    _score_everything(service, likelihood=6, impact=4)  # schools
    portal = LegacyServiceFactory(name="Funding returns portal", directorate="funding")
    _score_everything(portal, likelihood=5, impact=5)
    ledger = LegacyServiceFactory(name="Grants ledger", directorate="funding")
    _score_everything(ledger, likelihood=1, impact=1)
    LegacyServiceFactory(name="Funding rules spreadsheet", directorate="funding")  # not scored
    LegacyServiceFactory(name="Never scored schools system")
    client.force_login(make_member(Role.RISK_REVIEWER))
    everything = client.get(reverse("legacy:matrix")).content.decode()
    assert _points(everything) == 3 and len(_matrix_table(everything)) == 5
    page = client.get(reverse("legacy:matrix"), {"directorate": "funding"}).content.decode()
    assert '<option value="funding" selected>' in page
    assert _points(page) == 2  # one numbered point per scored funding service, none for the others
    assert re.findall(r'<text class="app-matrix__number"[^>]*>(\d+)</text>', page) == ["1", "2"]
    rows = _matrix_table(page)
    assert [(row[0], row[1]) for row in rows] == [
        ("1", "Funding returns portal"),
        ("2", "Grants ledger"),
        ("Not shown", "Funding rules spreadsheet"),
    ]
    assert "Teacher pensions calculator" not in page and "Never scored schools system" not in page
    schools = client.get(reverse("legacy:matrix"), {"directorate": "schools"}).content.decode()
    assert [row[1] for row in _matrix_table(schools)] == [
        "Teacher pensions calculator Example",
        "Never scored schools system",
    ]
    assert _points(schools) == 1 and "Funding" not in "".join(row[1] for row in _matrix_table(schools))


def test_a_service_owner_records_a_decision_and_a_milestone_and_marks_it_done(client, service):
    client.force_login(make_member(Role.SERVICE_OWNER))
    base = reverse("legacy:service", kwargs={"service_id": service.pk})
    decision = {
        "kind": "retire",
        "rationale": "Risk outweighs value",
        "approved_by": "Director of funding",
        "decided_on-day": "1",
        "decided_on-month": "11",
        "decided_on-year": "2026",
    }
    assert client.post(f"{base}/decisions/new", decision).status_code == 302
    assert client.post(f"{base}/decisions/new/check").status_code == 302
    bad = {"title": "Switch off", "owner": "Owner", "due_on-day": "31", "due_on-month": "2", "due_on-year": "2027"}
    response = client.post(f"{base}/milestones/new", bad)
    assert response.status_code == 400 and "must be a real date" in response.content.decode()
    milestone = {**bad, "due_on-day": "1", "due_on-month": "1", "due_on-year": "2020"}
    assert client.post(f"{base}/milestones/new", milestone).status_code == 302
    assert client.post(f"{base}/milestones/new/check").status_code == 302
    page = client.get(base).content.decode()
    assert "Retire" in page and "Director of funding" in page and "Overdue" in page
    assert "Switch off" in client.get(reverse("legacy:register")).content.decode()  # listed as overdue
    done = service.milestones.get()
    assert client.post(f"{base}/milestones/{done.pk}/done").status_code == 302
    done.refresh_from_db()
    assert done.done_on is not None
    assert "No milestones are overdue" in client.get(reverse("legacy:register")).content.decode()
