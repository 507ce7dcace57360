"""Each plan rule on its own, with inputs made by hand (no database)."""

import datetime
from decimal import Decimal

import pytest

from schooltech.planning import engine, rules
from schooltech.planning.inputs import DutyDone
from schooltech.planning.models import Priority
from tests import plan_inputs as b

D = datetime.date


def _only(actions, prefix):
    found = [a for a in actions if a.key.startswith(prefix)]
    assert len(found) == 1, [a.key for a in actions]
    return found[0]


# --- contracts and broadband -------------------------------------------------------------------


def test_fttc_contract_ending_in_14_months_gives_notice_date_and_full_fibre_with_the_phase_speed():
    inputs = b.inputs(contracts=(b.contract(),), connections=(b.connection(),))
    action = _only(list(rules.contract_notice(inputs)), "contract-notice:1")
    assert action.due_date == D(2027, 4, 12)  # 11 July 2027 less 90 days
    assert action.title == (
        "Give notice by 12 April 2027 and move to full fibre meeting at least 100 Mbps download and at least "
        "30 Mbps upload"
    )
    assert action.category == "broadband" and action.priority == Priority.CORE_2030
    assert action.estimated_cost == Decimal("1500")
    assert action.event_date == D(2027, 7, 11)
    facts = {f.label: f.value for f in action.facts}
    assert facts["Notice period"] == "90 days"
    assert facts["Connection"] == "Copper Broadband Ltd Fibre to the cabinet (FTTC)"
    assert all(f.source for f in action.facts)


def test_a_secondary_school_is_told_the_gigabit_speed():
    inputs = b.inputs(phase_group="secondary", contracts=(b.contract(),), connections=(b.connection(),))
    action = _only(list(rules.contract_notice(inputs)), "contract-notice:1")
    assert "capacity for 1 Gbps download and 1 Gbps upload" in action.title
    assert action.estimated_cost == Decimal("6000")


def test_no_backup_connection_adds_one_of_a_different_type_alongside_the_new_line():
    inputs = b.inputs(contracts=(b.contract(),), connections=(b.connection(),))
    action = _only(list(rules.broadband_backup(inputs)), "broadband-backup")
    assert action.title == "Add a backup connection of a different type, with automatic failover"
    assert action.due_date == D(2027, 7, 11)
    assert action.estimated_cost == Decimal("900")


def test_a_backup_of_the_same_type_does_not_count():
    connections = (b.connection(), b.connection(pk=2, technology="fttc", primary=False, contract_id=None))
    assert [a.key for a in rules.broadband_backup(b.inputs(connections=connections))] == ["broadband-backup"]


def test_a_backup_of_another_type_without_failover_asks_for_failover_only():
    connections = (b.connection(), b.connection(pk=2, technology="mobile", primary=False, contract_id=None))
    assert [a.key for a in rules.broadband_backup(b.inputs(connections=connections))] == ["broadband-failover"]
    with_failover = (b.connection(), b.connection(pk=2, technology="mobile", primary=False, failover=True))
    assert list(rules.broadband_backup(b.inputs(connections=with_failover))) == []


def test_an_ordinary_contract_asks_for_a_renewal_decision_by_its_notice_date():
    contract = b.contract(pk=3, supplier="Support Co", title="IT support", covers=(), end_date=D(2027, 3, 31))
    action = _only(list(rules.contract_notice(b.inputs(contracts=(contract,)))), "contract-notice:3")
    assert action.title == (
        "Decide whether to renew “Support Co: IT support”: give notice by 31 December 2026 or it renews for 1 year"
    )
    assert "renews automatically" in action.why
    assert action.estimated_cost == Decimal("1200.00")


def test_a_passed_notice_date_says_speak_to_the_supplier_now():
    contract = b.contract(pk=4, covers=(), end_date=D(2026, 7, 1), notice_days=90, auto_renews=False)
    action = _only(list(rules.contract_notice(b.inputs(contracts=(contract,)))), "contract-notice:4")
    assert "passed on 2 April 2026" in action.title
    assert action.due_date == b.TODAY.replace(month=8, day=31)


