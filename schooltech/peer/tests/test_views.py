"""The peer support pages: who sees and changes what (other organisations get 403 or 404), hostile input
(never a 500), and no email address on a page before the helper accepts."""

import re

import pytest
from django.test import Client

from schooltech.accounts.models import Role
from schooltech.organisations.reference import DEPARTMENT
from schooltech.peer import services
from schooltech.peer.models import HelpRequest, Offer
from schooltech.peer.tests.conftest import REQUIREMENT, STANDARD, assess, client_for, person
from schooltech.standards.models import Recommendation
from tests.factories import EstablishmentFactory, LocalAuthorityFactory

FIND = f"/schools/610002/peer-support/find/{STANDARD}/{REQUIREMENT}"
ASK = FIND + "/ask/610001"


def test_every_page_renders_for_its_people(help_request, helper_approver, asker_editor, trust_approver):
    helper, asker = client_for(helper_approver), client_for(asker_editor)
    assert helper.get("/peer-support").status_code == 200
    page = helper.get("/schools/610001/peer-support")
    assert page.status_code == 200 and "Requests to your school" in page.text and "Asking School" in page.text
    assert helper.get("/schools/610001/peer-support/offer").status_code == 302  # to its first question
    for question in ("requirements", "requests", "schools", "note", "check"):
        assert helper.get(f"/schools/610001/peer-support/offer/{question}").status_code == 200, question
    assert helper.get("/schools/610001/peer-support/offer/withdraw").status_code == 200
    found = asker.get(FIND + "?within=10")
    assert found.status_code == 200 and "Helping Academy" in found.text and "About 2 km" in found.text
    assert "We moved to full fibre" in found.text  # the note the helper offered
    assert asker.get(f"/schools/610002/peer-support/requests/{help_request.pk}").status_code == 200
    assert helper.get(f"/schools/610001/peer-support/requests/{help_request.pk}").status_code == 200
    trust_page = client_for(trust_approver).get("/organisations/trust-PEER1/peer-support")
    assert trust_page.status_code == 200 and "Helping Academy" in trust_page.text


def test_the_find_page_shows_only_what_was_offered(offer, asker_editor, helper_school):
    body = client_for(asker_editor).get(FIND).text
    assert "Helping Academy" in body
    assert "backup_connection" not in body and "Backup connection" not in body  # not its other results
    assert "hana@helping.example" not in body


def test_emails_are_hidden_until_the_helper_accepts(help_request, helper_editor, asker_editor):
    helper, asker = client_for(helper_editor), client_for(asker_editor)
    url_helper = f"/schools/610001/peer-support/requests/{help_request.pk}"
    url_asker = f"/schools/610002/peer-support/requests/{help_request.pk}"
    assert "ada@asking.example" not in helper.get(url_helper).text
    response = helper.post(url_helper + "/answer", {"answer": "accept"})
    assert response.status_code == 302
    assert "ada@asking.example" in helper.get(url_helper).text
    assert "eddie@helping.example" in asker.get(url_asker).text


def test_the_whole_journey_through_the_pages(offer, asker_editor, helper_editor):
    asker, helper = client_for(asker_editor), client_for(helper_editor)
    check = asker.post(ASK, {"message": "Can we visit?\nAny Tuesday."})
    assert check.status_code == 200 and "Check your request" in check.text and not HelpRequest.objects.exists()
    change = asker.post(ASK, {"message": "Can we visit?", "step": "change"})
    assert "Can we visit?" in change.text and "Continue" in change.text
    response = asker.post(ASK, {"message": "Can we visit?", "step": "send"})
    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert response["Location"] == f"/schools/610002/peer-support/requests/{help_request.pk}"
    assert asker.get(FIND).text.count("Ask for help") == 0  # one open request per requirement
    helper.post(f"/schools/610001/peer-support/requests/{help_request.pk}/answer", {"answer": "accept"})
    asker.post(f"/schools/610002/peer-support/requests/{help_request.pk}/done")
    response = asker.post(
        f"/schools/610002/peer-support/requests/{help_request.pk}/feedback", {"helpful": "yes", "feedback": "Thanks"}
    )
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert (help_request.status, help_request.helpful, help_request.feedback) == ("done", True, "Thanks")


OFFER = "/schools/610001/peer-support/offer"


