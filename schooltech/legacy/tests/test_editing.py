"""Editing the register on the pages: each form, then check your answers, then saved with its history;
who may use which form; and hostile input to every form answers with errors, never a 500."""

import datetime

import pytest
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.legacy import selectors
from schooltech.legacy.models import (
    CriterionScore,
    Decision,
    LegacyService,
    Milestone,
    Software,
    SupplierContract,
    Vulnerability,
)
from tests.factories import (
    LegacyContractFactory,
    LegacyServiceFactory,
    LegacySoftwareFactory,
    make_member,
)

pytestmark = pytest.mark.django_db


def _submit(client, url, data):
    """Post the form, then confirm on the check answers page; returns the confirmation's response."""
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert first.url == f"{url}/check"
    check = client.get(first.url)
    assert check.status_code == 200 and "Check your answers" in check.content.decode()
    return client.post(first.url)


SERVICE = {
    "name": "Teacher vacancies feed",
    "purpose": "Publishes vacancies to job boards",
    "directorate": "schools",
    "owner": "Head of teacher services",
    "users": "Job boards, 20,000 schools",
    "transactions_per_year": "1200000",
    "supports": "Recruitment",
    "value": "3",
    "annual_cost": "85000.50",
    "hosting": "Public cloud",
}


def _date(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def test_a_service_owner_adds_a_service_after_checking_the_answers(client):
    owner = make_member(Role.SERVICE_OWNER)
    other = LegacyServiceFactory(name="Payments hub")
    client.force_login(owner)
    url = reverse("legacy:service_new")
    first = client.post(url, {**SERVICE, "integrations": [str(other.pk)]})
    assert not LegacyService.objects.filter(name=SERVICE["name"]).exists()  # not before the check
    check = client.get(first.url).content.decode()
    assert "Teacher vacancies feed" in check and "£85,000.50" in check and "1,200,000" in check
    assert "Payments hub" in check and f'href="{url}#id_name"' in check
    done = client.post(first.url)
    service = LegacyService.objects.get(name=SERVICE["name"])
    assert done.url == reverse("legacy:service", kwargs={"service_id": service.pk})
    assert list(service.integrations.all()) == [other]
    history = service.history.get()
    assert history.history_user == owner and history.history_change_reason == "Service added"
    assert client.get(first.url).status_code == 302  # the draft is gone: back to the form


def test_changing_a_service_shows_its_current_details_and_keeps_the_history(client):
    service = LegacyServiceFactory(name="Old name", annual_cost=1000)
    client.force_login(make_member(Role.ARCHITECT))
    url = reverse("legacy:service_edit", kwargs={"service_id": service.pk})
    form = client.get(url).content.decode()
    assert 'value="Old name"' in form
    assert _submit(client, url, {**SERVICE, "name": "New name"}).status_code == 302
    service.refresh_from_db()
    assert service.name == "New name" and service.value == 3
    assert [h.history_change_reason for h in service.history.order_by("history_date")][-1] == "Service changed"
    page = client.get(reverse("legacy:service", kwargs={"service_id": service.pk})).content.decode()
    changes = page[page.index(">Changes<") :]
    assert "Service details: New name" in changes and "Service changed" in changes


def test_a_service_name_must_be_unique(client):
    LegacyServiceFactory(name="Teacher vacancies feed")
    client.force_login(make_member(Role.SERVICE_OWNER))
    response = client.post(reverse("legacy:service_new"), SERVICE)
    assert response.status_code == 400
    assert "Another service in the register already has this name" in response.content.decode()


def test_software_past_support_and_an_open_vulnerability_change_the_derived_criteria(client):
    service = LegacyServiceFactory()
    client.force_login(make_member(Role.ARCHITECT))
    base = {"service_id": service.pk}
    past = datetime.date(2021, 1, 31)
    _submit(
        client,
        reverse("legacy:software_new", kwargs=base),
        {"name": "Java", "version": "6", **_date("support_ends", past)},
    )
    software = Software.objects.get()
    assert software.support_ends == past
    _submit(
        client,
        reverse("legacy:vulnerability_new", kwargs={**base, "software_id": software.pk}),
        {"reference": "CVE-2021-44228", "severity": "critical"},
    )
    risk = selectors.risk_of(selectors.service_detail(service.pk), today=datetime.date(2026, 12, 1))
    scores = {result.criterion: result.score for result in risk.criteria}
    assert scores["L1"] == 6 and scores["L6"] == 6
    vulnerability = Vulnerability.objects.get()
    url = reverse(
        "legacy:vulnerability_edit", kwargs={**base, "software_id": software.pk, "vulnerability_id": vulnerability.pk}
    )
    _submit(
        client,
        url,
        {"reference": "CVE-2021-44228", "severity": "critical", **_date("fixed_on", datetime.date(2026, 1, 5))},
    )
    vulnerability.refresh_from_db()
    assert vulnerability.fixed_on == datetime.date(2026, 1, 5)
    assert vulnerability.history.latest().history_change_reason == "Vulnerability fixed"
    edit = reverse("legacy:software_edit", kwargs={**base, "software_id": software.pk})
    _submit(client, edit, {"name": "Java", "version": "21", **_date("support_ends", datetime.date(2031, 9, 30))})
    software.refresh_from_db()
    assert software.version == "21"


def test_a_contract_notice_date_after_its_end_is_refused_and_a_good_one_saved(client):
    service = LegacyServiceFactory()
    client.force_login(make_member(Role.SERVICE_OWNER))
    url = reverse("legacy:contract_new", kwargs={"service_id": service.pk})
    data = {"supplier": "Hosting Ltd", **_date("ends_on", datetime.date(2027, 3, 31))}
    bad = client.post(url, {**data, **_date("notice_by", datetime.date(2027, 4, 1))})
    assert bad.status_code == 400 and "on or before the date the contract ends" in bad.content.decode()
    _submit(client, url, {**data, **_date("notice_by", datetime.date(2026, 12, 31))})
    contract = SupplierContract.objects.get()
    assert contract.notice_by == datetime.date(2026, 12, 31)
    edit = reverse("legacy:contract_edit", kwargs={"service_id": service.pk, "contract_id": contract.pk})
    _submit(client, edit, {**data, "supplier": "Hosting Group", **_date("notice_by", datetime.date(2026, 12, 31))})
    contract.refresh_from_db()
    assert contract.supplier == "Hosting Group"


def test_a_component_of_another_service_is_not_found(client):
    mine, theirs = LegacyServiceFactory(), LegacyServiceFactory()
    software = LegacySoftwareFactory(service=theirs)
    contract = LegacyContractFactory(service=theirs)
    client.force_login(make_member(Role.ARCHITECT))
    assert (
        client.get(
            reverse("legacy:software_edit", kwargs={"service_id": mine.pk, "software_id": software.pk})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("legacy:contract_edit", kwargs={"service_id": mine.pk, "contract_id": contract.pk})
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("role", "name", "allowed"),
    [
        (Role.RISK_REVIEWER, "service_new", False),
        (Role.SERVICE_OWNER, "service_new", True),
        (Role.ARCHITECT, "service_new", True),
        (Role.SERVICE_OWNER, "score", False),
        (Role.ARCHITECT, "decision_new", False),
    ],
)
def test_each_department_role_reaches_only_its_forms(client, role, name, allowed):
    service = LegacyServiceFactory()
    client.force_login(make_member(role))
    url = reverse(f"legacy:{name}", kwargs={} if name == "service_new" else {"service_id": service.pk})
    assert (client.get(url).status_code == 200) is allowed
    assert (client.get(f"{url}/check").status_code in (200, 302)) is allowed


def test_the_check_page_without_answers_goes_back_to_the_form(client):
    service = LegacyServiceFactory()
    client.force_login(make_member(Role.RISK_REVIEWER))
    url = reverse("legacy:score", kwargs={"service_id": service.pk})
    response = client.post(f"{url}/check")
    assert response.status_code == 302 and response.url == url
    assert not CriterionScore.objects.exists()


# --- Hostile input: every form answers 400 with its errors, never 500, and saves nothing ------------

HOSTILE = [
    "",
    " ",
    "x" * 5000,
    "NaN",
    "Infinity",
    "-1",
    "1e400",
    "9" * 40,
    "\x00",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil")',
    "‮",
    "'; DROP TABLE legacy_legacyservice; --",
]


def _forms(service, software, vulnerability, contract, decision, milestone):
    s = {"service_id": service.pk}
    return {
        "service_new": (reverse("legacy:service_new"), Role.SERVICE_OWNER),
        "service_edit": (reverse("legacy:service_edit", kwargs=s), Role.SERVICE_OWNER),
        "software_new": (reverse("legacy:software_new", kwargs=s), Role.ARCHITECT),
        "software_edit": (reverse("legacy:software_edit", kwargs={**s, "software_id": software.pk}), Role.ARCHITECT),
        "vulnerability_new": (
            reverse("legacy:vulnerability_new", kwargs={**s, "software_id": software.pk}),
            Role.ARCHITECT,
        ),
        "vulnerability_edit": (
            reverse(
                "legacy:vulnerability_edit",
                kwargs={**s, "software_id": software.pk, "vulnerability_id": vulnerability.pk},
            ),
            Role.ARCHITECT,
        ),
        "contract_new": (reverse("legacy:contract_new", kwargs=s), Role.ARCHITECT),
        "contract_edit": (reverse("legacy:contract_edit", kwargs={**s, "contract_id": contract.pk}), Role.ARCHITECT),
        "score": (reverse("legacy:score", kwargs=s), Role.RISK_REVIEWER),
        "decision_new": (reverse("legacy:decision_new", kwargs=s), Role.RISK_REVIEWER),
        "milestone_new": (reverse("legacy:milestone_new", kwargs=s), Role.RISK_REVIEWER),
        "decision_edit": (
            reverse("legacy:decision_edit", kwargs={**s, "decision_id": decision.pk}),
            Role.SERVICE_OWNER,
        ),
        "milestone_edit": (
            reverse("legacy:milestone_edit", kwargs={**s, "milestone_id": milestone.pk}),
            Role.RISK_REVIEWER,
        ),
    }


FIELDS = [
    "name", "purpose", "directorate", "owner", "users", "transactions_per_year", "supports", "value",
    "annual_cost", "hosting", "integrations", "version", "reference", "severity", "supplier", "description",
    "criterion", "score", "reason", "kind", "rationale", "approved_by", "title",
]  # fmt: skip
DATES = ["support_ends", "fixed_on", "ends_on", "notice_by", "decided_on", "due_on"]


@pytest.mark.parametrize("typed", HOSTILE)
def test_hostile_values_in_every_form_are_refused_without_a_server_error(client, typed):
    service = LegacyServiceFactory(name="Existing")
    software = LegacySoftwareFactory(service=service)
    vulnerability = Vulnerability.objects.create(software=software, reference="CVE-1", severity="low")
    contract = LegacyContractFactory(service=service)
    decision = Decision.objects.create(
        service=service, kind="retire", rationale="Old", approved_by="Director", decided_on=datetime.date(2026, 1, 1)
    )
    milestone = Milestone.objects.create(service=service, title="Move", owner="Ann", due_on=datetime.date(2027, 1, 1))
    rows = [list(model.history.values_list()) for model in (Decision, Milestone)]
    counts = [
        model.objects.count()
        for model in (LegacyService, Software, Vulnerability, SupplierContract, CriterionScore, Decision, Milestone)
    ]
    data = dict.fromkeys(FIELDS, typed)
    for prefix in DATES:
        data.update({f"{prefix}-day": typed, f"{prefix}-month": typed, f"{prefix}-year": typed})
    for name, (url, role) in _forms(service, software, vulnerability, contract, decision, milestone).items():
        client.force_login(make_member(role))
        response = client.post(url, data)
        assert response.status_code == 400, (name, typed, response.status_code)
        assert "There is a problem" in response.content.decode()
        assert client.get(f"{url}/check").status_code == 302  # nothing kept to confirm
    after = [
        model.objects.count()
        for model in (LegacyService, Software, Vulnerability, SupplierContract, CriterionScore, Decision, Milestone)
    ]
    assert after == counts
    assert [list(model.history.values_list()) for model in (Decision, Milestone)] == rows  # nothing changed


@pytest.mark.parametrize("year", ["0001", "1969", "2100", "99999"])
def test_dates_outside_1970_to_2099_are_refused(client, year):
    service = LegacyServiceFactory()
    client.force_login(make_member(Role.RISK_REVIEWER))
    url = reverse("legacy:milestone_new", kwargs={"service_id": service.pk})
    response = client.post(
        url, {"title": "Move", "owner": "Ann", "due_on-day": "1", "due_on-month": "1", "due_on-year": year}
    )
    assert response.status_code == 400
    assert not Milestone.objects.exists()


def test_a_draft_changed_behind_the_form_is_checked_again_before_saving(client):
    service = LegacyServiceFactory()
    client.force_login(make_member(Role.RISK_REVIEWER))
    url = reverse("legacy:score", kwargs={"service_id": service.pk})
    client.post(url, {"criterion": "L3", "score": "2", "reason": "Few people know it"})
    session = client.session
    session[f"legacy_draft:{url}"] = {"criterion": ["L1"], "score": ["9"], "reason": ["x"]}
    session.save()
    assert client.post(f"{url}/check").url == url
    assert not CriterionScore.objects.exists()