def test_missing_contract_dates_produce_find_out_actions():
    no_end = b.contract(pk=5, end_date=None)
    no_notice = b.contract(pk=6, notice_days=None)
    actions = list(rules.contract_notice(b.inputs(contracts=(no_end, no_notice))))
    assert {a.key for a in actions} == {"contract-end-unknown:5", "contract-notice-unknown:6"}
    assert all(a.is_find_out for a in actions)


def test_contracts_ended_or_beyond_the_horizon_are_left_out():
    ended = b.contract(pk=8, end_date=D(2026, 1, 1), auto_renews=False)
    later = b.contract(pk=9, end_date=D(2032, 1, 1))
    assert list(rules.contract_notice(b.inputs(contracts=(ended, later)))) == []


# --- kit losing support -------------------------------------------------------------------------


def test_120_laptops_whose_operating_system_lost_support_are_replaced_now_and_costed():
    action = _only(list(rules.device_support(b.inputs(kit=(b.kit(),)))), "device_support:")
    assert action.title == "Replace or upgrade 120 laptops now: Windows 10 support ended on 14 October 2025"
    assert action.due_date == D(2026, 8, 31)
    assert action.estimated_cost == Decimal("72000")
    assert action.cost_basis == "120 × £600 (laptop, price table)"
    assert action.priority == Priority.SECURITY


def test_devices_losing_support_later_are_replaced_the_term_before():
    group = b.kit(quantity=30, description="Windows 11 24H2", support_end=D(2027, 10, 12))
    action = _only(list(rules.device_support(b.inputs(kit=(group,)))), "device_support:")
    assert action.title.startswith("Replace or upgrade 30 laptops before Windows 11 24H2 support ends")
    assert action.due_date == D(2027, 8, 31)  # end of the summer term before the autumn term it ends in


def test_devices_with_no_known_support_end_become_a_find_out_action():
    group = b.kit(quantity=12, description="ChromeOS", support_end=None)
    actions = list(rules.device_support(b.inputs(kit=(group,))))
    assert [a.key for a in actions] == ["device-support-unknown"]
    assert actions[0].title == "Find out when 12 devices stop getting security updates"
    assert actions[0].is_find_out


@pytest.mark.parametrize(
    ("rule", "category", "title"),
    [
        (rules.device_support, "laptop", "Find out when 1 device stops getting security updates"),
        (rules.network_kit_support, "edge_switch", "Find out when 1 network device stops getting security updates"),
        (
            rules.equipment_support,
            "printer",
            "Find out when 1 display, printer or other item stops getting security updates",
        ),
    ],
)
def test_one_item_with_no_known_support_end_is_named_in_the_singular(rule, category, title):
    group = b.kit(quantity=1, category=category, description="Unknown model", support_end=None)
    (action,) = [a for a in rule(b.inputs(kit=(group,))) if a.is_find_out]
    assert action.title == title


def test_a_core_switch_out_of_firmware_support_is_replaced_with_the_network_buying_route():
    switch = b.kit(category="core_switch", quantity=1, description="Cisco Catalyst 3750", support_end=D(2024, 1, 31))
    action = _only(list(rules.network_kit_support(b.inputs(kit=(switch,)))), "network_kit_support:")
    assert action.title == "Replace 1 core switch now: Cisco Catalyst 3750 support ended on 31 January 2024"
    assert action.category == "network" and action.estimated_cost == Decimal("8000")
    routes = engine.suggest_routes(action.category, b.ROUTES)
    assert routes == ["everything-ict", "ict-storage-network", "own-procurement"]


def test_kit_supported_beyond_the_horizon_needs_nothing():
    group = b.kit(support_end=D(2040, 1, 1))
    assert list(rules.device_support(b.inputs(kit=(group,)))) == []


# --- recurring duties -----------------------------------------------------------------------------