def test_approvers_offer_help_one_question_a_page_then_check_and_save(helper_school, helper_approver):
    client = client_for(helper_approver)
    assert client.get(OFFER).url == f"{OFFER}/requirements"
    first = client.get(f"{OFFER}/requirements")
    assert "Which requirements can your school help with?" in first.text and "requests_per_term" not in first.text
    refused = client.post(f"{OFFER}/requirements", {})
    assert "Select at least one requirement you can help with" in refused.text
    answers = [
        ("requirements", {"topics": [f"{STANDARD}/{REQUIREMENT}"]}, f"{OFFER}/requests"),
        ("requests", {"requests_per_term": "3"}, f"{OFFER}/schools"),
        ("schools", {"phase": "Secondary"}, f"{OFFER}/note"),
        ("note", {"note": "Ask us"}, f"{OFFER}/check"),
    ]
    for question, data, next_page in answers:
        assert client.post(f"{OFFER}/{question}", data).url == next_page, question
    check = client.get(f"{OFFER}/check")
    assert "Check your offer of help" in check.text and "Ask us" in check.text and not Offer.objects.exists()
    assert f"{OFFER}/requests?check=1" in check.text
    changed = client.post(f"{OFFER}/requests?check=1", {"requests_per_term": "4"})
    assert changed.url == f"{OFFER}/check"  # a change goes back to the check page
    assert client.get(f"{OFFER}/requests?check=1").text.count('value="4"') == 1
    assert client.post(f"{OFFER}/check").status_code == 302
    offer = Offer.objects.get(establishment=helper_school)
    assert (offer.requests_per_term, offer.phase, offer.note) == (4, "Secondary", "Ask us")
    again = client.get(OFFER)
    assert again.url == f"{OFFER}/check"  # a live offer is changed from its answers
    assert "Ask us" in client.get(f"{OFFER}/check").text


def test_a_school_that_meets_nothing_is_told_so_and_asked_nothing(asker_school):
    assess(asker_school, STANDARD, {REQUIREMENT: "does_not_meet", "speed": "partly", "backup_connection": "partly"})
    client = client_for(person("head@asking.example", asker_school, Role.APPROVER))
    page = client.get("/schools/610002/peer-support/offer")
    assert page.status_code == 200 and "do not meet any requirement yet" in page.text and "<form" not in page.text
    assert client.get("/schools/610002/peer-support/offer/requirements").url == "/schools/610002/peer-support/offer"


def test_the_check_page_asks_again_what_is_missing_or_no_longer_true(helper_school, helper_approver):
    client = client_for(helper_approver)
    assert client.get(f"{OFFER}/check").url == OFFER  # nothing started
    assert client.get(f"{OFFER}/note").url == OFFER
    client.get(OFFER)
    assert client.get(f"{OFFER}/check").url == f"{OFFER}/requirements"  # not answered yet
    client.post(f"{OFFER}/requirements", {"topics": [f"{STANDARD}/{REQUIREMENT}"]})
    assess(helper_school, STANDARD, {REQUIREMENT: "does_not_meet", "speed": "meets"})  # a newer assessment
    assert client.get(f"{OFFER}/check").url == f"{OFFER}/requirements?check=1"
    assert client.post(f"{OFFER}/check").status_code == 302 and not Offer.objects.exists()
    assert client.get(f"{OFFER}/no-such-question").status_code == 404


# --- Isolation ---


def test_only_the_schools_own_approvers_offer_help(helper_school, helper_editor, trust_approver):
    for user in (helper_editor, trust_approver):
        client = client_for(user)
        assert client.get("/schools/610001/peer-support/offer").status_code == 403
        assert client.post("/schools/610001/peer-support/offer/withdraw").status_code == 403
    assert not Offer.objects.exists()


def test_other_schools_see_nothing_of_a_request(help_request, far_school):
    outsider = client_for(person("out@far.example", far_school, Role.APPROVER))
    for urn in ("610001", "610002"):
        base = f"/schools/{urn}/peer-support"
        assert outsider.get(base).status_code == 403
        assert outsider.get(f"{base}/requests/{help_request.pk}").status_code == 403
        for action in ("answer", "withdraw", "done"):
            assert outsider.post(f"{base}/requests/{help_request.pk}/{action}", {"answer": "accept"}).status_code == 403
    # their own school's URL with someone else's request number: not found
    assert outsider.get(f"/schools/610003/peer-support/requests/{help_request.pk}").status_code == 404
    assert (
        outsider.post(
            f"/schools/610003/peer-support/requests/{help_request.pk}/answer", {"answer": "accept"}
        ).status_code
        == 404
    )
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.WAITING


