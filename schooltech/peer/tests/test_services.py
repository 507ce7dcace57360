"""Offers, finding help, the limits, the request states and who is emailed."""

import datetime

import pytest

from schooltech.accounts.models import Role
from schooltech.notifications.models import OutboxMessage
from schooltech.peer import selectors, services
from schooltech.peer.models import HelpRequest
from schooltech.peer.tests.conftest import REQUIREMENT, STANDARD, assess, person
from tests.factories import EstablishmentFactory

TODAY = datetime.date(2026, 11, 2)  # autumn term 2026
NEXT_TERM = datetime.date(2027, 1, 10)


def send(asker, user, helper_urn="610001", requirement=REQUIREMENT, today=TODAY, message="Please help with fibre"):
    return services.help_request_send(
        asker=asker,
        helper_urn=helper_urn,
        standard_key=STANDARD,
        requirement_key=requirement,
        message=message,
        user=user,
        today=today,
    )


def other_asker(urn, statuses=None):
    school = EstablishmentFactory(urn=urn, ofsted_phase="Secondary", easting=530500, northing=180500)
    assess(school, STANDARD, statuses or {REQUIREMENT: "partly"})
    return school


# --- Offers ---


def test_a_school_offers_only_requirements_it_meets(helper_school, helper_approver):
    with pytest.raises(services.PeerError, match="meets"):
        services.offer_save(
            establishment=helper_school,
            user=helper_approver,
            topics=[(STANDARD, "backup_connection")],
            requests_per_term=2,
            phase="any",
            note="",
        )
    offer = services.offer_save(
        establishment=helper_school,
        user=helper_approver,
        topics=[(STANDARD, REQUIREMENT), (STANDARD, "speed")],
        requests_per_term=3,
        phase="Secondary",
        note=" Happy to help ",
    )
    assert {(t.standard_key, t.requirement_key) for t in offer.topics.all()} == {
        (STANDARD, REQUIREMENT),
        (STANDARD, "speed"),
    }
    assert offer.note == "Happy to help"
    assert offer.offered_by == helper_approver


@pytest.mark.parametrize("count", [0, 11, -1])
def test_requests_a_term_must_be_from_1_to_10(helper_school, helper_approver, count):
    with pytest.raises(services.PeerError):
        services.offer_save(
            establishment=helper_school,
            user=helper_approver,
            topics=[(STANDARD, REQUIREMENT)],
            requests_per_term=count,
            phase="any",
            note="",
        )


def test_changing_an_offer_replaces_its_topics_and_withdrawing_hides_it(
    offer, helper_school, helper_approver, asker_school
):
    services.offer_save(
        establishment=helper_school,
        user=helper_approver,
        topics=[(STANDARD, "speed")],
        requests_per_term=2,
        phase="any",
        note="",
    )
    assert [(t.standard_key, t.requirement_key) for t in offer.topics.all()] == [(STANDARD, "speed")]
    assert selectors.helpers_for(
        establishment=asker_school, standard_key=STANDARD, requirement_key="speed", today=TODAY
    )
    services.offer_withdraw(offer=offer, user=helper_approver)
    assert not selectors.helpers_for(
        establishment=asker_school, standard_key=STANDARD, requirement_key="speed", today=TODAY
    )


# --- Finding help ---


def test_schools_like_yours_nearest_first_within_the_distance(offer, asker_school, far_school, helper_approver):
    far_approver = person("far@far.example", far_school, Role.APPROVER)
    services.offer_save(
        establishment=far_school,
        user=far_approver,
        topics=[(STANDARD, REQUIREMENT)],
        requests_per_term=1,
        phase="any",
        note="",
    )
    found = selectors.helpers_for(
        establishment=asker_school, standard_key=STANDARD, requirement_key=REQUIREMENT, today=TODAY
    )
    assert [h.establishment.urn for h in found] == ["610001", "610003"]
    assert found[0].distance_km == pytest.approx(2.0, abs=0.01)
    near = selectors.helpers_for(
        establishment=asker_school, standard_key=STANDARD, requirement_key=REQUIREMENT, within_km=25, today=TODAY
    )
    assert [h.establishment.urn for h in near] == ["610001"]


def test_an_offer_for_another_phase_or_no_longer_met_is_not_shown(offer, helper_school, helper_approver, asker_school):
    services.offer_save(
        establishment=helper_school,
        user=helper_approver,
        topics=[(STANDARD, REQUIREMENT)],
        requests_per_term=2,
        phase="Primary",
        note="",
    )
    assert not selectors.helpers_for(
        establishment=asker_school, standard_key=STANDARD, requirement_key=REQUIREMENT, today=TODAY
    )
    services.offer_save(
        establishment=helper_school,
        user=helper_approver,
        topics=[(STANDARD, REQUIREMENT)],
        requests_per_term=2,
        phase="any",
        note="",
    )
    assess(helper_school, STANDARD, {REQUIREMENT: "partly"})  # a newer assessment no longer meets it
    assert not selectors.helpers_for(
        establishment=asker_school, standard_key=STANDARD, requirement_key=REQUIREMENT, today=TODAY
    )
    with pytest.raises(services.PeerError, match="not taking requests"):
        send(asker_school, None)