def test_a_duty_never_recorded_falls_due_now_once_and_says_so():
    termly, annual = b.duty(), b.duty("filtering_monitoring_review", "annual", "filtering_monitoring")
    actions = {a.key: a for a in rules.recurring_duties(b.inputs(duties=(termly, annual)))}
    assert set(actions) == {"duty:cyber_risk_review:not-recorded", "duty:filtering_monitoring_review:not-recorded"}
    assert actions["duty:cyber_risk_review:not-recorded"].due_date == D(2026, 8, 31)  # the end of this term
    assert actions["duty:filtering_monitoring_review:not-recorded"].due_date == D(2026, 8, 31)  # by 31 December 2025
    facts = {f.label: f.value for f in actions["duty:cyber_risk_review:not-recorded"].facts}
    assert facts["Last done"] == "Not recorded"


def test_a_termly_duty_is_next_due_by_the_end_of_the_term_after_it_was_last_done():
    done = DutyDone("cyber_risk_review", D(2026, 4, 20), "Jo Lead")  # summer term 2026
    [action] = rules.recurring_duties(b.inputs(duties=(b.duty(),), duties_done=(done,)))
    assert action.key == "duty:cyber_risk_review:2026-12-31"
    assert (action.due_date, action.title) == (D(2026, 12, 31), "Duty cyber_risk_review")
    assert "Last done on 20 April 2026 by Jo Lead, so the next one is due by 31 December 2026." in action.why
    assert action.priority == Priority.SECURITY


def test_an_annual_duty_past_its_date_is_overdue_since_then_and_due_now():
    duty = b.duty("filtering_monitoring_review", "annual", "filtering_monitoring")
    done = DutyDone("filtering_monitoring_review", D(2025, 3, 14), "")
    [action] = rules.recurring_duties(b.inputs(duties=(duty,), duties_done=(done,)))
    assert action.title == "Duty filtering_monitoring_review: overdue since 14 March 2026"
    assert action.key == "duty:filtering_monitoring_review:2026-03-14"
    assert action.due_date == D(2026, 8, 31)  # now
    assert action.priority == Priority.STATUTORY
    assert "It is overdue: do it now." in action.why


def test_only_the_next_occurrence_is_planned_and_statutory_duties_come_first():
    termly = b.duty()
    statutory = b.duty("filtering_monitoring_review", "annual", "filtering_monitoring")
    actions = engine.build_plan(b.inputs(duties=(termly, statutory)))
    duties = [a for a in actions if a.rule_key == "recurring_duties"]
    assert [a.key for a in duties] == [
        "duty:filtering_monitoring_review:not-recorded",
        "duty:cyber_risk_review:not-recorded",
    ]


# --- standards ------------------------------------------------------------------------------------


def test_unmet_requirements_are_dated_by_when_they_must_be_met():
    inputs = b.inputs(
        contracts=(b.contract(),),
        gaps=(
            b.gap("filtering_monitoring", "annual_review", "now"),
            b.gap("broadband", "full_fibre", "end_of_contract"),
            b.gap("wireless", "coverage", "by_2030"),
            b.gap("cabling", "cat6a", "when_upgrading", core=False),
        ),
    )
    actions = {a.key: a for a in rules.unmet_requirements(inputs)}
    now = actions["requirement:filtering_monitoring:annual_review"]
    assert (now.due_date, now.priority) == (D(2026, 8, 31), Priority.STATUTORY)
    assert actions["requirement:broadband:full_fibre"].due_date == D(2027, 7, 11)
    assert actions["requirement:wireless:coverage"].due_date == D(2029, 12, 31)
    assert actions["requirement:cabling:cat6a"].due_date == inputs.horizon_end
    facts = {f.label: f.value for f in actions["requirement:broadband:full_fibre"].facts}
    assert facts["Where the school stands"] == "Does not meet"
    assert facts["Reason"] == "Your connection is copper"


