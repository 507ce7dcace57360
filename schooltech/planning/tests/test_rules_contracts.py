"""Contracts that renew automatically, and contracts linked to nothing in the registers (no database)."""

import datetime

from schooltech.planning import rules
from schooltech.planning.models import Priority
from tests import plan_inputs as b

D = datetime.date


def _action(contract, **changes):
    (action,) = rules.contract_notice(b.inputs(contracts=(contract,), **changes))
    return action


def _facts(action):
    return {f.label: f.value for f in action.facts}


def test_an_auto_renewing_contract_shows_its_term_notice_date_and_decision_point():
    contract = b.contract(pk=3, covers=(), title="IT support", end_date=D(2027, 8, 31), start_date=D(2024, 9, 1))
    action = _action(contract)
    assert action.title == (
        "Decide whether to renew “Copper Broadband Ltd: IT support”: give notice by 2 June 2027 or it renews "
        "for 3 years"
    )
    assert action.due_date == D(2027, 6, 2)
    facts = _facts(action)
    assert facts["Renewal term"] == "3 years"
    assert facts["Next notice date"] == "2 June 2027"
    assert facts["Next decision point"] == "31 March 2027"  # the end of the term before the notice date


def test_without_a_start_date_the_renewal_term_is_assumed_to_be_a_year_and_says_so():
    facts = _facts(_action(b.contract(pk=3, covers=(), end_date=D(2027, 3, 31))))
    assert facts["Renewal term"] == "1 year (assumed: no start date recorded)"


def test_when_this_terms_notice_date_has_passed_the_next_one_is_planned():
    contract = b.contract(pk=4, covers=(), end_date=D(2026, 7, 1), notice_days=90)  # notice by 2 April 2026
    action = _action(contract)
    assert (
        action.title
        == "“Copper Broadband Ltd: Broadband” renews on 1 July 2026 for 1 year: the next notice date is 2 April 2027"
    )
    assert action.due_date == D(2027, 4, 2)
    assert action.event_date == D(2027, 7, 1)
    facts = _facts(action)
    assert facts["This term’s notice date"] == "Passed on 2 April 2026"
    assert facts["Next decision point"] == "31 March 2027"
    assert "ask the supplier now" in action.why


def test_an_auto_renewing_contract_whose_end_date_passed_has_renewed_and_is_rolled_on():
    contract = b.contract(pk=8, covers=(), end_date=D(2025, 9, 30), start_date=D(2024, 10, 1), notice_days=30)
    action = _action(contract)
    facts = _facts(action)
    assert facts["Renewed automatically"] == "Term that ended on 30 September 2025"
    assert facts["Next notice date"] == "31 August 2026"  # the term running today ends on 30 September 2026
    assert action.due_date == D(2026, 8, 31)


def test_a_notice_period_longer_than_the_term_still_finds_a_next_notice_date_in_the_future():
    contract = b.contract(pk=8, covers=(), end_date=D(2026, 6, 30), start_date=D(2026, 5, 1), notice_days=400)
    action = _action(contract)
    assert action.due_date >= b.TODAY


def test_the_next_notice_date_beyond_the_horizon_is_left_out():
    assert list(rules.contract_notice(b.inputs(contracts=(b.contract(end_date=D(2032, 1, 1)),)))) == []


def test_a_contract_linked_to_nothing_gets_the_priority_of_what_it_is_for():
    cases = {
        "Web filtering and monitoring": ("safeguarding", Priority.STATUTORY),
        "Backup service": ("cyber", Priority.SECURITY),
        "Leased line": ("broadband", Priority.CORE_2030),
        "Wi-Fi maintenance": ("wireless", Priority.CORE_2030),
        "MIS licence": ("software", Priority.OTHER),
        "Catering tills": ("other", Priority.OTHER),
    }
    for title, (category, priority) in cases.items():
        action = _action(b.contract(pk=1, supplier="Acme", title=title, covers=()))
        assert (action.category, action.priority) == (category, priority), title
    missing = _action(b.contract(pk=2, supplier="Acme", title="Web filtering", covers=(), end_date=None))
    assert missing.is_find_out and missing.priority == Priority.STATUTORY


def test_the_title_decides_before_the_suppliers_name():
    action = _action(b.contract(pk=1, supplier="Lantern Safeguarding Software", title="Finance system", covers=()))
    assert action.category == "software" and action.priority == Priority.OTHER
    action = _action(b.contract(pk=1, supplier="Lantern Safeguarding Software", title="Annual fee", covers=()))
    assert action.category == "safeguarding"


def test_words_inside_other_words_do_not_decide_what_a_contract_is_for():
    action = _action(b.contract(pk=1, supplier="Acme", title="Commissioned catering", covers=()))
    assert action.category == "other"  # "mis" inside "commissioned" is not an MIS
