"""One action per need: rules that meet the same need are merged into one action (no database)."""

import dataclasses
import datetime

from schooltech.planning import engine, rules
from schooltech.planning.inputs import DutyDone
from schooltech.planning.models import Priority
from schooltech.planning.proposals import Fact, ProposedAction
from tests import plan_inputs as b

D = datetime.date
DUTY_ONLY = [r for r in rules.RULES if r.key in ("recurring_duties", "unmet_requirements")]
BROADBAND = [r for r in rules.RULES if r.key in ("contract_notice", "broadband_backup", "unmet_requirements")]


def _filtering_duty(key="filtering_monitoring_review", requirement="annual_review"):
    duty = b.duty(key, "annual", "filtering_monitoring", core=False)
    return dataclasses.replace(duty, requirement_key=requirement)


def test_a_duty_not_done_in_time_and_the_requirement_it_serves_are_one_action():
    inputs = b.inputs(
        duties=(_filtering_duty(),),
        gaps=(b.gap("filtering_monitoring", "annual_review", when="now", core=False),),
    )
    (action,) = engine.build_plan(inputs, rules=DUTY_ONLY)
    assert action.key == "duty:filtering_monitoring_review:not-recorded"  # marking it done still records the duty
    assert action.due_date == inputs.now_due
    assert action.priority == Priority.STATUTORY
    assert ("Also meets", "Meet annual_review") in [(f.label, f.value) for f in action.facts]
    assert "also meets: “Meet annual_review”" in action.why
    assert any(f.label == "Reason" for f in action.facts)  # the self-assessment's reasons are kept


def test_a_duty_done_in_time_leaves_the_requirement_as_its_own_action():
    inputs = b.inputs(
        duties=(_filtering_duty(),),
        duties_done=(DutyDone("filtering_monitoring_review", D(2026, 3, 1), "DSL"),),
        gaps=(b.gap("filtering_monitoring", "annual_review", when="now", core=False),),
    )
    actions = {a.key: a for a in engine.build_plan(inputs, rules=DUTY_ONLY)}
    duty, requirement = "duty:filtering_monitoring_review:2027-03-01", "requirement:filtering_monitoring:annual_review"
    assert sorted(actions) == [duty, requirement]
    # The requirement's action does not ask for this year's review again: that one was done in time.
    requirement = actions[requirement]
    assert requirement.title.endswith(": put right what the self-assessment found")
    assert "last done on 1 March 2026, in time" in requirement.why


def test_two_overdue_duties_serving_one_requirement_stay_two_duties():
    duties = (_filtering_duty("first_review"), _filtering_duty("second_review"))
    inputs = b.inputs(duties=duties, gaps=(b.gap("filtering_monitoring", "annual_review", when="now", core=False),))
    keys = sorted(a.key for a in engine.build_plan(inputs, rules=DUTY_ONLY))
    assert keys == ["duty:first_review:not-recorded", "duty:second_review:not-recorded"]


def test_a_copper_line_is_one_action_for_its_contract_full_fibre_and_speed():
    inputs = b.inputs(
        contracts=(b.contract(),),
        connections=(b.connection(),),
        gaps=(b.gap("broadband", "full_fibre"), b.gap("broadband", "speed")),
    )
    actions = [a for a in engine.build_plan(inputs, rules=BROADBAND) if a.rule_key != "broadband_backup"]
    (action,) = actions
    assert action.key == "contract-notice:1"
    assert action.due_date == D(2027, 4, 12)  # the notice date, not the contract end the requirements give
    assert [f.value for f in action.facts if f.label == "Also meets"] == ["Meet full_fibre", "Meet speed"]


def test_a_backup_line_requirement_is_the_backup_action():
    inputs = b.inputs(connections=(b.connection(contract_id=None),), gaps=(b.gap("broadband", "backup_connection"),))
    (action,) = engine.build_plan(inputs, rules=BROADBAND)
    assert action.key == "broadband-backup"


def _action(key, due, needs, rule_key="contract_notice", **changes):
    values = {"key": key, "title": key, "why": "Why.", "rule_key": rule_key, "due_date": due}
    values |= {"priority": Priority.OTHER, "category": "other", "needs": needs}
    values.update(changes)
    return ProposedAction(**values)


def test_needs_merge_through_each_other_and_take_the_earliest_date_and_highest_priority():
    actions = [
        _action("a", D(2027, 1, 1), ("x",)),
        _action("b", D(2026, 9, 1), ("x", "y"), rule_key="unmet_requirements", priority=Priority.SECURITY),
        _action("c", D(2028, 1, 1), ("y",), facts=(Fact("Seen", "Yes", "Register"),)),
        _action("d", D(2026, 1, 1), ()),
    ]
    merged = sorted(engine.merge_needs(actions, {"contract_notice": 0}), key=lambda a: a.key)
    assert [a.key for a in merged] == ["a", "d"]
    lead = merged[0]
    assert lead.due_date == D(2026, 9, 1) and lead.priority == Priority.SECURITY
    assert ("Seen", "Yes") in [(f.label, f.value) for f in lead.facts]
    assert lead.needs == ("x", "y")


def test_actions_without_needs_are_never_merged():
    actions = [_action("a", D(2027, 1, 1), ()), _action("b", D(2027, 1, 1), ())]
    assert engine.merge_needs(actions) == actions


def test_the_earliest_switch_replacement_carries_the_requirement_and_later_ones_stay_apart():
    switches = (
        b.kit("edge_switch", 2, "Cisco 2960", D(2027, 6, 1)),
        b.kit("edge_switch", 3, "Cisco 9200", D(2029, 6, 1)),
    )
    only = [r for r in rules.RULES if r.key in ("network_kit_support", "unmet_requirements")]
    inputs = b.inputs(kit=switches, gaps=(b.gap("switching", "supported", when="when_upgrading"),))
    actions = engine.build_plan(inputs, rules=only)
    assert [a.key for a in actions] == ["network_kit_support:edge_switch:2026", "network_kit_support:edge_switch:2028"]
    assert [f.value for f in actions[0].facts if f.label == "Also meets"] == ["Meet supported"]