def test_a_strategy_needed_before_the_next_budget_cycle_is_due_by_31_march():
    gap = b.gap("digital_leadership", "strategy", "before_budget")
    in_autumn = next(rules.unmet_requirements(b.inputs(today=D(2026, 10, 1), gaps=(gap,))))
    assert in_autumn.due_date == D(2027, 3, 31)
    assert "before your next budget cycle" in in_autumn.why
    late_in_spring = next(rules.unmet_requirements(b.inputs(today=D(2027, 3, 20), gaps=(gap,))))
    assert late_in_spring.due_date == D(2027, 8, 31)  # too late for this cycle: by the end of next term


def test_ended_routes_are_not_suggested_but_routes_ending_later_still_are():
    ended = b.Route("g-cloud-14", "G-Cloud 14", ("cloud",), True, D(2026, 10, 28), 0)
    open_until_2030 = b.Route("g-cloud", "G-Cloud 15 (RM1557.15)", ("cloud",), True, D(2030, 9, 16), 1)
    unknown_end = b.Route("own", "Run your own procurement", ("cloud",), False, None, 2)
    routes = [ended, open_until_2030, unknown_end]
    assert engine.routes_open_on(routes, D(2026, 12, 1)) == [open_until_2030, unknown_end]
    assert engine.routes_open_on(routes, D(2026, 10, 28)) == routes


def test_end_of_contract_without_a_recorded_contract_says_so_and_allows_a_year():
    action = next(rules.unmet_requirements(b.inputs(gaps=(b.gap(),))))
    assert action.due_date == D(2027, 5, 11)
    assert "does not say when" in action.why


def test_a_filtering_and_firewall_gap_in_broadband_is_safeguarding():
    action = next(rules.unmet_requirements(b.inputs(gaps=(b.gap("broadband", "filtering_firewall", "now"),))))
    assert action.priority == Priority.STATUTORY


def test_standards_not_assessed_ask_for_a_self_assessment():
    inputs = b.inputs(unassessed=(b.standard("filtering_monitoring"), b.standard("accessibility", core=False)))
    actions = {a.key: a for a in rules.unassessed_standards(inputs)}
    assert actions["assess:filtering_monitoring"].due_date == D(2026, 8, 31)
    assert actions["assess:accessibility"].due_date == D(2026, 12, 31)
    assert all(a.is_find_out for a in actions.values())


# --- servers and cloud ------------------------------------------------------------------------------


def test_a_file_server_that_could_move_gets_five_ordered_steps_with_the_cloud_route():
    actions = list(rules.cloud_migration(b.inputs(servers=(b.server(),))))
    assert [a.step for a in actions] == [1, 2, 3, 4, 5]
    assert "UK or the EU" in actions[0].title
    assert "single sign-on" in actions[1].title
    assert "export" in actions[2].title
    assert actions[3].title.startswith("Step 4 of 5: Move the data")
    assert actions[4].title.startswith("Step 5 of 5: Retire")
    dues = [a.due_date for a in actions]
    assert dues == sorted(dues) and len(set(dues)) == 5
    assert dues[0] == D(2027, 4, 30)  # 9 months before support ends on 31 January 2028
    assert actions[3].estimated_cost == Decimal("4000") and actions[4].category == "disposal"
    assert engine.suggest_routes(actions[0].category, b.ROUTES)[:2] == ["everything-ict", "g-cloud"]


def test_a_server_not_known_to_be_movable_asks_to_find_out():
    action = next(rules.cloud_migration(b.inputs(servers=(b.server(movable=None),))))
    assert action.is_find_out and action.key == "cloud-candidate-unknown:7"


def test_a_server_that_must_stay_is_replaced_before_support_ends():
    action = next(rules.cloud_migration(b.inputs(servers=(b.server(movable=False),))))
    assert action.title.startswith("Replace 1 server before")


def test_cloud_services_without_mfa_or_a_known_data_location():
    services = (b.service("Email", mfa=False), b.service("MIS", location="unknown"), b.service("Files", "on_premises"))
    actions = {a.key: a for a in rules.cloud_security(b.inputs(services=services))}
    assert actions["cloud-mfa"].title == "Turn on multi-factor authentication for 1 cloud service"
    assert actions["cloud-data-location"].is_find_out


