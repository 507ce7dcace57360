"""Plan rules over every register fact (no database): line speed, all equipment with a support or
warranty end, servers with unknown support, device minimums, software renewals and licence counts."""

import datetime
from decimal import Decimal

from schooltech.planning import engine, rules
from schooltech.planning.models import Priority
from tests import plan_inputs as b

D = datetime.date


def _keys(actions):
    return sorted(a.key for a in actions)


def _facts(action, label):
    return [f.value for f in action.facts if f.label == label]


# --- broadband speed, without a self-assessment ---------------------------------------------------


def test_a_primary_full_fibre_line_contracted_below_100_30_is_upgraded_when_its_contract_ends():
    connection = b.connection(technology="fttp", contracted=(80.0, 20.0))
    inputs = b.inputs(contracts=(b.contract(),), connections=(connection,), gaps=())
    (action,) = rules.broadband_speed(inputs)
    assert action.key == "broadband-speed"
    assert (
        action.title
        == "Upgrade your main internet connection to at least 100 Mbps download and at least 30 Mbps upload"
    )
    assert action.due_date == D(2027, 7, 11)
    assert _facts(action, "Contracted speed") == ["80 Mbps download, 20 Mbps upload"]
    assert action.estimated_cost == Decimal("1500")


def test_a_secondary_gigabit_leased_line_that_tests_at_940_meets_the_standard():
    connection = b.connection(technology="leased_line", contracted=(1000.0, 1000.0), measured=(940.0, 930.0))
    assert list(rules.broadband_speed(b.inputs(phase_group="secondary", connections=(connection,)))) == []


def test_without_a_contracted_speed_a_test_can_show_the_line_meets_but_never_that_it_fails():
    reached = b.connection(technology="fttp", contracted=(None, None), measured=(1000.0, 1000.0))
    assert list(rules.broadband_speed(b.inputs(phase_group="secondary", connections=(reached,)))) == []
    short = b.connection(technology="fttp", contracted=(None, None), measured=(940.0, 930.0))
    (action,) = rules.broadband_speed(b.inputs(phase_group="secondary", connections=(short,)))
    assert action.key == "broadband-speed-unknown" and action.is_find_out


def test_copper_never_meets_even_at_the_speed_and_is_one_action_with_its_contract_notice():
    copper = b.connection(technology="fttc", contracted=(100.0, 30.0))
    (action,) = rules.broadband_speed(b.inputs(connections=(copper,), contracts=(b.contract(),)))
    assert action.title.startswith("Move your main internet connection to full fibre")
    only = [r for r in rules.RULES if r.key in ("contract_notice", "broadband_speed")]
    (merged,) = engine.build_plan(b.inputs(connections=(copper,), contracts=(b.contract(),)), rules=only)
    assert merged.key == "contract-notice:1" and merged.due_date == D(2027, 4, 12)


def test_without_a_contract_the_upgrade_is_planned_within_a_year_and_unknown_phase_waits():
    slow = b.connection(technology="fttp", contracted=(50.0, 10.0), contract_id=None)
    (action,) = rules.broadband_speed(b.inputs(connections=(slow,)))
    assert action.due_date == D(2027, 5, 11)
    assert list(rules.broadband_speed(b.inputs(phase_group=None, connections=(slow,)))) == []


# --- every kind of equipment --------------------------------------------------------------------


def test_ups_units_are_replaced_before_support_ends_like_network_kit():
    ups = b.kit("ups", 2, "APC Smart-UPS 1500", D(2027, 2, 1))
    (action,) = rules.network_kit_support(b.inputs(kit=(ups,)))
    assert action.title == "Replace 2 UPS units before APC Smart-UPS 1500 support ends on 1 February 2027"


def test_displays_and_printers_are_planned_and_unknown_support_is_found_out():
    display = b.kit("interactive_display", 6, "Promethean ActivPanel", D(2025, 12, 31))
    printer = b.kit("printer", 1, "Canon imageRUNNER", None)
    actions = list(rules.equipment_support(b.inputs(kit=(display, printer))))
    assert _keys(actions) == ["equipment-support-unknown", "equipment_support:interactive_display:now"]
    replace = next(a for a in actions if a.key.endswith(":now"))
    assert replace.title.startswith("Replace 6 interactive displays now")
    unknown = next(a for a in actions if a.is_find_out)
    assert _facts(unknown, "Printer or MFD") == ["1 with no support end"]


def test_a_warranty_ending_is_a_decision_before_it_ends_unless_the_kit_goes_first():
    ups = b.kit("ups", 1, "APC Smart-UPS", None, warranty_end=D(2027, 1, 15))
    (action,) = rules.warranties(b.inputs(kit=(ups,)))
    assert action.title == "Decide whether to extend the warranty on 1 UPS before it ends on 15 January 2027"
    assert action.due_date == D(2026, 12, 31)  # the end of the term before
    replaced_first = b.kit("edge_switch", 4, "Cisco", D(2026, 12, 1), warranty_end=D(2027, 6, 1))
    laptops = b.kit("laptop", 30, "Windows 11", None, warranty_end=D(2027, 6, 1))
    assert list(rules.warranties(b.inputs(kit=(replaced_first, laptops)))) == []


