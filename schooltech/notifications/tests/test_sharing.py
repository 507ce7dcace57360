"""Sharing a recommendation, a standard's results or the plan's summary by email: only to the
addresses the sender names, capped, validated and recorded; and the print pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schooltech.notifications import services
from schooltech.notifications.models import OutboxMessage, Share
from schooltech.planning import services as planning_services
from schooltech.standards import selectors as standards_selectors
from schooltech.standards import services as standards_services
from schooltech.standards.models import Assessment, Recommendation, Status

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    " ",
    "x" * 5000,
    "\x00",
    "<script>alert(1)</script>",
    "a@b",
    "@",
    "a@b.c" * 500,
    "evil@x.org\nbcc: y@z.org",
]


@pytest.fixture
def assessed(school):
    standards_services.catalogue_load()
    standard = standards_selectors.current_standard(key="broadband")
    Assessment.objects.create(
        establishment=school,
        standard=standard,
        standard_key="broadband",
        state=Assessment.State.SUBMITTED,
        phase_group="primary",
        answers={"technology": "copper"},
        results=[
            {"requirement": "full_fibre", "status": Status.DOES_NOT_MEET, "reasons": ["Copper line"], "unknowns": []}
        ],
        overall_status=Status.DOES_NOT_MEET,
        submitted_at=timezone.now(),
    )
    return Recommendation.objects.create(
        establishment=school,
        standard_key="broadband",
        requirement_key="full_fibre",
        kind=Recommendation.Kind.ACTION,
        title="Use a full-fibre connection",
        detail="Move to full fibre when the contract ends.",
        who="School business manager",
        notes="Quote requested",
    )


def _urls(school, recommendation):
    return {
        "recommendation": reverse(
            "standards:recommendation_share", kwargs={"urn": school.urn, "recommendation_id": recommendation.pk}
        ),
        "results": reverse("standards:results_share", kwargs={"urn": school.urn, "standard_key": "broadband"}),
        "plan": reverse("planning:share", kwargs={"urn": school.urn}),
    }


@pytest.fixture
def pages(school, assessed):
    planning_services.plan_generate(establishment=school)
    return _urls(school, assessed)


@pytest.mark.parametrize("page", ["recommendation", "results", "plan"])
def test_each_share_goes_only_to_the_named_addresses_and_is_recorded(client, viewer, editor, pages, page):
    client.force_login(viewer)
    assert client.get(pages[page]).status_code == 200
    response = client.post(
        pages[page],
        {
            "recipients": "chair@governors.example\nClerk@Governors.example, chair@GOVERNORS.example",
            "message": "For Tuesday",
        },
    )
    assert response.status_code == 302
    messages = OutboxMessage.objects.filter(template_key="shared_by_email")
    assert sorted(messages.values_list("to_email", flat=True)) == ["Clerk@Governors.example", "chair@governors.example"]
    assert (
        not OutboxMessage.objects.exclude(template_key="shared_by_email")
        .filter(to_email__in=[viewer.email, editor.email])
        .exists()
    )
    share = Share.objects.get()
    assert (share.sender, share.organisation_name, share.message) == (viewer, "Oak Primary School", "For Tuesday")
    assert share.recipients == ["chair@governors.example", "Clerk@Governors.example"]
    personalisation = messages.first().personalisation
    assert personalisation["message"] == "For Tuesday" and personalisation["organisation_name"] == "Oak Primary School"
    assert personalisation["link"].endswith(share.link)
    # The share page lists who shared it before.
    assert "chair@governors.example" in client.get(pages[page]).content.decode()


def test_the_email_carries_what_was_shared(client, viewer, pages):
    client.force_login(viewer)
    client.post(pages["recommendation"], {"recipients": "a@example.org", "message": ""})
    body = OutboxMessage.objects.get().personalisation
    assert body["title"] == "Use a full-fibre connection" and "Quote requested" in body["summary"]
    assert body["message"] == "No message."
    client.post(pages["results"], {"recipients": "b@example.org"})
    results = OutboxMessage.objects.get(to_email="b@example.org").personalisation
    assert "Use a full-fibre connection: Does not meet" in results["summary"]


def test_more_than_ten_addresses_are_refused_and_nothing_is_sent(client, viewer, pages):
    client.force_login(viewer)
    many = "\n".join(f"person{i}@example.org" for i in range(11))
    page = client.post(pages["results"], {"recipients": many})
    assert page.status_code == 200 and "Enter 10 email addresses or fewer" in page.content.decode()
    assert not OutboxMessage.objects.exists() and not Share.objects.exists()


def test_a_bad_address_is_named_and_nothing_is_sent(client, viewer, pages):
    client.force_login(viewer)
    page = client.post(pages["results"], {"recipients": "good@example.org\nnot-an-address"})
    assert "not-an-address is not" in page.content.decode()
    assert not OutboxMessage.objects.exists()


def test_a_person_may_share_only_so_often(viewer, school):
    for _ in range(services.MAX_SHARES_PER_DAY):
        services.share_send(
            sender=viewer,
            organisation=school,
            what="x",
            title="x",
            summary="x",
            link="/",
            recipients=["a@example.org"],
            message="",
        )
    with pytest.raises(services.ShareError, match="Try again tomorrow"):
        services.share_send(
            sender=viewer,
            organisation=school,
            what="x",
            title="x",
            summary="x",
            link="/",
            recipients=["a@example.org"],
            message="",
        )
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    services.share_send(
        sender=viewer,
        organisation=school,
        what="x",
        title="x",
        summary="x",
        link="/",
        recipients=["a@example.org"],
        message="",
        now=later,
    )


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["recipients", "message"])
def test_hostile_input_never_fails_and_never_sends_to_anyone_unnamed(client, viewer, pages, field, value):
    client.force_login(viewer)
    data = {"recipients": "ok@example.org", "message": "hi"} | {field: value}
    response = client.post(pages["results"], data)
    assert response.status_code in (200, 302)
    for message in OutboxMessage.objects.all():
        assert message.to_email == "ok@example.org"


def test_another_school_cannot_share_or_print_this_schools_pages(
    client, outsider, school, other_school, assessed, pages
):
    client.force_login(outsider)
    for url in pages.values():
        assert client.get(url).status_code == 403
        assert client.post(url, {"recipients": "x@example.org"}).status_code == 403
    for name, kwargs in [
        ("standards:recommendation_print", {"recommendation_id": assessed.pk}),
        ("standards:results_print", {"standard_key": "broadband"}),
    ]:
        assert client.get(reverse(name, kwargs={"urn": school.urn, **kwargs})).status_code == 403
    # Through its own school's address, another school's recommendation is not found.
    own = reverse("standards:recommendation_share", kwargs={"urn": other_school.urn, "recommendation_id": assessed.pk})
    assert client.post(own, {"recipients": "x@example.org"}).status_code == 404
    assert not OutboxMessage.objects.exists()


def test_print_pages_name_the_school_and_need_no_javascript(client, viewer, school, assessed):
    client.force_login(viewer)
    page = client.get(
        reverse("standards:recommendation_print", kwargs={"urn": school.urn, "recommendation_id": assessed.pk})
    ).content.decode()
    assert (
        "Oak Primary School (URN 800001)" in page
        and "Quote requested" in page
        and "<script" not in page.split("<main")[1].split("</main>")[0]
    )
    results = client.get(
        reverse("standards:results_print", kwargs={"urn": school.urn, "standard_key": "broadband"})
    ).content.decode()
    assert (
        "Oak Primary School (URN 800001)" in results
        and "Copper line" in results
        and "Use a full-fibre connection" in results
    )
    unassessed = reverse("standards:results_print", kwargs={"urn": school.urn, "standard_key": "wireless"})
    assert client.get(unassessed).status_code == 404


def test_results_and_recommendations_link_to_training_for_their_standard(client, viewer, school, assessed):
    client.force_login(viewer)
    for url in [
        reverse("standards:results", kwargs={"urn": school.urn, "standard_key": "broadband"}),
        reverse("standards:recommendation", kwargs={"urn": school.urn, "recommendation_id": assessed.pk}),
    ]:
        assert "/training/?standard=broadband" in client.get(url).content.decode()