# --- missing facts ----------------------------------------------------------------------------------


def test_empty_registers_each_produce_a_find_out_action():
    actions = list(rules.missing_registers(b.inputs(registers=frozenset())))
    assert {a.key for a in actions} == {
        "register-missing:connections",
        "register-missing:assets",
        "register-missing:contracts",
        "register-missing:services",
    }
    assert all(a.is_find_out for a in actions)
    assert list(rules.missing_registers(b.inputs())) == []


def test_a_school_with_nothing_recorded_still_gets_a_plan_of_find_out_actions():
    plan = engine.build_plan(b.inputs(registers=frozenset(), unassessed=(b.standard("broadband"),)))
    assert plan and all(a.is_find_out for a in plan)


# --- the engine -------------------------------------------------------------------------------------


def _everything():
    return b.inputs(
        contracts=(b.contract(),),
        connections=(b.connection(),),
        kit=(b.kit(), b.kit(category="core_switch", quantity=1, description="Old switch", support_end=D(2024, 1, 1))),
        servers=(b.server(),),
        services=(b.service(mfa=False),),
        duties=(b.duty(), b.duty("filtering_monitoring_review", "annual", "filtering_monitoring")),
        gaps=(b.gap(),),
        unassessed=(b.standard(),),
    )


def test_the_engine_is_deterministic_sorted_and_within_the_horizon():
    first, second = engine.build_plan(_everything()), engine.build_plan(_everything())
    assert first == second
    assert [engine.sort_key(a) for a in first] == sorted(engine.sort_key(a) for a in first)
    assert len({a.key for a in first}) == len(first)
    assert max(a.due_date for a in first) <= _everything().horizon_end
    assert {a.rule_key for a in first} >= {"contract_notice", "device_support", "recurring_duties", "cloud_migration"}


def test_every_registered_rule_has_a_unique_key_and_an_explanation():
    keys = [rule.key for rule in rules.RULES]
    assert len(keys) == len(set(keys))
    assert all(rule.name and rule.explains for rule in rules.RULES)


def test_now_falls_due_at_the_end_of_the_term_or_the_next_when_it_ends_within_four_weeks():
    assert b.inputs(today=D(2026, 5, 11)).now_due == D(2026, 8, 31)
    assert b.inputs(today=D(2026, 8, 10)).now_due == D(2026, 12, 31)
    assert b.inputs(today=D(2027, 3, 3)).now_due == D(2027, 3, 31)
    assert b.inputs(today=D(2027, 3, 4)).now_due == D(2027, 8, 31)


def test_routes_ending_before_a_purchase_are_flagged():
    ending = engine.Route("old", "Old framework", ("devices",), True, D(2026, 12, 31))
    routes = {"old": ending, "g-cloud": b.ROUTES[1]}
    assert engine.routes_ending_before(["old", "g-cloud"], routes, D(2027, 1, 1)) == [ending]
    assert engine.routes_ending_before(["old"], routes, D(2026, 12, 31)) == []


def test_devices_losing_support_in_the_same_term_are_one_action():
    groups = (
        b.kit(quantity=3, description="ChromeOS", support_end=D(2026, 6, 1)),
        b.kit(quantity=2, description="ChromeOS", support_end=D(2026, 7, 15)),
        b.kit(quantity=4, description="ChromeOS", support_end=D(2028, 2, 1)),
    )
    actions = list(rules.device_support(b.inputs(kit=groups)))
    assert len(actions) == 2
    assert (
        actions[0].title
        == "Replace or upgrade 5 laptops now: ChromeOS support ends between 1 June 2026 and 15 July 2026"
    )
    assert actions[0].estimated_cost == Decimal("3000")
    assert actions[1].title == "Replace or upgrade 4 laptops before ChromeOS support ends on 1 February 2028"
