"""The weekly digest: what is due in the next 4 weeks, for the kinds each person chose weekly."""

import datetime

import pytest

from schooltech.notifications import registry, reminders
from schooltech.notifications.models import WEEKLY_DIGEST, OutboxMessage, SentReminder
from schooltech.planning import reminders as plan_reminders
from schooltech.planning.models import Plan, PlanAction
from tests.factories import ContractFactory, UserFactory, make_access_request

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
ALL_WEEKLY = {
    "contract_notice": "weekly",
    "plan_action_due": "weekly",
    "standards_duty": "weekly",
    "access_request_waiting": "weekly",
}


def contract(school, deadline, supplier="Acme Broadband Ltd", **fields):
    return ContractFactory(
        establishment=school,
        supplier=supplier,
        title="Broadband",
        end_date=deadline + 30 * DAY,
        notice_days=30,
        **fields,
    )


def action(school, due, title, **fields):
    plan, _ = Plan.objects.get_or_create(establishment=school)
    return PlanAction.objects.create(
        plan=plan, establishment=school, key=f"test:{title}", title=title, why="", due_date=due, **fields
    )


def digests():
    return list(OutboxMessage.objects.filter(template_key="weekly_digest").order_by("pk"))


def test_a_digest_lists_what_is_due_in_the_next_4_weeks(school, editor, prefer, now, today):
    prefer(editor, **ALL_WEEKLY)
    contract(school, today + 27 * DAY)
    contract(school, today + 29 * DAY, supplier="Too Far Ltd")
    action(school, today - 3 * DAY, "Replace the firewall")
    action(school, today + 20 * DAY, "Buy 30 laptops", owner="School business manager")
    action(school, today + 40 * DAY, "Later")

    assert reminders.weekly_digest(now=now) == 1

    [digest] = digests()
    assert digest.to_email == "editor@oak.example"
    assert digest.personalisation["week_start"] == "1 March 2027"
    assert digest.personalisation["items"] == (
        "Contract notice deadlines:\n\n"
        "* Oak Primary School: give notice on the Acme Broadband Ltd contract (Broadband) by 28 March 2027\n\n"
        "Technology plan actions:\n\n"
        "* Oak Primary School: Replace the firewall, due 26 February 2027 (overdue)\n"
        "* Oak Primary School: Buy 30 laptops, due 21 March 2027 (owner: School business manager)"
    )
    assert digest.personalisation["service_url"] == "http://127.0.0.1:8000/"


def test_only_the_kinds_chosen_weekly_are_in_the_digest_and_the_rest_come_at_once(school, editor, prefer, now, today):
    prefer(editor, contract_notice="weekly", plan_action_due="immediately")
    contract(school, today + 10 * DAY)
    action(school, today + 5 * DAY, "Replace the firewall")

    counts = dict(reminders.enqueue_due(now=now))

    assert counts["contract notice deadlines"] == 0
    assert counts["technology plan actions due"] == 1
    assert counts["weekly digests"] == 1
    [digest] = digests()
    assert digest.personalisation["items"].startswith("Contract notice deadlines:")
    assert "Replace the firewall" not in digest.personalisation["items"]


def test_people_who_chose_nothing_weekly_get_no_digest(school, editor, approver, prefer, now, today):
    prefer(approver, contract_notice="never", plan_action_due="immediately")
    contract(school, today + 10 * DAY)
    assert reminders.weekly_digest(now=now) == 0
    assert not SentReminder.objects.filter(kind=WEEKLY_DIGEST).exists()


def test_one_digest_a_week_even_if_the_scheduler_runs_every_day(school, editor, prefer, now, today):
    prefer(editor, plan_action_due="weekly")
    action(school, today + 3 * DAY, "Replace the firewall")

    assert reminders.weekly_digest(now=now) == 1
    assert reminders.weekly_digest(now=now) == 0
    assert reminders.weekly_digest(now=now + 6 * DAY) == 0
    assert reminders.weekly_digest(now=now + 7 * DAY) == 1  # the next Monday


def test_a_missed_monday_is_caught_up_later_that_week(school, editor, prefer, now, today):
    prefer(editor, plan_action_due="weekly")
    action(school, today + 10 * DAY, "Replace the firewall")

    assert reminders.weekly_digest(now=now + 2 * DAY) == 1
    assert digests()[0].personalisation["week_start"] == "1 March 2027"


def test_an_empty_week_sends_nothing_and_is_recorded(school, editor, prefer, now, today):
    prefer(editor, plan_action_due="weekly")

    assert reminders.weekly_digest(now=now) == 0
    ledger = SentReminder.objects.get(kind=WEEKLY_DIGEST)
    assert (ledger.user, ledger.occurrence, ledger.message) == (editor, today, None)
    action(school, today + 3 * DAY, "Added on Tuesday")
    assert reminders.weekly_digest(now=now + DAY) == 0  # that week's digest has been considered
    assert reminders.weekly_digest(now=now + 7 * DAY) == 1


