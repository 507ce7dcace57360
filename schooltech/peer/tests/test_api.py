"""The peer support API: a school's offer and its requests, read only, no more than its pages show."""

import pytest
from django.test import Client

from schooltech.accounts import services as account_services
from schooltech.accounts.models import Role
from schooltech.peer import services
from schooltech.peer.tests.conftest import REQUIREMENT, STANDARD, client_for, person

pytestmark = pytest.mark.django_db
HELPER, ASKER = "/api/v1/schools/610001/peer-support", "/api/v1/schools/610002/peer-support"


def test_a_school_reads_its_offer_with_the_requests_used_this_term(help_request, helper_editor):
    offer = client_for(helper_editor).get(f"{HELPER}/offer").json()
    assert offer["topics"] == [{"standard": STANDARD, "requirement": REQUIREMENT}]
    assert (offer["active"], offer["requests_per_term"], offer["requests_this_term"], offer["phase"]) == (
        True,
        2,
        1,
        "any",
    )
    assert offer["note"].startswith("We moved to full fibre")


def test_a_school_that_never_offered_gets_404(asker_school, asker_editor):
    response = client_for(asker_editor).get(f"{ASKER}/offer")
    assert response.status_code == 404 and "has not offered" in response.json()["detail"]


def test_addresses_appear_only_once_the_helper_accepts(help_request, asker_editor, helper_editor):
    asker, helper = client_for(asker_editor), client_for(helper_editor)
    [sent] = asker.get(f"{ASKER}/requests").json()
    assert (sent["direction"], sent["helper"], sent["status"], sent["contacts"]) == (
        "sent",
        "Helping Academy",
        "waiting",
        [],
    )
    [received] = helper.get(f"{HELPER}/requests").json()
    assert received["direction"] == "received" and received["message"].startswith("We still have copper")
    assert "@" not in str(received)  # nobody's address before acceptance
    services.help_request_accept(help_request=help_request, user=helper_editor)
    [accepted] = asker.get(f"{ASKER}/requests").json()
    assert {contact["email"] for contact in accepted["contacts"]} == {asker_editor.email, helper_editor.email}


def test_other_schools_read_nothing_and_nothing_is_written(help_request, far_school, asker_editor):
    outsider = client_for(person("out@far.example", far_school, Role.APPROVER))
    for path in (f"{HELPER}/offer", f"{HELPER}/requests", f"{ASKER}/requests"):
        response = outsider.get(path)
        assert response.status_code == 403 and "copper" not in response.content.decode(), path
    asker = client_for(asker_editor)
    assert asker.get(f"{HELPER}/offer").status_code == 403  # the finding page is where offers are seen
    for method in ("post", "put", "patch", "delete"):
        response = getattr(asker, method)(f"{ASKER}/requests", {}, content_type="application/json")
        assert response.status_code in (403, 405), method


def test_the_helping_schools_trust_reads_its_requests(help_request, trust_approver):
    assert client_for(trust_approver).get(f"{HELPER}/requests").status_code == 200


def test_an_api_key_reads_its_own_schools_peer_support_only(help_request, asker_school):
    approver = person("head@asking.example", asker_school, Role.APPROVER)
    _, raw = account_services.api_key_create(actor=approver, organisation=asker_school, name="Sync", role="viewer")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get(f"{ASKER}/requests", **bearer).status_code == 200
    assert Client().get(f"{HELPER}/requests", **bearer).status_code == 403
    assert Client().get(f"{HELPER}/requests").status_code == 401