def test_viewers_see_but_do_not_act_and_each_side_does_only_its_part(
    help_request, asker_viewer, asker_editor, helper_viewer, helper_editor
):
    helper_url = f"/schools/610001/peer-support/requests/{help_request.pk}"
    asker_url = f"/schools/610002/peer-support/requests/{help_request.pk}"
    assert client_for(helper_viewer).get(helper_url).status_code == 200
    assert client_for(helper_viewer).post(helper_url + "/answer", {"answer": "accept"}).status_code == 403
    assert client_for(asker_viewer).post(asker_url + "/withdraw").status_code == 403
    # the asking school cannot accept its own request, nor the helper withdraw it
    assert client_for(asker_editor).post(asker_url + "/answer", {"answer": "accept"}).status_code == 403
    assert client_for(helper_editor).post(helper_url + "/withdraw").status_code == 403
    assert client_for(asker_viewer).get(ASK).status_code == 403
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.WAITING


def test_trusts_and_authorities_see_only_their_own_schools(offer, trust_approver, far_school):
    other_la = LocalAuthorityFactory(code="997", name="Other Borough")
    officer = person("lou@other.example", other_la, Role.VIEWER)
    assert client_for(officer).get("/organisations/trust-PEER1/peer-support").status_code == 403
    assert "Helping Academy" not in client_for(officer).get("/organisations/local-authority-997/peer-support").text
    assert client_for(trust_approver).get("/organisations/local-authority-997/peer-support").status_code == 403


def _table_rows(page: str) -> list[list[str]]:
    """The text of each cell of each row of the page's table body."""
    body = page[page.index("<tbody") : page.index("</tbody>")]
    rows = []
    for row in body.split("</tr>")[:-1]:
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.DOTALL)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells])
    return rows


def test_a_local_authority_sees_the_offers_of_the_schools_it_maintains_and_no_others(offer, helper_school, far_school):
    borough = LocalAuthorityFactory(code="996", name="Peer Borough")
    offering = EstablishmentFactory(
        urn="610040", name="Borough Community School", local_authority=borough, ofsted_phase="Secondary"
    )
    assess(offering, STANDARD, {REQUIREMENT: "meets", "speed": "partly"})
    not_yet = EstablishmentFactory(urn="610041", name="Borough Primary School", local_authority=borough)
    assess(not_yet, STANDARD, {REQUIREMENT: "partly", "speed": "meets"})
    for school, requests in ((offering, 3), (far_school, 1)):  # far_school: maintained by another authority
        services.offer_save(
            establishment=school,
            user=person(f"approver@{school.urn}.example", school, Role.APPROVER),
            topics=[(STANDARD, REQUIREMENT)],
            requests_per_term=requests,
            phase="any",
            note="",
        )
    helper_school.local_authority = borough  # an academy in the borough, which its trust looks after
    helper_school.save()
    officer = person("lena@borough.example", borough, Role.VIEWER)
    page = client_for(officer).get("/organisations/local-authority-996/peer-support")
    assert page.status_code == 200
    assert _table_rows(page.text) == [
        ["Borough Community School", "Use a full-fibre connection", "3", "1"],
        ["Borough Primary School", "Not offering", "", "1"],
    ]
    assert "1 of your 2 open schools offer help to other schools. 1 more meet at least one requirement" in page.text
    assert 'href="/schools/610040/peer-support"' in page.text
    assert "Helping Academy" not in page.text and "Faraway School" not in page.text


def test_the_department_sees_counts_and_schools_do_not(help_request, helper_approver):
    analyst = person("ann@education.example", DEPARTMENT, Role.RISK_REVIEWER)
    page = client_for(analyst).get("/organisations/department/peer-support")
    assert page.status_code == 200 and "London" in page.text and "Broadband" in page.text
    assert "Helping Academy" not in page.text and "Asking School" not in page.text
    assert client_for(helper_approver).get("/organisations/department/peer-support").status_code == 403
    # department people reach no school's peer support pages
    assert client_for(analyst).get("/schools/610001/peer-support").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(help_request):
    for path in ("/peer-support", "/schools/610001/peer-support", FIND, ASK):
        assert Client().get(path).status_code == 302


