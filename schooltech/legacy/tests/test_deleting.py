"""Deleting from the register (a service, its software, vulnerabilities and supplier contracts) and
changing or removing decisions and milestones: a confirmation page that deletes only when its form is
posted, with the history saying who did it; who may; and hostile ids and values answered with 404 or
the form's errors, never a 500 and never a change."""

import datetime

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.legacy import selectors, services
from schooltech.legacy.models import (
    CriterionScore,
    Decision,
    LegacyService,
    Milestone,
    Principle,
    PrincipleAssessment,
    PrinciplesVersion,
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

HUGE = 99999999999999999999


def _date(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _submit(client, url, data):
    """Post the form, then confirm on the check answers page; returns the confirmation's response."""
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert first.url == f"{url}/check"
    check = client.get(first.url)
    assert check.status_code == 200 and "Check your answers" in check.content.decode()
    return client.post(first.url)


@pytest.fixture
def world():
    """A service with one of everything, and another service that integrates with it."""
    service = LegacyServiceFactory(name="Teacher pensions calculator")
    software = LegacySoftwareFactory(service=service, name="Java", version="8")
    vulnerability = Vulnerability.objects.create(software=software, reference="CVE-2021-44228", severity="critical")
    contract = LegacyContractFactory(service=service, supplier="Hosting Ltd")
    decision = Decision.objects.create(
        service=service,
        kind=Decision.Kind.REPLACE,
        rationale="Out of support",
        approved_by="Deputy director",
        decided_on=datetime.date(2026, 3, 1),
    )
    milestone = Milestone.objects.create(
        service=service, title="Move to the cloud", owner="Ann Lee", due_on=datetime.date(2027, 6, 30)
    )
    CriterionScore.objects.create(service=service, criterion="L3", score=4, reason="Two people know it")
    other = LegacyServiceFactory(name="Payments hub")
    other.integrations.add(service)
    service.integrations.add(other)
    return {
        "service": service,
        "software": software,
        "vulnerability": vulnerability,
        "contract": contract,
        "decision": decision,
        "milestone": milestone,
        "other": other,
    }


def _kwargs(world, name):
    s = {"service_id": world["service"].pk}
    return {
        "service_delete": s,
        "software_delete": {**s, "software_id": world["software"].pk},
        "vulnerability_delete": {
            **s,
            "software_id": world["software"].pk,
            "vulnerability_id": world["vulnerability"].pk,
        },
        "contract_delete": {**s, "contract_id": world["contract"].pk},
        "decision_delete": {**s, "decision_id": world["decision"].pk},
        "milestone_delete": {**s, "milestone_id": world["milestone"].pk},
        "decision_edit": {**s, "decision_id": world["decision"].pk},
        "milestone_edit": {**s, "milestone_id": world["milestone"].pk},
    }[name]


# Each delete: its route, who may, the row it deletes, and the words on its confirmation page.
DELETES = {
    "software_delete": (Role.ARCHITECT, "software", "Are you sure you want to delete Java 8?"),
    "vulnerability_delete": (
        Role.SERVICE_OWNER,
        "vulnerability",
        "Are you sure you want to delete vulnerability CVE-2021-44228?",
    ),
    "contract_delete": (Role.ARCHITECT, "contract", "Are you sure you want to delete the Hosting Ltd contract?"),
    "decision_delete": (
        Role.RISK_REVIEWER,
        "decision",
        "Are you sure you want to remove the decision “Replace” of 1 March 2026?",
    ),
    "milestone_delete": (
        Role.SERVICE_OWNER,
        "milestone",
        "Are you sure you want to remove the milestone “Move to the cloud”?",
    ),
}
ROUTES = [*DELETES, "service_delete", "decision_edit", "milestone_edit"]


def _counts():
    return [
        model.objects.count()
        for model in (LegacyService, Software, Vulnerability, SupplierContract, CriterionScore, Decision, Milestone)
    ]


@pytest.mark.parametrize("name", DELETES)
def test_the_confirmation_page_deletes_nothing_and_its_form_deletes_the_item_with_its_history(client, world, name):
    role, key, question = DELETES[name]
    person = make_member(role, first_name="Dana", last_name="Deleter")
    client.force_login(person)
    item = world[key]
    url = reverse(f"legacy:{name}", kwargs=_kwargs(world, name))
    before = _counts()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert question in html and "govuk-button--warning" in html
    assert _counts() == before  # a GET never deletes
    done = client.post(url, follow=True)
    assert done.redirect_chain == [(reverse("legacy:service", kwargs={"service_id": world["service"].pk}), 302)]
    assert "govuk-notification-banner--success" in done.content.decode()
    assert not type(item).objects.filter(pk=item.pk).exists()
    removal = type(item).history.get(id=item.pk, history_type="-")
    assert removal.history_user == person
    assert removal.history_change_reason.endswith(("deleted", "removed"))
    changes = done.content.decode()[done.content.decode().index(">Changes<") :]
    assert "Dana Deleter" in changes and removal.history_change_reason in changes
    assert LegacyService.objects.filter(pk=world["service"].pk).exists()


def test_deleting_software_deletes_its_vulnerabilities_and_says_so_first(client, world):
    person = make_member(Role.ARCHITECT)
    client.force_login(person)
    url = reverse("legacy:software_delete", kwargs=_kwargs(world, "software_delete"))
    assert "1 vulnerability" in client.get(url).content.decode()
    client.post(url)
    assert not Vulnerability.objects.exists()
    removal = Vulnerability.history.get(history_type="-")
    assert removal.history_user == person and removal.history_change_reason == "Deleted with the software Java 8"
    changes = selectors.changes_of(world["service"])
    assert any(change.what == "Vulnerability: CVE-2021-44228" for change in changes)  # listed though its software went


def test_deleting_a_service_takes_everything_recorded_about_it_and_only_the_integration_links(client, world):
    service, other = world["service"], world["other"]
    person = make_member(Role.SERVICE_OWNER)
    client.force_login(person)
    url = reverse("legacy:service_delete", kwargs={"service_id": service.pk})
    html = client.get(url).content.decode()
    assert "Are you sure you want to delete Teacher pensions calculator?" in html
    for lost in ("1 software", "1 vulnerability", "1 supplier contract", "1 score", "1 decision", "1 milestone"):
        assert f"<li>{lost}</li>" in html
    assert "Payments hub integrates with it" in html
    assert LegacyService.objects.filter(pk=service.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("legacy:register")
    assert list(LegacyService.objects.all()) == [other]
    for model in (Software, Vulnerability, SupplierContract, CriterionScore, Decision, Milestone):
        assert not model.objects.exists(), model
    assert list(other.integrations.all()) == [] and list(other.integrated_by.all()) == []
    removal = LegacyService.history.get(id=service.pk, history_type="-")
    assert removal.history_user == person and removal.history_change_reason == "Service deleted"
    taken = Milestone.history.get(history_type="-")
    assert taken.history_user == person
    assert taken.history_change_reason == "Deleted with the service Teacher pensions calculator"
    assert "Teacher pensions calculator deleted" in client.get(reverse("legacy:register")).content.decode()
    assert client.get(reverse("legacy:service", kwargs={"service_id": service.pk})).status_code == 404


def test_deleting_a_service_with_principle_assessments_and_called_by_a_job_records_nobody(world):
    version = PrinciplesVersion.objects.create(label="v1", published_on=datetime.date(2026, 1, 1))
    principle = Principle.objects.create(
        version=version, key="in-support", kind="standard", title="In support", description="x", position=1
    )
    PrincipleAssessment.objects.create(service=world["service"], principle=principle, outcome="meets", evidence="x")
    services.legacy_service_delete(actor=None, service=world["service"])
    assert not PrincipleAssessment.objects.exists()
    assert LegacyService.history.get(history_type="-").history_user is None


def test_changing_a_decision_shows_it_filled_in_and_keeps_who_recorded_it(client, world):
    decision = world["decision"]
    recorder = make_member(Role.RISK_REVIEWER)
    Decision.objects.filter(pk=decision.pk).update(recorded_by=recorder)
    changer = make_member(Role.SERVICE_OWNER)
    client.force_login(changer)
    url = reverse("legacy:decision_edit", kwargs=_kwargs(world, "decision_edit"))
    form = client.get(url).content.decode()
    assert "Change the decision" in form and "Out of support" in form and 'value="Deputy director"' in form
    assert 'value="replace" checked' in form and 'value="2026"' in form
    data = {
        "kind": "retire",
        "rationale": "Replaced by the new service",
        "approved_by": "Director",
        **_date("decided_on", datetime.date(2026, 4, 2)),
    }
    assert Decision.objects.get(pk=decision.pk).kind == "replace"  # nothing until checked
    done = _submit(client, url, data)
    assert done.url == reverse("legacy:service", kwargs={"service_id": world["service"].pk})
    decision.refresh_from_db()
    assert (decision.kind, decision.approved_by, decision.decided_on) == (
        "retire",
        "Director",
        datetime.date(2026, 4, 2),
    )
    assert decision.recorded_by == recorder
    latest = decision.history.latest()
    assert latest.history_user == changer and latest.history_change_reason == "Decision changed"


def test_changing_a_milestone_shows_it_filled_in_and_keeps_whether_it_is_done(client, world):
    milestone = world["milestone"]
    Milestone.objects.filter(pk=milestone.pk).update(done_on=datetime.date(2026, 5, 1))
    person = make_member(Role.RISK_REVIEWER)
    client.force_login(person)
    url = reverse("legacy:milestone_edit", kwargs=_kwargs(world, "milestone_edit"))
    form = client.get(url).content.decode()
    assert 'value="Move to the cloud"' in form and 'value="Ann Lee"' in form and 'value="30"' in form
    _submit(client, url, {"title": "Move to a cloud", "owner": "Bo Chen", **_date("due_on", datetime.date(2027, 9, 1))})
    milestone.refresh_from_db()
    assert (milestone.title, milestone.owner, milestone.due_on) == (
        "Move to a cloud",
        "Bo Chen",
        datetime.date(2027, 9, 1),
    )
    assert milestone.done_on == datetime.date(2026, 5, 1)
    latest = milestone.history.latest()
    assert latest.history_user == person and latest.history_change_reason == "Milestone changed"


BAD_CHANGES = [
    (
        "decision_edit",
        {
            "kind": "nonsense",
            "rationale": "",
            "approved_by": "x" * 201,
            **_date("decided_on", datetime.date(2026, 1, 1)),
        },
    ),
    (
        "milestone_edit",
        {"title": "", "owner": "Ann", **_date("due_on", datetime.date(2027, 2, 28)) | {"due_on-day": "31"}},
    ),
    ("milestone_edit", {"title": "Move", "owner": "Ann", **_date("due_on", datetime.date(2100, 1, 1))}),
]


@pytest.mark.parametrize(("name", "data"), BAD_CHANGES)
def test_bad_values_in_a_change_give_the_forms_errors_and_change_nothing(client, world, name, data):
    client.force_login(make_member(Role.RISK_REVIEWER))
    url = reverse(f"legacy:{name}", kwargs=_kwargs(world, name))
    decision = list(Decision.history.values_list("id", "kind", "rationale", "approved_by", "decided_on"))
    milestone = list(Milestone.history.values_list("id", "title", "owner", "due_on"))
    response = client.post(url, data)
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert client.get(f"{url}/check").status_code == 302  # nothing waiting to be confirmed
    assert client.post(f"{url}/check").status_code == 302
    assert list(Decision.history.values_list("id", "kind", "rationale", "approved_by", "decided_on")) == decision
    assert list(Milestone.history.values_list("id", "title", "owner", "due_on")) == milestone


# --- Who may -----------------------------------------------------------------------------------------


@pytest.fixture
def refused(approver):
    return {"department viewer": make_member(Role.VIEWER), "school approver": approver, "anonymous": None}


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize("who", ["department viewer", "school approver", "anonymous"])
def test_people_without_the_role_are_refused_and_change_nothing(client, world, refused, name, who):
    if refused[who] is not None:
        client.force_login(refused[who])
    url = reverse(f"legacy:{name}", kwargs=_kwargs(world, name))
    before = _counts()
    responses = [client.get(url), client.post(url)]
    if name.endswith("_edit"):
        responses += [client.get(f"{url}/check"), client.post(f"{url}/check")]
    for response in responses:
        if who == "anonymous":
            assert response.status_code == 302 and response.url.startswith(resolve_url(settings.LOGIN_URL))
        else:
            assert response.status_code == 403
    assert _counts() == before


@pytest.mark.parametrize(
    ("role", "name"),
    [
        (Role.RISK_REVIEWER, "service_delete"),  # edit_legacy
        (Role.RISK_REVIEWER, "software_delete"),
        (Role.RISK_REVIEWER, "vulnerability_delete"),
        (Role.RISK_REVIEWER, "contract_delete"),
        (Role.ARCHITECT, "decision_delete"),  # decide_legacy
        (Role.ARCHITECT, "milestone_delete"),
        (Role.ARCHITECT, "decision_edit"),
        (Role.ARCHITECT, "milestone_edit"),
    ],
)
def test_each_department_role_deletes_and_changes_only_what_its_action_allows(client, world, role, name):
    client.force_login(make_member(role))
    url = reverse(f"legacy:{name}", kwargs=_kwargs(world, name))
    before = _counts()
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert _counts() == before


def test_the_service_page_links_each_change_and_delete_for_those_who_may(client, world):
    service_url = reverse("legacy:service", kwargs={"service_id": world["service"].pk})
    client.force_login(make_member(Role.SERVICE_OWNER))  # edit_legacy and decide_legacy
    html = client.get(service_url).content.decode()
    for name in ROUTES:
        assert reverse(f"legacy:{name}", kwargs=_kwargs(world, name)) in html, name
    assert 'Delete<span class="govuk-visually-hidden"> Java 8</span>' in html
    assert 'Delete<span class="govuk-visually-hidden"> vulnerability CVE-2021-44228</span>' in html
    assert 'Delete<span class="govuk-visually-hidden"> the Hosting Ltd contract</span>' in html
    assert 'Remove<span class="govuk-visually-hidden"> the milestone “Move to the cloud”</span>' in html
    assert 'Change<span class="govuk-visually-hidden"> the decision “Replace” of 1 March 2026</span>' in html
    client.force_login(make_member(Role.ARCHITECT))  # edit_legacy only
    html = client.get(service_url).content.decode()
    assert reverse("legacy:software_delete", kwargs=_kwargs(world, "software_delete")) in html
    assert reverse("legacy:milestone_delete", kwargs=_kwargs(world, "milestone_delete")) not in html
    assert reverse("legacy:decision_edit", kwargs=_kwargs(world, "decision_edit")) not in html


# --- Hostile ids: another service's, missing and huge ones are not found --------------------------------


def _foreign(world, name):
    """The route's ids with each item id swapped for one of another service, a missing one or a huge one."""
    theirs = LegacyServiceFactory(name="Someone else's")
    their_software = LegacySoftwareFactory(service=theirs)
    items = {
        "software_id": their_software.pk,
        "vulnerability_id": Vulnerability.objects.create(software=their_software, reference="X", severity="low").pk,
        "contract_id": LegacyContractFactory(service=theirs).pk,
        "decision_id": Decision.objects.create(
            service=theirs, kind="retire", rationale="x", approved_by="x", decided_on=datetime.date(2026, 1, 1)
        ).pk,
        "milestone_id": Milestone.objects.create(
            service=theirs, title="x", owner="x", due_on=datetime.date(2027, 1, 1)
        ).pk,
    }
    own = _kwargs(world, name)
    variants = [{**own, "service_id": HUGE}, {**own, "service_id": 0}]
    for key in own:
        if key != "service_id":
            variants += [{**own, key: items[key]}, {**own, key: HUGE}, {**own, key: 987654}]
    return variants


@pytest.mark.parametrize("name", ROUTES)
def test_ids_of_another_service_missing_or_huge_are_not_found(client, world, name):
    client.force_login(make_member(Role.SERVICE_OWNER))
    variants = _foreign(world, name)
    before = _counts()
    for kwargs in variants:
        url = reverse(f"legacy:{name}", kwargs=kwargs)
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert _counts() == before


def test_a_delete_that_lost_a_race_is_not_found_not_a_server_error(client, world):
    client.force_login(make_member(Role.ARCHITECT))
    url = reverse("legacy:software_delete", kwargs=_kwargs(world, "software_delete"))
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 404  # the second click of a double submit


def test_marking_a_milestone_done_with_a_huge_or_foreign_id_is_not_found(client, world):
    client.force_login(make_member(Role.RISK_REVIEWER))
    theirs = LegacyServiceFactory()
    for service_id, milestone_id in (
        (HUGE, world["milestone"].pk),
        (world["service"].pk, HUGE),
        (theirs.pk, world["milestone"].pk),
    ):
        url = reverse("legacy:milestone_done", kwargs={"service_id": service_id, "milestone_id": milestone_id})
        assert client.post(url).status_code == 404, url
    assert Milestone.objects.get().done_on is None