def test_helpers_as_near_and_of_the_same_phase_come_closest_in_size_first(catalogue):
    """Nearest first to the kilometre, then the same phase, then the smallest gap between the logarithms of
    the pupil numbers (so 1,600 pupils is closer to 1,000 than 500 is); a school of unknown size comes last.
    The URNs run the other way, so only the size puts them in this order."""
    asker = EstablishmentFactory(
        urn="610030", ofsted_phase="Secondary", easting=500000, northing=300000, number_of_pupils=1000
    )
    assess(asker, STANDARD, {REQUIREMENT: "does_not_meet"})
    # (urn, pupils, easting, northing): every one exactly 3 km from the asking school
    helpers = [
        ("610031", None, 503000, 300000),
        ("610032", 300, 497000, 300000),
        ("610033", 500, 500000, 303000),
        ("610034", 1600, 500000, 297000),
        ("610035", 1000, 501800, 302400),
    ]
    for urn, pupils, easting, northing in helpers:
        school = EstablishmentFactory(
            urn=urn, ofsted_phase="Secondary", easting=easting, northing=northing, number_of_pupils=pupils
        )
        assess(school, STANDARD, {REQUIREMENT: "meets"})
        services.offer_save(
            establishment=school,
            user=person(f"approver@{urn}.example", school, Role.APPROVER),
            topics=[(STANDARD, REQUIREMENT)],
            requests_per_term=2,
            phase="any",
            note="",
        )
    found = selectors.helpers_for(establishment=asker, standard_key=STANDARD, requirement_key=REQUIREMENT, today=TODAY)
    assert [h.distance_km for h in found] == pytest.approx([3.0] * 5)
    assert [(h.establishment.urn, h.establishment.number_of_pupils) for h in found] == [
        ("610035", 1000),
        ("610034", 1600),
        ("610033", 500),
        ("610032", 300),
        ("610031", None),
    ]


def test_same_phase_filter(offer, asker_school, helper_school):
    helper_school.ofsted_phase = "Primary"
    helper_school.save()
    assert selectors.helpers_for(
        establishment=asker_school, standard_key=STANDARD, requirement_key=REQUIREMENT, today=TODAY
    )
    assert not selectors.helpers_for(
        establishment=asker_school, standard_key=STANDARD, requirement_key=REQUIREMENT, same_phase=True, today=TODAY
    )


def test_a_school_never_finds_itself(offer, helper_school):
    assert not selectors.helpers_for(
        establishment=helper_school, standard_key=STANDARD, requirement_key=REQUIREMENT, today=TODAY
    )


# --- Limits ---


def test_an_offer_takes_at_most_its_requests_a_term_then_is_hidden_until_next_term(offer, asker_school, asker_editor):
    send(asker_school, asker_editor)
    send(other_asker("610010"), None)
    third = other_asker("610011")
    assert not selectors.helpers_for(
        establishment=third, standard_key=STANDARD, requirement_key=REQUIREMENT, today=TODAY
    )
    with pytest.raises(services.PeerError):
        send(third, None)
    assert selectors.helpers_for(
        establishment=third, standard_key=STANDARD, requirement_key=REQUIREMENT, today=NEXT_TERM
    )
    assert send(third, None, today=NEXT_TERM).term == "2026-spring"


def test_a_declined_request_still_counts_towards_the_term(offer, asker_school, asker_editor, helper_editor):
    first = send(asker_school, asker_editor)
    services.help_request_decline(help_request=first, user=helper_editor, reason="Too busy")
    send(other_asker("610010"), None)
    with pytest.raises(services.PeerError, match="as many requests"):
        send(other_asker("610011"), None)


def test_one_open_request_per_asking_school_and_requirement(offer, asker_school, asker_editor, helper_editor):
    first = send(asker_school, asker_editor)
    with pytest.raises(services.PeerError, match="already has an open request"):
        send(asker_school, asker_editor)
    services.help_request_withdraw(help_request=first, user=asker_editor)
    send(asker_school, asker_editor)  # once closed, the school may ask again


def test_a_school_cannot_ask_about_a_requirement_it_meets_or_with_an_empty_message(
    offer, asker_school, asker_editor, helper_approver
):
    services.offer_save(
        establishment=offer.establishment,
        user=helper_approver,
        topics=[(STANDARD, REQUIREMENT), (STANDARD, "speed")],
        requests_per_term=5,
        phase="any",
        note="",
    )
    assess(asker_school, STANDARD, {REQUIREMENT: "meets"})
    with pytest.raises(services.PeerError, match="already meets"):
        send(asker_school, asker_editor)
    with pytest.raises(services.PeerError, match="Enter a message"):
        send(asker_school, asker_editor, requirement="speed", message="   ")
    with pytest.raises(services.PeerError, match="no such requirement"):
        send(asker_school, asker_editor, requirement="not-a-requirement")