def test_servers_that_stay_with_an_unknown_support_end_are_found_out():
    stays = b.server(pk=1, movable=False, support_end=None)
    maybe = b.server(pk=2, movable=None, support_end=None)
    moving = b.server(pk=3, movable=True, support_end=None)
    actions = [
        a for a in rules.cloud_migration(b.inputs(servers=(stays, maybe, moving))) if a.key == "server-support-unknown"
    ]
    (action,) = actions
    assert action.title == "Find out when 2 servers stop getting security updates"
    assert action.priority == Priority.SECURITY and action.is_find_out
    (one,) = [a for a in rules.cloud_migration(b.inputs(servers=(stays,))) if a.key == "server-support-unknown"]
    assert one.title == "Find out when 1 server stops getting security updates"


def test_grouped_device_work_is_one_action_listing_each_model_and_date():
    tablets = (
        b.kit("tablet", 30, "iPadOS 16", D(2027, 6, 15)),
        b.kit("tablet", 12, "iPadOS 17", D(2027, 9, 15)),
    )
    actions = list(rules.device_support(b.inputs(kit=tablets)))
    assert len(actions) == 1
    assert actions[0].title.startswith("Replace or upgrade 42 tablets before their support ends")
    assert _facts(actions[0], "Includes") == [
        "30 × iPadOS 16, support ends 15 June 2027",
        "12 × iPadOS 17, support ends 15 September 2027",
    ]


# --- device minimums, against the next purchase ---------------------------------------------------


def test_devices_below_the_minimums_are_flagged_against_the_next_purchase_not_replaced_now():
    laptops = b.kit("laptop", 30, "Windows 11 24H2", D(2027, 10, 12))
    short = b.minimums(not_met=("a warranty of at least 3 years",), unknown=("Wi-Fi 802.11ac Wave 2 or newer",))
    (action,) = rules.device_minimums(b.inputs(kit=(laptops,), device_minimums=(short,)))
    assert action.title == "When you next buy laptops, make sure they have a warranty of at least 3 years"
    assert action.due_date == D(2027, 8, 31)  # with the laptops' replacement, the term before support ends
    assert _facts(action, "Missed by devices in use") == ["a warranty of at least 3 years: 30 laptops"]
    assert _facts(action, "Not recorded") == ["Wi-Fi 802.11ac Wave 2 or newer: 30 laptops"]
    assert "no reason to replace them now" in action.why


def test_with_no_replacement_planned_the_minimums_are_due_before_the_next_budget_and_unknowns_alone_say_nothing():
    tablet = b.minimums("tablet", 1, not_met=("at least 3 years of updates from purchase",))
    (action,) = rules.device_minimums(b.inputs(device_minimums=(tablet,)))
    assert action.due_date == D(2027, 3, 31)
    assert "1 tablet" in _facts(action, "Missed by devices in use")[0]
    assert list(rules.device_minimums(b.inputs(device_minimums=(b.minimums(unknown=("x",)),)))) == []


# --- software and licences ------------------------------------------------------------------------


def test_a_software_renewal_is_decided_a_month_before_with_its_licence_counts():
    service = b.service("Maths app", pk=5, renewal_date=D(2026, 9, 1), licences_bought=50, licences_used=40)
    (action,) = rules.software_renewals(b.inputs(services=(service,)))
    assert (
        action.title
        == "Decide whether to renew Maths app before 1 September 2026 and whether to drop 10 unused licences"
    )
    assert action.due_date == D(2026, 8, 2)
    assert _facts(action, "Licences") == ["50 bought, 40 in use"]


def test_a_past_renewal_date_rolls_on_a_year_and_a_contract_plans_its_own_renewal():
    past = b.service("Reading app", pk=6, renewal_date=D(2026, 1, 10))
    (action,) = rules.software_renewals(b.inputs(services=(past,)))
    assert action.key == "software-renewal:6:2027-01-10"
    linked = b.service("MIS", pk=7, renewal_date=D(2026, 9, 1), contract_id=1)
    assert list(rules.software_renewals(b.inputs(services=(linked,), contracts=(b.contract(),)))) == []


def test_more_licences_in_use_than_bought_is_dealt_with_now():
    service = b.service("Office", pk=8, renewal_date=D(2027, 1, 1), licences_bought=100, licences_used=101)
    short = next(
        a for a in rules.software_renewals(b.inputs(services=(service,))) if a.key.startswith("licences-short")
    )
    assert short.title == "Buy 1 more licence for Office, or free some: 100 bought, 101 in use"
    assert short.due_date == b.TODAY.replace(month=8, day=31) and short.priority == Priority.SECURITY