# --- Hostile input ---

HOSTILE = [
    "",
    " ",
    "x" * 20000,
    "<script>alert(1)</script>",
    "\x00",
    "-1",
    "1e9",
    "99999999999999999999",
    "🙂",
    "../../",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_offer_form(helper_school, helper_approver, value):
    client = client_for(helper_approver)
    for data in (
        {"topics": [value], "requests_per_term": "2", "phase": "any"},
        {"topics": [f"{STANDARD}/{REQUIREMENT}"], "requests_per_term": value, "phase": "any"},
        {"topics": [f"{STANDARD}/{REQUIREMENT}"], "requests_per_term": "2", "phase": value},
        {"topics": [f"{STANDARD}/{REQUIREMENT}"], "requests_per_term": "2", "phase": "any", "note": value},
    ):
        client.get(OFFER)
        for question in ("requirements", "requests", "schools", "note"):
            response = client.post(f"{OFFER}/{question}", data)
            assert response.status_code in (200, 302), (data, response.status_code)
            if response.status_code == 200:
                assert "There is a problem" in response.text
        response = client.post(f"{OFFER}/check")
        assert response.status_code == 302
    if Offer.objects.exists():
        offer = Offer.objects.get()
        assert 1 <= offer.requests_per_term <= 10 and len(offer.note) <= 500


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_request_forms(help_request, asker_editor, helper_editor, value):
    asker, helper = client_for(asker_editor), client_for(helper_editor)
    assert asker.get(FIND, {"within": value, "same_phase": value}).status_code == 200
    for step in ("write", "change", "send", value):
        assert asker.post(ASK, {"message": value, "step": step}).status_code in (200, 302, 404)
    url = f"/schools/610001/peer-support/requests/{help_request.pk}/answer"
    assert helper.post(url, {"answer": value, "reason": value}).status_code in (302, 400)
    assert asker.post(
        f"/schools/610002/peer-support/requests/{help_request.pk}/feedback", {"helpful": value}
    ).status_code in (302, 200)
    assert asker.get(f"/schools/610002/peer-support/find/{STANDARD}/nope").status_code == 404
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.WAITING


def test_a_flood_of_requests_stops_at_the_offers_limit(offer, asker_editor):
    for number in range(4):
        school = EstablishmentFactory(urn=f"61100{number}", ofsted_phase="Secondary", easting=530100, northing=180100)
        assess(school, STANDARD, {REQUIREMENT: "does_not_meet"})
        client = client_for(person(f"e{number}@flood.example", school, Role.EDITOR))
        client.post(
            f"/schools/{school.urn}/peer-support/find/{STANDARD}/{REQUIREMENT}/ask/610001",
            {"message": "Help", "step": "send"},
        )
    assert HelpRequest.objects.count() == 2


def test_the_standards_results_link_each_unmet_requirement_to_schools_that_meet_it(asker_school, asker_editor):
    body = client_for(asker_editor).get(f"/schools/610002/standards/{STANDARD}/results").text
    assert f'href="/schools/610002/peer-support/find/{STANDARD}/{REQUIREMENT}"' in body  # does not meet
    assert f'href="/schools/610002/peer-support/find/{STANDARD}/speed"' in body  # partly meets
    assert f'href="/schools/610002/peer-support/find/{STANDARD}/backup_connection"' not in body  # meets


def test_an_active_recommendation_links_to_schools_that_meet_its_requirement(asker_school, asker_editor):
    recommendation = Recommendation.objects.create(
        establishment=asker_school,
        standard_key=STANDARD,
        requirement_key=REQUIREMENT,
        kind=Recommendation.Kind.choices[0][0],
        title="Move to full fibre",
        detail="Ask your provider.",
    )
    body = client_for(asker_editor).get(f"/schools/610002/standards/recommendations/{recommendation.pk}").text
    assert f'href="/schools/610002/peer-support/find/{STANDARD}/{REQUIREMENT}"' in body
    recommendation.is_active = False
    recommendation.save()
    body = client_for(asker_editor).get(f"/schools/610002/standards/recommendations/{recommendation.pk}").text
    assert "/peer-support/find/" not in body