# --- States ---


def test_waiting_accepted_done_feedback(offer, asker_school, asker_editor, helper_editor):
    help_request = send(asker_school, asker_editor)
    assert help_request.status == HelpRequest.Status.WAITING and not help_request.contacts_shared
    with pytest.raises(services.PeerError):
        services.help_request_done(help_request=help_request, user=helper_editor)
    with pytest.raises(services.PeerError):
        services.help_request_feedback(help_request=help_request, user=asker_editor, helpful=True, feedback="")
    help_request = services.help_request_accept(help_request=help_request, user=helper_editor)
    assert help_request.contacts_shared and help_request.answered_by == helper_editor
    with pytest.raises(services.PeerError, match="already been answered"):
        services.help_request_decline(help_request=help_request, user=helper_editor)
    help_request = services.help_request_done(help_request=help_request, user=asker_editor)
    assert help_request.status == HelpRequest.Status.DONE
    help_request = services.help_request_feedback(
        help_request=help_request, user=asker_editor, helpful=True, feedback="Great"
    )
    assert help_request.helpful is True and help_request.feedback == "Great"
    with pytest.raises(services.PeerError, match="already"):
        services.help_request_feedback(help_request=help_request, user=asker_editor, helpful=False, feedback="")
    with pytest.raises(services.PeerError):
        services.help_request_withdraw(help_request=help_request, user=asker_editor)


def test_declined_requests_cannot_be_accepted(offer, asker_school, asker_editor, helper_editor):
    help_request = services.help_request_decline(help_request=send(asker_school, asker_editor), user=helper_editor)
    with pytest.raises(services.PeerError):
        services.help_request_accept(help_request=help_request, user=helper_editor)
    assert help_request.status == HelpRequest.Status.DECLINED


# --- Emails ---


def test_a_request_emails_the_helping_schools_editors_and_approvers_only(
    offer, asker_school, asker_editor, helper_approver, helper_editor, helper_viewer, trust_approver
):
    send(asker_school, asker_editor)
    messages = OutboxMessage.objects.filter(template_key="peer_request_received")
    assert sorted(m.to_email for m in messages) == ["eddie@helping.example", "hana@helping.example"]
    for message in messages:
        assert "ada@asking.example" not in str(message.personalisation)  # no address until accepted
        assert message.personalisation["asker_school"] == "Asking School"


def test_a_school_with_no_people_of_its_own_is_reached_through_its_trust(
    offer, asker_school, asker_editor, helper_approver, trust_approver
):
    helper_approver.is_active = False
    helper_approver.save()
    send(asker_school, asker_editor)
    assert [m.to_email for m in OutboxMessage.objects.filter(template_key="peer_request_received")] == [
        "tara@trust.example"
    ]


def test_accepting_emails_the_asker_the_helpers_address_and_declining_does_not(
    offer, asker_school, asker_editor, helper_editor
):
    services.help_request_accept(help_request=send(asker_school, asker_editor), user=helper_editor)
    accepted = OutboxMessage.objects.get(template_key="peer_request_accepted")
    assert accepted.to_email == "ada@asking.example"
    assert accepted.personalisation["helper_email"] == "eddie@helping.example"
    second = other_asker("610010")
    second_editor = person("bob@second.example", second, Role.EDITOR)
    services.help_request_decline(help_request=send(second, second_editor), user=helper_editor, reason="Busy")
    declined = OutboxMessage.objects.get(template_key="peer_request_declined")
    assert declined.to_email == "bob@second.example"
    assert "eddie@helping.example" not in str(declined.personalisation)


# --- Counts ---


def test_trust_sees_its_schools_offers_and_department_counts(offer, trust, asker_school, asker_editor, helper_editor):
    rows = selectors.offers_among(organisation=trust)
    assert [(r.establishment.urn, r.offer == offer, r.requirements_met) for r in rows] == [("610001", True, 2)]
    help_request = services.help_request_accept(help_request=send(asker_school, asker_editor), user=helper_editor)
    services.help_request_done(help_request=help_request, user=helper_editor)
    counts = selectors.national_counts()
    assert [(c.region, c.offers, c.requests, c.completed) for c in counts] == [("London", 1, 1, 1)]


def test_a_school_with_no_coordinates_still_finds_help_without_distances(offer):
    nowhere = EstablishmentFactory(urn="610020", ofsted_phase="Secondary")
    assess(nowhere, STANDARD, {REQUIREMENT: "does_not_meet"})
    found = selectors.helpers_for(
        establishment=nowhere, standard_key=STANDARD, requirement_key=REQUIREMENT, within_km=25, today=TODAY
    )
    assert [(h.establishment.urn, h.distance_km) for h in found] == [("610001", None)]