def test_services_without_a_renewal_date_or_contract_are_one_find_out():
    services = (b.service("Email", pk=1), b.service("Quiz", pk=2), b.service("Paid", pk=3, renewal_date=D(2026, 12, 1)))
    unknown = [a for a in rules.software_renewals(b.inputs(services=services)) if a.is_find_out]
    (action,) = unknown
    assert action.title == "Find out when 2 software and cloud services renew"
    assert _facts(action, "No renewal date") == ["Email, Quiz"]


def test_plural_keeps_acronyms_and_knows_its_irregular_nouns():
    assert rules.plural("UPS", 1) == "UPS" and rules.plural("UPS", 3) == "UPS units"
    assert rules.plural("Printer or MFD", 2) == "printers or MFDs"
    assert rules.plural("Wireless access point", 2) == "wireless access points"
    assert rules.plural("Laptop", 1) == "laptop" and rules.plural("Switch", 2) == "switches"


# --- what the plan does not use -------------------------------------------------------------------


def test_every_recorded_fact_drives_an_action_or_is_listed_as_not_used_with_why():
    ended = b.contract(pk=2, title="Old phones", covers=(), end_date=D(2025, 1, 1), auto_renews=False)
    later = b.contract(pk=3, title="Long lease", covers=(), end_date=D(2035, 1, 1), auto_renews=False)
    planned = b.contract(pk=4, title="IT support", covers=(), end_date=D(2027, 3, 31))
    long_life = b.kit("laptop", 40, "Windows 11 25H2", D(2032, 10, 10))
    ups = b.kit("ups", 1, "APC", D(2035, 1, 1), warranty_end=D(2027, 1, 1))  # its warranty is planned
    server = b.server(pk=9, movable=False, support_end=D(2033, 1, 1))
    later_service = b.service("Library", pk=11, renewal_date=D(2032, 1, 1))
    no_date = b.service("Quiz", pk=12)
    inputs = b.inputs(
        contracts=(ended, later, planned), kit=(long_life, ups), servers=(server,), services=(later_service, no_date)
    )
    actions = engine.build_plan(inputs)
    unused = {f.label: f.value for f in engine.not_used(inputs, actions)}
    assert unused == {
        "Copper Broadband Ltd: Old phones": "Ended on 1 January 2025: nothing to decide",
        "Copper Broadband Ltd: Long lease": "Its next decision falls after the plan ends, on 11 May 2031",
        "40 laptops (Windows 11 25H2)": "Supported until 10 October 2032, after the plan ends on 11 May 2031",
        "Dell PowerEdge T140 (SRV-01)": "Stays on site, supported until 1 January 2033",
        "Library": "Renews after the plan ends, on 11 May 2031, and needs nothing before",
    }


def test_connections_that_need_nothing_and_the_information_asset_register_are_listed_as_not_used():
    fibre = b.connection(pk=1, technology="fttp", contracted=(500.0, 100.0), failover=True)
    backup = b.connection(pk=2, technology="mobile", primary=False, contract_id=None, failover=True)
    inputs = b.inputs(connections=(fibre, backup), information_assets=3)
    unused = {f.label: f.value for f in engine.not_used(inputs, engine.build_plan(inputs))}
    assert unused["Copper Broadband Ltd Full fibre (FTTP)"].startswith("Meets the broadband speed for your phase")
    assert unused["Copper Broadband Ltd 4G or 5G"].startswith("A backup of a different type")
    assert unused["3 information assets"].startswith("Where personal data is kept")

    no_phase = b.inputs(connections=(fibre, backup), phase_group=None)
    unused = {f.label: f.value for f in engine.not_used(no_phase, engine.build_plan(no_phase))}
    not_judged = "Its speed is not judged: the school's phase is not known"
    assert unused["Copper Broadband Ltd Full fibre (FTTP)"] == not_judged


def test_connections_an_action_names_are_not_listed_as_not_used():
    slow = b.connection(pk=1, technology="fttc")  # copper and alone: speed and backup actions name it
    inputs = b.inputs(connections=(slow,))
    actions = engine.build_plan(inputs)
    assert {"broadband-speed", "broadband-backup"} <= {action.key for action in actions}
    assert not [fact for fact in engine.not_used(inputs, actions) if fact.source == "Internet connections register"]


def test_a_web_filtering_renewal_takes_the_safeguarding_priority():
    service = b.service("Web filtering", pk=9, renewal_date=D(2026, 12, 1))
    (action,) = rules.software_renewals(b.inputs(services=(service,)))
    assert (action.category, action.priority) == ("safeguarding", Priority.STATUTORY)


def test_titles_in_a_sentence_keep_their_acronyms():
    (action,) = rules.unassessed_standards(b.inputs(unassessed=(b.standard("it_support"),)))
    assert action.title == "Complete the it support self-assessment"  # the builder's title is "It support"
    assert rules.in_sentence("IT support") == "IT support"
    assert rules.in_sentence("Wi-Fi and Cloud") == "Wi-Fi and cloud"
    assert rules.in_sentence("Laptops, desktops and tablets") == "laptops, desktops and tablets"
    one = b.service("Email", location="unknown")
    assert next(rules.cloud_security(b.inputs(services=(one,)))).title.endswith("1 cloud service holds your data")