def test_a_trust_director_gets_every_academy_in_one_digest_and_nothing_from_elsewhere(
    member, prefer, now, today, other_school
):
    from tests.factories import AcademyFactory

    first = AcademyFactory(name="Ash Academy")
    second = AcademyFactory(name="Birch Academy", trust=first.trust)
    director = member("director@trust.example", first.trust, "approver")
    prefer(director, **ALL_WEEKLY)
    action(first, today + 2 * DAY, "Ash action")
    action(second, today + DAY, "Birch action")
    action(other_school, today + DAY, "Elsewhere")
    waiting = make_access_request(UserFactory(first_name="Ada", last_name="Asker"), first.trust)
    type(waiting).objects.filter(pk=waiting.pk).update(created_at=now - 2 * DAY)
    make_access_request(UserFactory(), first)  # the academy's own approvers decide this one

    assert reminders.weekly_digest(now=now) == 1

    items = digests()[0].personalisation["items"]
    assert "* Birch Academy: Birch action, due 2 March 2027\n* Ash Academy: Ash action, due 3 March 2027" in items
    assert "Elsewhere" not in items
    assert "Access requests waiting for you:\n\n* " in items
    assert f"{first.trust.name}: Ada Asker has waited 2 days for access" in items
    assert items.count("has waited") == 1


def test_a_viewer_is_told_only_about_what_they_own(school, viewer, outsider, prefer, now, today):
    prefer(viewer, **ALL_WEEKLY)
    prefer(outsider, **ALL_WEEKLY)
    action(school, today + DAY, "Governors' report", owner="governor@oak.example")
    action(school, today + DAY, "Someone else's")
    contract(school, today + 5 * DAY, owner="it@elm.example")

    assert reminders.weekly_digest(now=now) == 1

    [digest] = digests()
    assert digest.to_email == "governor@oak.example"
    assert "Governors' report" in digest.personalisation["items"]
    assert "Someone else's" not in digest.personalisation["items"]
    assert "Acme" not in digest.personalisation["items"]


def test_standards_duties_appear_in_the_last_4_weeks_of_term(school, editor, prefer, today):
    from django.utils import timezone

    from schooltech.standards.models import CatalogueVersion, Duty, Standard

    version = CatalogueVersion.objects.create(label="test", digest="e" * 64, is_current=True)
    standard = Standard.objects.create(
        version=version,
        key="cyber",
        position=1,
        title="Cyber security",
        summary="",
        guidance_url="https://x/",
        first_question="q",
    )
    Duty.objects.create(
        version=version,
        standard=standard,
        key="accounts",
        title="Review user accounts",
        cadence="termly",
        usually_done_by="IT lead",
    )
    Plan.objects.create(establishment=school)
    prefer(editor, standards_duty="weekly")

    def run(day):
        return reminders.weekly_digest(now=timezone.make_aware(datetime.datetime.combine(day, datetime.time(7))))

    assert run(datetime.date(2027, 2, 22)) == 0  # spring term ends 31 March: more than 4 weeks away
    assert run(datetime.date(2027, 3, 8)) == 1
    assert digests()[0].personalisation["items"] == (
        "Checks for the digital and technology standards:\n\n"
        "* Oak Primary School: Review user accounts, due 31 March 2027"
    )


def test_a_long_section_is_cut_short_with_a_count(school, editor, prefer, now, today):
    prefer(editor, plan_action_due="weekly")
    for number in range(reminders.DIGEST_ITEMS_PER_SECTION + 3):
        action(school, today + DAY, f"Action {number:02d}")

    reminders.weekly_digest(now=now)

    items = digests()[0].personalisation["items"]
    assert items.count("\n* ") == reminders.DIGEST_ITEMS_PER_SECTION
    assert items.endswith("and 3 more. Sign in to see them all.")


def test_the_preferences_page_says_when_the_weekly_summary_comes_and_what_it_holds(client, editor):
    client.force_login(editor)
    response = client.get("/account/email-preferences")
    assert "The weekly summary comes on Mondays" in response.content.decode()
    assert "what is due in the next 4 weeks" in response.content.decode()


def test_a_choice_saved_on_the_preferences_page_moves_a_kind_into_the_digest(client, school, editor, now, today):
    action(school, today + DAY, "Replace the firewall")
    client.force_login(editor)
    choices = {kind.key: "immediately" for kind in registry.reminder_kinds(user=editor)}
    choices |= {"plan_action_due": "weekly", "access_request_waiting": "never"}
    assert client.post("/account/email-preferences", choices).status_code == 302

    assert plan_reminders.plan_actions_due(now=now) == 0
    assert reminders.weekly_digest(now=now) == 1
