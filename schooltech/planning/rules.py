"""The plan rules: small functions, each turning one kind of fact into dated actions.

Every rule takes PlanInputs and yields ProposedActions; none reads the database, so each is
tested on its own with inputs made by hand. RULES at the bottom is the one list the engine runs.
Where a rule needs a fact the registers or the self-assessment do not hold, it yields a
"find out" action instead of staying silent.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterator
from decimal import Decimal

from schooltech.core import calendar
from schooltech.core.dates import govuk_date
from schooltech.core.validation import safe_days_before
from schooltech.core.words import counted
from schooltech.planning.inputs import ASSET_PLAN_CATEGORY, FULL_FIBRE, ContractInfo, DutyDone, KitGroup, PlanInputs
from schooltech.planning.models import Category, Priority
from schooltech.planning.proposals import Fact, ProposedAction, Rule
from schooltech.standards import duties as standards_duties

USER_DEVICES = ("laptop", "desktop", "tablet", "chromebook")
NETWORK_KIT = ("core_switch", "edge_switch", "firewall", "router", "access_point", "storage", "ups")
OTHER_EQUIPMENT = ("interactive_display", "printer", "other")
# The standard's speeds, judged on the line's contracted capacity: (download, upload) in Mbps.
SPEED_MBPS = {"primary": (100, 30), "secondary": (1000, 1000)}
BY_2030 = datetime.date(2029, 12, 31)  # "by 2030" read as before 2030 starts: early rather than late
STANDARD_CATEGORY = {
    "broadband": Category.BROADBAND,
    "wireless": Category.WIRELESS,
    "switching": Category.NETWORK,
    "cabling": Category.NETWORK,
    "cyber_security": Category.CYBER,
    "filtering_monitoring": Category.SAFEGUARDING,
    "digital_leadership": Category.LEADERSHIP,
    "servers_storage": Category.SERVERS,
    "cloud": Category.CLOUD,
    "devices": Category.DEVICES,
    "accessibility": Category.SOFTWARE,
    "it_support": Category.SUPPORT,
}
SAFEGUARDING_REQUIREMENTS = {("broadband", "filtering_firewall")}
IT_LEAD = "IT support provider with the school business manager"

REGISTERS = "Registers"
CONTRACTS = "Contracts register"
CONNECTIONS = "Internet connections register"
ASSETS = "Asset register"
SERVICES = "Software and cloud services register"
PRICES = "Price table"
DUTY_RECORDS = "Duties done (self-assessments and plan actions marked done)"


# --- helpers ---------------------------------------------------------------------------------------


def standard_priority(standard_key: str, is_core: bool) -> Priority:
    """Statutory and safeguarding first, then security, then the core standards for 2030, then the rest."""
    if standard_key == "filtering_monitoring":
        return Priority.STATUTORY
    if standard_key == "cyber_security":
        return Priority.SECURITY
    return Priority.CORE_2030 if is_core else Priority.OTHER


def money(value: Decimal) -> str:
    return f"£{value:,.0f}" if value == value.to_integral_value() else f"£{value:,.2f}"


def cost_of(inputs: PlanInputs, price_key: str, quantity: int = 1) -> tuple[Decimal | None, str]:
    price = inputs.prices.get(price_key)
    if price is None:
        return None, f"No price for “{price_key}” in the price table"
    total = price.price * quantity
    if quantity == 1:
        return total, f"{price.label}: {money(price.price)} {price.unit} (price table)"
    return total, f"{quantity} × {money(price.price)} ({price.label.lower()}, price table)"


# Labels whose plural (or singular in a sentence) is not the label lower-cased plus "s".
NOUNS = {
    "UPS": ("UPS", "UPS units"),
    "Printer or MFD": ("printer or MFD", "printers or MFDs"),
    "Storage": ("storage device", "storage devices"),
    "Other": ("other item", "other items"),
}


def in_sentence(text: str) -> str:
    """A title lower-cased for the middle of a sentence, keeping acronyms: "IT support", "Wi-Fi"."""
    return " ".join(word if any(c.isupper() for c in word[1:]) else word.lower() for word in text.split())


def plural(label: str, quantity: int) -> str:
    """The label as a noun in a sentence, singular or plural by quantity; acronyms keep their capitals."""
    if label in NOUNS:
        return NOUNS[label][quantity != 1]
    text = in_sentence(label)
    if quantity == 1:
        return text
    if text.endswith("y") and not text.endswith(("ay", "ey", "oy")):
        return text[:-1] + "ies"
    return text + ("es" if text.endswith(("s", "x", "ch", "sh")) else "s")


def replace_by(inputs: PlanInputs, support_end: datetime.date) -> tuple[datetime.date, bool]:
    """Replace by the end of the term before support ends; (the date, whether that means now)."""
    before = calendar.term_of(support_end).previous().end
    if before <= inputs.now_due:
        return inputs.now_due, True
    return before, False


def speed_for_phase(inputs: PlanInputs) -> str:
    text = inputs.speed_thresholds.get(inputs.phase_group or "")
    if text:
        return text[0].lower() + text[1:].rstrip(".")
    return (
        "the speed for your phase (at least 100 Mbps down and 30 Mbps up for primary; 1 Gbps both ways for secondary)"
    )


def _contract_facts(contract: ContractInfo) -> list[Fact]:
    facts = [
        Fact("Contract", contract.name, CONTRACTS),
        Fact("Ends", govuk_date(contract.end_date), CONTRACTS),
        Fact(
            "Notice period",
            f"{contract.notice_days} days" if contract.notice_days is not None else "Not recorded",
            CONTRACTS,
        ),
        Fact("Renews automatically", "Yes" if contract.auto_renews else "No", CONTRACTS),
    ]
    if contract.annual_cost is not None:
        facts.append(Fact("Annual cost", money(contract.annual_cost), CONTRACTS))
    return facts


# What a contract linked to nothing in the registers is for, read from its supplier and title (first match).
CONTRACT_WORDS = (
    (Category.SAFEGUARDING, r"filter|monitoring|safeguard"),
    (Category.BROADBAND, r"broadband|internet|connectivity|leased line|fibre|fttp|fttc"),
    (Category.CYBER, r"cyber|anti-?virus|malware|backup|security|edr"),
    (Category.NETWORK, r"firewall|switch|network|cabling"),
    (Category.WIRELESS, r"wi-?fi|wireless|access point"),
    (Category.DEVICES, r"laptop|chromebook|ipad|tablet|device|desktop|computer"),
    (Category.SERVERS, r"server|storage|nas"),
    (Category.AUDIO_VISUAL, r"display|projector|audio"),
    (Category.SOFTWARE, r"licen[cs]e|software|mis|microsoft|google|office|subscription|finance|system"),
    (Category.CLOUD, r"cloud|hosting|e-?mail"),
    (Category.SUPPORT, r"support|managed service|technician"),
)


def _contract_category(contract: ContractInfo) -> str:
    for category in (Category.BROADBAND, Category.NETWORK, Category.WIRELESS, Category.CLOUD, Category.DEVICES):
        if category in contract.covers:
            return category
    if contract.covers:
        return contract.covers[0]
    found = _category_from_words(contract.title)  # what it covers first: a supplier's name can mislead
    return found if found != Category.OTHER else _category_from_words(contract.supplier)


def _category_from_words(text: str) -> str:
    for category, words in CONTRACT_WORDS:
        if re.search(rf"\b(?:{words})", text, re.IGNORECASE):
            return category
    return Category.OTHER


def _contract_priority(category: str) -> Priority:
    """The priority of what the contract is for, linked or not: filtering first, then security."""
    if category == Category.SAFEGUARDING:
        return Priority.STATUTORY
    if category == Category.CYBER:
        return Priority.SECURITY
    if category in (Category.BROADBAND, Category.NETWORK, Category.WIRELESS, Category.DEVICES, Category.SERVERS):
        return Priority.CORE_2030
    return Priority.OTHER


def renewal_term_months(contract: ContractInfo) -> tuple[int, bool]:
    """How long an automatic renewal lasts, in months, and whether that was assumed: the length of the
    current term from its start and end dates, else a year (the usual renewal for school contracts)."""
    if contract.start_date and contract.end_date and contract.start_date < contract.end_date:
        months = round((contract.end_date - contract.start_date).days / 30.44)  # 1 Sep to 31 Aug: 12
        return max(1, min(months, 120)), False
    return 12, True


def _term_text(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


# --- Action keys other code relies on (the reminders) ---------------------------------------------

DUTY_RULE = "recurring_duties"
CONTRACT_NOTICE_KEY_PREFIX = "contract-notice:"


def contract_notice_key(contract_id: int) -> str:
    """The key of the action to give notice on (or renew) a contract."""
    return f"{CONTRACT_NOTICE_KEY_PREFIX}{contract_id}"


def requirement_need(standard_key: str, requirement_key: str) -> str:
    """The need a standards requirement names: rules that meet it say so, so it is planned once."""
    return f"requirement:{standard_key}:{requirement_key}"


def duty_action_key(duty_key: str, occurrence: str) -> str:
    """The key of one occurrence of a standards duty: occurrence is the date it falls due, or
    "not-recorded" when the school has not recorded doing it."""
    return f"duty:{duty_key}:{occurrence}"


# --- 1. Contracts: notice deadlines ---------------------------------------------------------------


def contract_notice(inputs: PlanInputs) -> Iterator[ProposedAction]:
    primary_links = {c.contract_id: c for c in inputs.connections if c.is_primary and c.contract_id}
    for contract in inputs.contracts:
        category = _contract_category(contract)
        priority = _contract_priority(category)
        if contract.end_date is None:
            yield ProposedAction(
                key=f"contract-end-unknown:{contract.pk}",
                title=f"Find out when the contract “{contract.name}” ends",
                why="Without an end date the plan cannot tell you when to give notice or buy again.",
                rule_key="contract_notice",
                due_date=inputs.now_due,
                priority=priority,
                category=category,
                facts=tuple(_contract_facts(contract)),
                owner="School business manager",
                is_find_out=True,
            )
            continue
        if contract.auto_renews and contract.notice_deadline is not None:
            renewal = _renewal(inputs, contract)
            if renewal.notice_by <= inputs.horizon_end:
                yield _notice_action(inputs, contract, category, priority, primary_links.get(contract.pk), renewal)
            continue
        if contract.end_date < inputs.today or contract.end_date > inputs.horizon_end:
            continue
        if contract.notice_deadline is None:
            yield ProposedAction(
                key=f"contract-notice-unknown:{contract.pk}",
                title=f"Find out the notice period for “{contract.name}”",
                why=(
                    f"The contract ends on {govuk_date(contract.end_date)}. Without its notice period the plan "
                    "cannot tell you the last day to give notice, and it may renew without you deciding."
                ),
                rule_key="contract_notice",
                due_date=min(inputs.now_due, contract.end_date),
                priority=priority,
                category=category,
                facts=tuple(_contract_facts(contract)),
                owner="School business manager",
                is_find_out=True,
            )
            continue
        yield _notice_action(inputs, contract, category, priority, primary_links.get(contract.pk))


@dataclasses.dataclass(frozen=True)
class Renewal:
    """An automatically renewing contract's next decision: the term it renews for and when to give notice."""

    ends: datetime.date  # the end of the term the next notice applies to
    notice_by: datetime.date  # the next day notice can still be given
    decide_by: datetime.date  # the next decision point: the end of the school term before the notice date
    months: int
    assumed: bool  # the renewal term is assumed (a year): the register has no start date
    renewed_on: datetime.date | None  # the end date in the register, when the contract has renewed since
    missed: datetime.date | None  # this term's notice date, when it has passed


def _renewal(inputs: PlanInputs, contract: ContractInfo) -> Renewal:
    months, assumed = renewal_term_months(contract)
    ends, renewals = contract.end_date, 0
    while ends < inputs.today and renewals < 1200:  # it renewed: roll on to the term running today
        ends, renewals = calendar.add_months(ends, months), renewals + 1
    notice_by, missed = safe_days_before(ends, contract.notice_days), None
    while notice_by < inputs.today and renewals < 1200:  # too late for this term: it renews once more
        missed, ends, renewals = notice_by, calendar.add_months(ends, months), renewals + 1
        notice_by = safe_days_before(ends, contract.notice_days)
    decide_by = calendar.term_of(notice_by).previous().end
    if decide_by < inputs.today:
        decide_by = notice_by
    renewed_on = contract.end_date if contract.end_date < inputs.today else None
    return Renewal(ends, notice_by, decide_by, months, assumed, renewed_on, missed)


def _renewal_facts(renewal: Renewal) -> list[Fact]:
    term = _term_text(renewal.months)
    facts = [
        Fact("Renewal term", f"{term} (assumed: no start date recorded)" if renewal.assumed else term, CONTRACTS),
    ]
    if renewal.renewed_on:
        facts.append(Fact("Renewed automatically", f"Term that ended on {govuk_date(renewal.renewed_on)}", CONTRACTS))
    if renewal.missed:
        facts.append(Fact("This term’s notice date", f"Passed on {govuk_date(renewal.missed)}", CONTRACTS))
    facts += [
        Fact("Next notice date", govuk_date(renewal.notice_by), CONTRACTS),
        Fact("Next decision point", govuk_date(renewal.decide_by), CONTRACTS),
    ]
    return facts


def _notice_action(
    inputs, contract: ContractInfo, category, priority, connection, renewal: Renewal | None = None
) -> ProposedAction:
    deadline = renewal.notice_by if renewal else contract.notice_deadline
    passed = deadline < inputs.today
    due = inputs.now_due if passed else deadline
    by = f"by {govuk_date(deadline)}"
    facts = [*_contract_facts(contract), Fact("Give notice by", govuk_date(deadline), CONTRACTS)]
    if renewal:
        facts += _renewal_facts(renewal)
    cost, basis = (
        (contract.annual_cost, "The current annual cost, for one year") if contract.annual_cost else (None, "")
    )
    owner = "School business manager"
    needs: tuple[str, ...] = ()
    if connection is not None:
        facts.append(Fact("Connection", f"{connection.provider} {connection.technology_label}", CONNECTIONS))
        category, priority = Category.BROADBAND, Priority.CORE_2030
        price_key = "full_fibre_secondary" if inputs.phase_group == "secondary" else "full_fibre_primary"
        cost, basis = cost_of(inputs, price_key)
        owner = "School business manager with your IT support provider"
        needs = (requirement_need("broadband", "speed"),)
        if connection.technology not in FULL_FIBRE:
            needs = (requirement_need("broadband", "full_fibre"), *needs)
            title = f"Give notice {by} and move to full fibre meeting {speed_for_phase(inputs)}"
            why = (
                f"Your main internet connection is {connection.technology_label}, a copper line, which does not meet "
                "the broadband standard. Move to full fibre (FTTP or a leased line) when this contract ends, and do "
                "not sign a new copper contract that stops you switching."
            )
        else:
            title = f"Give notice {by} or renew, checking the new contract gives {speed_for_phase(inputs)}"
            why = "Your connection is full fibre. Use the renewal to check the speed meets the broadband standard."
    elif renewal:
        term = _term_text(renewal.months)
        title = f"Decide whether to renew “{contract.name}”: give notice {by} or it renews for {term}"
        why = (
            f"The contract renews automatically for {term} if you do nothing. The current term ends on "
            f"{govuk_date(renewal.ends)} with {contract.notice_days} days’ notice; decide by "
            f"{govuk_date(renewal.decide_by)} so there is time to compare offers."
        )
    else:
        title = f"Decide whether to renew “{contract.name}”: give notice {by}"
        why = f"The contract ends on {govuk_date(contract.end_date)} with {contract.notice_days} days’ notice."
    if renewal and renewal.missed:
        ends = calendar.add_months(renewal.ends, -renewal.months)
        title = (
            f"“{contract.name}” renews on {govuk_date(ends)} for {_term_text(renewal.months)}: "
            f"the next notice date is {govuk_date(deadline)}"
        )
        why += (
            f" This term’s notice date passed on {govuk_date(renewal.missed)}, so it renews once more. If you want to "
            "leave sooner, ask the supplier now what ending it would take."
        )
    elif passed:
        title = f"Notice date for “{contract.name}” passed on {govuk_date(deadline)}: speak to the supplier now"
        why += " The last day to give notice has passed: ask the supplier what ending or changing it would take."
    return ProposedAction(
        key=contract_notice_key(contract.pk),
        title=title,
        why=why,
        rule_key="contract_notice",
        due_date=due,
        priority=priority,
        category=category,
        facts=tuple(facts),
        estimated_cost=cost,
        cost_basis=basis,
        owner=owner,
        event_date=renewal.ends if renewal else contract.end_date,
        needs=needs,
    )


# --- 2. Broadband: a backup connection ------------------------------------------------------------


def broadband_backup(inputs: PlanInputs) -> Iterator[ProposedAction]:
    if not inputs.connections:
        return
    primary = next(c for c in inputs.connections if c.is_main)
    others = [c for c in inputs.connections if c is not primary]
    facts = [
        Fact("Main connection", f"{primary.provider} {primary.technology_label}", CONNECTIONS),
        Fact(
            "Other connections",
            ", ".join(f"{c.provider} {c.technology_label}" for c in others) or "None recorded",
            CONNECTIONS,
        ),
    ]
    if not any(c.technology != primary.technology for c in others):
        contract = next((c for c in inputs.contracts if c.pk == primary.contract_id), None)
        alongside = contract and contract.end_date and inputs.today <= contract.end_date <= inputs.horizon_end
        due = contract.end_date if alongside else calendar.add_years(inputs.today, 1)
        cost, basis = cost_of(inputs, "backup_connection")
        yield ProposedAction(
            key="broadband-backup",
            title="Add a backup connection of a different type, with automatic failover",
            why=(
                "The broadband standard expects a second connection of a different type (for example full fibre "
                "with a leased line or satellite) that takes over automatically when the main line fails. "
                + ("Buy it alongside your next main connection." if alongside else "Plan it within a year.")
            ),
            rule_key="broadband_backup",
            due_date=due,
            priority=Priority.CORE_2030,
            category=Category.BROADBAND,
            facts=tuple(facts),
            estimated_cost=cost,
            cost_basis=basis,
            owner="IT support provider",
            needs=(requirement_need("broadband", "backup_connection"),),
        )
    elif not any(c.automatic_failover for c in inputs.connections):
        yield ProposedAction(
            key="broadband-failover",
            title="Set up automatic failover between your internet connections",
            why="You have a backup connection, but nothing switches to it automatically when the main line fails.",
            rule_key="broadband_backup",
            due_date=inputs.now_due,
            priority=Priority.CORE_2030,
            category=Category.BROADBAND,
            facts=(*facts, Fact("Automatic failover", "No", CONNECTIONS)),
            owner="IT support provider",
            needs=(requirement_need("broadband", "backup_connection"),),
        )


# --- 3 and 4. Kit losing support ------------------------------------------------------------------


def _unknown_support(
    inputs, groups: list[KitGroup], key: str, nouns: tuple[str, str], category: str
) -> Iterator[ProposedAction]:
    """One "find out" action for kit with no known support end; `nouns` is (singular, plural)."""
    unknown = [g for g in groups if g.support_end is None]
    total = sum(g.quantity for g in unknown)
    if not total:
        return
    by_category: dict[str, int] = {}
    for group in unknown:
        by_category[group.category_label] = by_category.get(group.category_label, 0) + group.quantity
    yield ProposedAction(
        key=key,
        title=f"Find out when {counted(total, *nouns)} {'stops' if total == 1 else 'stop'} getting security updates",
        why=(
            "The asset register has no support end date for these, and their operating system does not tell us "
            "one. Record each one’s support end (for Chromebooks, the Auto Update Expiration date) so the plan "
            "can date their replacement. Unknown is never assumed to be fine."
        ),
        rule_key=key.split(":")[0].replace("-", "_"),
        due_date=inputs.now_due,
        priority=Priority.SECURITY,
        category=category,
        facts=tuple(Fact(label, f"{n} with no support end", ASSETS) for label, n in sorted(by_category.items())),
        owner="IT support provider",
        is_find_out=True,
    )


def _replacements(inputs: PlanInputs, groups: list[KitGroup], rule_key: str, why: str) -> Iterator[ProposedAction]:
    """One action per kind of kit and school year: what loses support in the same year is replaced together,
    by the earliest replace-by date among it; everything already due is one "now" action."""
    buckets: dict[tuple, list] = {}
    for group in groups:
        if group.support_end is None or group.support_end > inputs.horizon_end:
            continue
        due, now = replace_by(inputs, group.support_end)
        year = 0 if now else calendar.academic_year_of(due)
        buckets.setdefault((group.category, year), []).append((due, now, group))
    for _, members in sorted(buckets.items()):
        due = min(due for due, _, _ in members)
        yield _replacement(inputs, [group for _, _, group in members], due, members[0][1], rule_key, why)


def _describe(members: list[KitGroup]) -> str:
    names = sorted({m.description for m in members})
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _support_phrase(first: datetime.date, last: datetime.date, today: datetime.date) -> str:
    if first == last:
        return f"support {'ended' if first <= today else 'ends'} on {govuk_date(first)}"
    if last <= today:
        return f"support ended between {govuk_date(first)} and {govuk_date(last)}"
    if first <= today:
        return f"support ended or ends between {govuk_date(first)} and {govuk_date(last)}"
    return f"support ends between {govuk_date(first)} and {govuk_date(last)}"


def _replacement(inputs, members: list[KitGroup], due, now: bool, rule_key: str, why: str) -> ProposedAction:
    sample = members[0]
    description = _describe(members)
    quantity = sum(m.quantity for m in members)
    first, last = min(m.support_end for m in members), max(m.support_end for m in members)
    things = f"{quantity} {plural(sample.category_label, quantity)}"
    verb = "Replace or upgrade" if sample.category in USER_DEVICES else "Replace"
    phrase = _support_phrase(first, last, inputs.today)
    if now:
        title = f"{verb} {things} now: {description} {phrase}"
    elif first == last:
        title = f"{verb} {things} before {description} support ends on {govuk_date(first)}"
    else:
        title = f"{verb} {things} before their support ends, from {govuk_date(first)} ({description})"
    cost, basis = cost_of(inputs, sample.category, quantity)
    sources = sorted({m.support_source for m in members if m.support_source})
    return ProposedAction(
        key=f"{rule_key}:{sample.category}:{'now' if now else calendar.academic_year_of(due)}",
        title=title,
        why=why,
        rule_key=rule_key,
        due_date=due,
        priority=Priority.SECURITY,
        category=ASSET_PLAN_CATEGORY.get(sample.category, Category.OTHER),
        facts=(
            Fact("Equipment", f"{things} ({description})", ASSETS),
            Fact(
                "Support ends",
                govuk_date(first) if first == last else f"{govuk_date(first)} to {govuk_date(last)}",
                f"{ASSETS}: {'; '.join(sources)}" if sources else ASSETS,
            ),
            *(_listing(members) if len(members) > 1 else ()),
        ),
        estimated_cost=cost,
        cost_basis=basis,
        owner=IT_LEAD,
        event_date=first,
    )


# Kit replaced for losing support, and the standards requirement that asks for it: the earliest such
# replacement carries the requirement's need, so the requirement is planned once, with it (one action
# per need; the later replacements are their own needs).
REPLACEMENT_NEEDS = (
    (USER_DEVICES, requirement_need("devices", "supported_os")),
    (("core_switch", "edge_switch"), requirement_need("switching", "supported")),
    (("access_point",), requirement_need("wireless", "supported_equipment")),
)


def _with_requirement_needs(actions: list[ProposedAction]) -> list[ProposedAction]:
    for categories, need in REPLACEMENT_NEEDS:
        matching = [a for a in actions if a.key.split(":")[1] in categories]
        if matching:
            first = min(matching, key=lambda a: (a.due_date, a.key))
            actions[actions.index(first)] = dataclasses.replace(first, needs=(need,))
    return actions


def device_support(inputs: PlanInputs) -> Iterator[ProposedAction]:
    devices = [g for g in inputs.kit if g.category in USER_DEVICES]
    why = (
        "Devices that no longer get security updates put the school’s data and network at risk and do not meet the "
        "laptops, desktops and tablets standard. If they can run a supported version, upgrading costs less than "
        "this estimate, which assumes replacement."
    )
    yield from _with_requirement_needs(list(_replacements(inputs, devices, "device_support", why)))
    yield from _unknown_support(inputs, devices, "device-support-unknown", ("device", "devices"), Category.DEVICES)


def network_kit_support(inputs: PlanInputs) -> Iterator[ProposedAction]:
    kit = [g for g in inputs.kit if g.category in NETWORK_KIT]
    why = (
        "Network equipment that can no longer get firmware and security updates should be replaced (network "
        "switching and wireless standards): it is a way in for attackers and cannot be fixed when faults appear."
    )
    yield from _with_requirement_needs(list(_replacements(inputs, kit, "network_kit_support", why)))
    nouns = ("network device", "network devices")
    yield from _unknown_support(inputs, kit, "network-support-unknown", nouns, Category.NETWORK)


def equipment_support(inputs: PlanInputs) -> Iterator[ProposedAction]:
    """Displays, printers and other equipment: replaced before support ends; unknown support found out."""
    kit = [g for g in inputs.kit if g.category in OTHER_EQUIPMENT]
    why = (
        "Equipment that no longer gets security updates or repairs should be replaced before it fails: "
        "interactive displays and printers are connected to the school network."
    )
    yield from _replacements(inputs, kit, "equipment_support", why)
    nouns = ("display, printer or other item", "displays, printers and other items")
    yield from _unknown_support(inputs, kit, "equipment-support-unknown", nouns, Category.OTHER)


def warranties(inputs: PlanInputs) -> Iterator[ProposedAction]:
    """Equipment other than laptops, desktops and tablets whose warranty ends within the plan: one action
    per kind and school year, by the end of the term before the first warranty ends."""
    buckets: dict[tuple[str, int], list[KitGroup]] = {}
    for group in inputs.kit:
        ends = group.warranty_end
        if group.category in USER_DEVICES or ends is None or not inputs.today <= ends <= inputs.horizon_end:
            continue
        if group.support_end is not None and group.support_end <= ends:
            continue  # replaced before then for losing support
        buckets.setdefault((group.category, calendar.academic_year_of(ends)), []).append(group)
    for (category, year), members in sorted(buckets.items()):
        first = min(m.warranty_end for m in members)
        quantity = sum(m.quantity for m in members)
        things = f"{quantity} {plural(members[0].category_label, quantity)}"
        due = max(calendar.term_of(first).previous().end, min(inputs.now_due, first))
        yield ProposedAction(
            key=f"warranty:{category}:{year}",
            title=f"Decide whether to extend the warranty on {things} before it ends on {govuk_date(first)}",
            why=(
                "Out of warranty, a fault means paying for the repair or a replacement. Extend the cover, or "
                "budget for repairs, before it ends."
            ),
            rule_key="warranties",
            due_date=due,
            priority=Priority.OTHER,
            category=ASSET_PLAN_CATEGORY.get(category, Category.OTHER),
            facts=(
                *_listing(members),
                Fact("Warranty ends", govuk_date(first), ASSETS),
            ),
            owner=IT_LEAD,
            event_date=first,
        )


def _listing(members: list[KitGroup]) -> tuple[Fact, ...]:
    """One fact per model and date, so grouped work still lists every item it covers."""
    return tuple(
        Fact(
            "Includes",
            f"{m.quantity} × {m.description}"
            + (f", support ends {govuk_date(m.support_end)}" if m.support_end else ""),
            ASSETS,
        )
        for m in sorted(members, key=lambda m: (m.support_end or datetime.date.max, m.description))
    )


# --- Broadband: the line's speed against the phase's threshold --------------------------------------


def _mbps(value: float | None) -> str:
    if value is None:
        return "not recorded"
    if value >= 1000:
        return f"{value / 1000:g} Gbps"
    return f"{value:g} Mbps"


def broadband_speed(inputs: PlanInputs) -> Iterator[ProposedAction]:
    """The main connection against the phase's speed, from the registers alone (no self-assessment needed).

    The standard judges the line's contracted capacity; a speed test proves only a lower bound, so a
    measured speed can show the line meets the speed but never that it fails. Copper never meets.
    """
    main = next((c for c in inputs.connections if c.is_main), None)
    if main is None or inputs.phase_group not in SPEED_MBPS:
        return
    down_needed, up_needed = SPEED_MBPS[inputs.phase_group]
    down, up = main.download_mbps_contracted, main.upload_mbps_contracted
    measured_down, measured_up = main.download_mbps_measured, main.upload_mbps_measured
    copper = main.technology not in FULL_FIBRE
    facts = (
        Fact("Main connection", f"{main.provider} {main.technology_label}", CONNECTIONS),
        Fact("Contracted speed", f"{_mbps(down)} download, {_mbps(up)} upload", CONNECTIONS),
        Fact("Measured speed", f"{_mbps(measured_down)} download, {_mbps(measured_up)} upload", CONNECTIONS),
        Fact("What meets it", speed_for_phase(inputs)[0].upper() + speed_for_phase(inputs)[1:], "Standards catalogue"),
    )

    def reaches(value, needed):
        return value is not None and value >= needed

    if down is not None and up is not None:
        meets = reaches(down, down_needed) and reaches(up, up_needed)
    else:
        meets = reaches(measured_down, down_needed) and reaches(measured_up, up_needed)
    if meets and not copper:
        return
    needs = (requirement_need("broadband", "speed"),)
    common = {
        "rule_key": "broadband_speed",
        "priority": Priority.CORE_2030,
        "category": Category.BROADBAND,
        "facts": facts,
        "owner": "School business manager with your IT support provider",
    }
    if (down is None or up is None) and not copper:
        yield ProposedAction(
            key="broadband-speed-unknown",
            title="Find out the contracted speed of your main internet connection",
            why="The broadband standard is judged on the speed the line is contracted to carry, which the "
            "connections register does not hold; a speed test shows only what one test reached. Your contract or "
            "provider will say.",
            due_date=inputs.now_due,
            is_find_out=True,
            needs=needs,
            **common,
        )
        return
    contract = next((c for c in inputs.contracts if c.pk == main.contract_id), None)
    ends = contract.end_date if contract and contract.end_date and contract.end_date >= inputs.today else None
    due = ends or calendar.add_years(inputs.today, 1)
    price_key = "full_fibre_secondary" if inputs.phase_group == "secondary" else "full_fibre_primary"
    cost, basis = cost_of(inputs, price_key)
    if copper:
        title = f"Move your main internet connection to full fibre meeting {speed_for_phase(inputs)}"
        why = f"{main.technology_label} is a copper line, which never meets the broadband standard."
        needs = (requirement_need("broadband", "full_fibre"), *needs)
    else:
        title = f"Upgrade your main internet connection to {speed_for_phase(inputs)}"
        why = f"It is contracted for {_mbps(down)} download and {_mbps(up)} upload, below the standard for your phase."
    why += (
        f" Upgrade when the contract ends, on {govuk_date(ends)}."
        if ends
        else " The contracts register does not say when its contract ends, so the plan allows a year."
    )
    yield ProposedAction(
        key="broadband-speed",
        title=title,
        why=why,
        due_date=due,
        estimated_cost=cost,
        cost_basis=basis,
        needs=needs,
        event_date=ends,
        **common,
    )


# --- Devices: the minimums for the next purchase ----------------------------------------------------


def _next_purchase(inputs: PlanInputs, category: str) -> datetime.date | None:
    ends = [
        replace_by(inputs, g.support_end)[0]
        for g in inputs.kit
        if g.category == category and g.support_end is not None and g.support_end <= inputs.horizon_end
    ]
    return min(ends) if ends else None


def device_minimums(inputs: PlanInputs) -> Iterator[ProposedAction]:
    """Devices below the standard's minimums are not replaced for it: the next purchase must meet them.

    One action per kind of device, dated with that kind's next replacement (else before the next budget
    cycle), listing what the devices in use miss and what the register cannot tell.
    """
    by_category: dict[str, list] = {}
    for group in inputs.device_minimums:
        if group.not_met or group.unknown:
            by_category.setdefault(group.category, []).append(group)
    for category, groups in sorted(by_category.items()):
        label = groups[0].category_label
        missed: dict[str, int] = {}
        unknown: dict[str, int] = {}
        for group in groups:
            for name in group.not_met:
                missed[name] = missed.get(name, 0) + group.quantity
            for name in group.unknown:
                unknown[name] = unknown.get(name, 0) + group.quantity
        if not missed:
            continue  # only unknowns: the device support rule asks for the missing dates
        purchase = _next_purchase(inputs, category)
        due = purchase or max(_next_budget_deadline(inputs.today), inputs.now_due)
        names = list(missed)
        things = plural(label, 2)
        facts = [
            Fact("Missed by devices in use", f"{name}: {n} {plural(label, n)}", ASSETS) for name, n in missed.items()
        ]
        facts += [Fact("Not recorded", f"{name}: {n} {plural(label, n)}", ASSETS) for name, n in unknown.items()]
        when = f"due {govuk_date(purchase)}" if purchase else "none planned yet"
        yield ProposedAction(
            key=f"device-minimums:{category}",
            title=f"When you next buy {things}, make sure they have " + _and_list(names),
            why=(
                f"Some {things} in use fall short of the standard’s minimums for new devices. That is no reason to "
                f"replace them now: make the next purchase meet them (the next replacement is {when})."
            ),
            rule_key="device_minimums",
            due_date=due,
            priority=Priority.CORE_2030,
            category=Category.DEVICES,
            facts=tuple(facts),
            owner=IT_LEAD,
            needs=(requirement_need("devices", "minimums"),),
        )


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- Software and licences: renewal dates and counts ------------------------------------------------


def software_renewals(inputs: PlanInputs) -> Iterator[ProposedAction]:
    """Each service with a renewal date (not already planned through a linked contract): decide a month
    before it renews, with the licence counts; more licences in use than bought is dealt with now;
    services without a renewal date or a contract are found out, in one action."""
    planned_contracts = {c.pk for c in inputs.contracts}
    unknown = []
    for service in inputs.services:
        counts = _licence_text(service)
        if service.licences_used is not None and service.licences_bought is not None:
            if service.licences_used > service.licences_bought:
                yield ProposedAction(
                    key=f"licences-short:{service.pk}",
                    title=f"Buy {service.licences_used - service.licences_bought} more "
                    f"licence{'s' if service.licences_used - service.licences_bought != 1 else ''} for "
                    f"{service.name}, or free some: {counts}",
                    why="The cyber security standard expects all software to be licensed. Using more licences than "
                    "you bought is a breach of the licence.",
                    rule_key="software_renewals",
                    due_date=inputs.now_due,
                    priority=Priority.SECURITY,
                    category=Category.SOFTWARE,
                    facts=(Fact("Service", service.name, SERVICES), Fact("Licences", counts, SERVICES)),
                    owner="School business manager",
                    needs=(requirement_need("cyber_security", "patching"),),
                )
        if service.contract_id in planned_contracts:
            continue  # its contract's notice date plans the renewal
        if service.renewal_date is None:
            unknown.append(service.name)
            continue
        renews = service.renewal_date
        while renews < inputs.today:
            renews = calendar.add_years(renews, 1)  # a past renewal date: it renewed, yearly
        if renews > inputs.horizon_end:
            continue
        spare = (service.licences_bought or 0) - (service.licences_used or 0)
        purpose = _category_from_words(service.name)  # web filtering renews first among equals
        if purpose not in (Category.SAFEGUARDING, Category.CYBER):
            purpose = Category.CLOUD if service.hosting == "cloud" else Category.SOFTWARE
        adjust = ""
        if service.licences_used is not None and service.licences_bought is not None and spare > 0:
            adjust = f" and whether to drop {spare} unused licence{'s' if spare != 1 else ''}"
        yield ProposedAction(
            key=f"software-renewal:{service.pk}:{renews.isoformat()}",
            title=f"Decide whether to renew {service.name} before {govuk_date(renews)}{adjust}",
            why="Renewing without deciding keeps paying for what you may not need. Check who uses it, the licence "
            "count and the price a month before it renews.",
            rule_key="software_renewals",
            due_date=max(renews - datetime.timedelta(days=30), min(inputs.today, renews)),
            priority=_contract_priority(purpose),
            category=purpose,
            facts=(
                Fact("Service", service.name, SERVICES),
                Fact("Renews", govuk_date(renews), SERVICES),
                Fact("Licences", counts, SERVICES),
            ),
            owner="School business manager",
            event_date=renews,
        )
    if unknown:
        yield ProposedAction(
            key="software-renewal-unknown",
            title=f"Find out when {len(unknown)} software and cloud service{'s' if len(unknown) != 1 else ''} renew",
            why="The software register has no renewal date and no contract for these. Record when each renews "
            "(or that it is free) so the plan can remind you before it does.",
            rule_key="software_renewals",
            due_date=calendar.term_of(inputs.now_due).next().end,
            priority=Priority.OTHER,
            category=Category.SOFTWARE,
            facts=(Fact("No renewal date", ", ".join(unknown), SERVICES),),
            owner="School business manager",
            is_find_out=True,
        )


def _licence_text(service) -> str:
    bought, used = service.licences_bought, service.licences_used
    if bought is None and used is None:
        return "not recorded"
    return f"{'not recorded' if bought is None else bought} bought, {'not recorded' if used is None else used} in use"


# --- 5. Recurring duties ---------------------------------------------------------------------------


def recurring_duties(inputs: PlanInputs) -> Iterator[ProposedAction]:
    """Each duty's next occurrence only, dated from when it was last done ("overdue since" once passed).

    A duty never recorded falls due now (termly) or by 31 December of this school year (annual).
    Its key holds the occurrence's date, so marking it done (which records the duty) and regenerating
    retires it and brings the next one.
    """
    done = {record.key: record for record in inputs.duties_done}
    claimed: set[str] = set()
    for duty in inputs.duties:
        action = _next_occurrence(inputs, duty, done.get(duty.key))
        need = requirement_need(duty.standard_key, duty.requirement_key) if duty.requirement_key else ""
        last = done.get(duty.key)
        late = last is None or standards_duties.next_due(last.done_on, duty.cadence) < inputs.today
        if need and need not in claimed and late:
            # Not done in time: the requirement it serves is planned by this action, not by a second one.
            claimed.add(need)
            action = dataclasses.replace(action, needs=(need,))
        yield action


def _first_due(inputs: PlanInputs, cadence: str) -> datetime.date:
    if cadence == "termly":
        return inputs.now_due
    return max(datetime.date(calendar.academic_year_of(inputs.today), 12, 31), inputs.now_due)


def _next_occurrence(inputs: PlanInputs, duty, last: DutyDone | None) -> ProposedAction:
    every = _cadence(duty.cadence)
    facts = [Fact("Duty", duty.title, "Standards catalogue"), Fact("How often", every, "Standards catalogue")]
    if last is None:
        due = _first_due(inputs, duty.cadence)
        title, occurrence = duty.title, "not-recorded"
        why = (
            f"A recurring duty of the {in_sentence(duty.standard_title)} standard, done {every}. When it was last done "
            "is not recorded: mark this action done when it is, and the plan dates the next one from that day."
        )
        facts.append(Fact("Last done", "Not recorded", DUTY_RECORDS))
    else:
        due = standards_duties.next_due(last.done_on, duty.cadence)
        occurrence = due.isoformat()
        by = f" by {last.done_by}" if last.done_by else ""
        why = f"A recurring duty of the {in_sentence(duty.standard_title)} standard, done {every}. Last done on " + (
            f"{govuk_date(last.done_on)}{by}, so the next one is due by {govuk_date(due)}."
        )
        facts.append(Fact("Last done", govuk_date(last.done_on), DUTY_RECORDS))
        if last.done_by:
            facts.append(Fact("Done by", last.done_by, DUTY_RECORDS))
        title = duty.title
        if due < inputs.today:
            title = f"{duty.title}: overdue since {govuk_date(due)}"
            why += " It is overdue: do it now."
            due = inputs.now_due
    return ProposedAction(
        key=duty_action_key(duty.key, occurrence),
        title=title,
        why=why,
        rule_key=DUTY_RULE,
        due_date=due,
        priority=standard_priority(duty.standard_key, duty.is_core),
        category=STANDARD_CATEGORY.get(duty.standard_key, Category.OTHER),
        facts=tuple(facts),
        owner=duty.usually_done_by,
        group_key=f"duty:{duty.key}",
    )


def _cadence(cadence: str) -> str:
    return "every term" if cadence == "termly" else "every year"


# --- 6. Standards not met -------------------------------------------------------------------------


def _requirement_due(inputs: PlanInputs, gap) -> tuple[datetime.date, str]:
    if gap.when_to_meet == "now":
        return inputs.now_due, "Expected now (already expected, or statutory)."
    if gap.when_to_meet == "before_budget":
        due = max(_next_budget_deadline(inputs.today), inputs.now_due)
        return due, f"Expected before your next budget cycle: the plan allows until {govuk_date(due)}."
    if gap.when_to_meet == "end_of_contract":
        category = STANDARD_CATEGORY.get(gap.standard_key)
        ends = sorted(
            c.end_date
            for c in inputs.contracts
            if c.end_date and inputs.today <= c.end_date <= inputs.horizon_end and category in c.covers
        )
        if ends:
            return ends[0], f"Meet it when the current contract ends, on {govuk_date(ends[0])}."
        return calendar.add_years(inputs.today, 1), (
            "Meet it when the current contract ends. The contracts register does not say when that is, so the plan "
            "allows a year: record the contract to date this properly."
        )
    if gap.when_to_meet == "by_2030":
        return min(BY_2030, inputs.horizon_end), "Core standards are expected to be met by 2030."
    if gap.is_core:
        return min(BY_2030, inputs.horizon_end), "Meet it when you next upgrade, and by 2030 at the latest."
    return inputs.horizon_end, "Meet it when you next upgrade or replace it."


def _next_budget_deadline(today: datetime.date) -> datetime.date:
    """31 March: before April budgets are set, and in time for academies' budgets for September."""
    deadline = datetime.date(today.year, 3, 31)
    return deadline if deadline >= today else datetime.date(today.year + 1, 3, 31)


def _duty_done_in_time(inputs: PlanInputs, gap) -> tuple | None:
    """The recurring duty serving this requirement and its latest record, when it is not yet due again."""
    done = {record.key: record for record in inputs.duties_done}
    for duty in inputs.duties:
        last = done.get(duty.key)
        serves = (duty.standard_key, duty.requirement_key) == (gap.standard_key, gap.requirement_key)
        if serves and last and standards_duties.next_due(last.done_on, duty.cadence) >= inputs.today:
            return duty, last
    return None


def unmet_requirements(inputs: PlanInputs) -> Iterator[ProposedAction]:
    for gap in inputs.gaps:
        due, when = _requirement_due(inputs, gap)
        priority = standard_priority(gap.standard_key, gap.is_core)
        if (gap.standard_key, gap.requirement_key) in SAFEGUARDING_REQUIREMENTS:
            priority = Priority.STATUTORY
        status = "does not meet" if gap.status == "does_not_meet" else "partly meets"
        assessed = f"Self-assessment, {govuk_date(gap.assessed_on)}" if gap.assessed_on else "Self-assessment"
        facts = [
            Fact("Standard", gap.standard_title, "Standards catalogue"),
            Fact("Requirement", gap.title, "Standards catalogue"),
            Fact("Where the school stands", status.capitalize(), assessed),
        ]
        if gap.threshold:
            facts.append(Fact("What meets it", gap.threshold, "Standards catalogue"))
        facts += [Fact("Reason", reason, assessed) for reason in gap.reasons]
        title, advice = gap.title, gap.recommendation
        if current := _duty_done_in_time(inputs, gap):
            # The check itself is up to date (its own action dates the next one): what is left is what
            # the self-assessment found missing, not "book this year's review".
            duty, last = current
            title = f"{gap.title}: put right what the self-assessment found"
            advice = (
                f"“{duty.title}” was last done on {govuk_date(last.done_on)}, in time, so the next one is planned "
                "separately. Put right the reasons the self-assessment gives, then answer it again."
            )
        yield ProposedAction(
            key=f"requirement:{gap.standard_key}:{gap.requirement_key}",
            title=title,
            why=f"The school {status} this requirement of the {in_sentence(gap.standard_title)} standard. {when} "
            f"{advice}",
            rule_key="unmet_requirements",
            due_date=due,
            priority=priority,
            category=STANDARD_CATEGORY.get(gap.standard_key, Category.OTHER),
            facts=tuple(facts),
            owner=gap.usually_done_by,
            needs=(requirement_need(gap.standard_key, gap.requirement_key),),
        )


def unassessed_standards(inputs: PlanInputs) -> Iterator[ProposedAction]:
    for standard in inputs.unassessed:
        priority = standard_priority(standard.key, standard.is_core)
        due = inputs.now_due if priority < Priority.OTHER else calendar.term_of(inputs.now_due).next().end
        yield ProposedAction(
            key=f"assess:{standard.key}",
            title=f"Complete the {in_sentence(standard.title)} self-assessment",
            why="Nobody has assessed this standard yet, so the plan cannot say what it needs. The self-assessment "
            "takes about 10 minutes and “I don’t know” is always an answer.",
            rule_key="unassessed_standards",
            due_date=due,
            priority=priority,
            category=STANDARD_CATEGORY.get(standard.key, Category.OTHER),
            facts=(Fact("Standard", standard.title, "Standards self-assessment: not assessed"),),
            owner="Senior leader for digital technology",
            is_find_out=True,
        )


# --- 7. Servers: cloud migration ------------------------------------------------------------------

MIGRATION_STEPS = (
    (0, "Check where a cloud service would hold the data from {server}: it should be the UK or the EU", "cloud"),
    (1, "Check the cloud service for {server} works with your single sign-on", "cloud"),
    (2, "Agree an exit route: how you would export your data and leave the cloud service for {server}", "cloud"),
    (4, "Move the data and services from {server} to the cloud", "cloud"),
    (6, "Retire {server} and dispose of it securely", "disposal"),
)


def cloud_migration(inputs: PlanInputs) -> Iterator[ProposedAction]:
    for server in inputs.servers:
        if server.could_move_to_cloud is None:
            yield ProposedAction(
                key=f"cloud-candidate-unknown:{server.pk}",
                title=f"Find out whether the services on {server.label} could move to the cloud",
                why="The asset register does not say. Cloud services avoid replacing the server and are backed up "
                "off site; ask your IT support provider.",
                rule_key="cloud_migration",
                due_date=calendar.term_of(inputs.now_due).next().end,
                priority=Priority.OTHER,
                category=Category.CLOUD,
                facts=(Fact("Server", server.label, ASSETS), Fact("Could move to the cloud", "Not recorded", ASSETS)),
                owner="IT support provider",
                is_find_out=True,
            )
        elif server.could_move_to_cloud:
            yield from _migration_steps(inputs, server)
        elif server.support_end is not None and server.support_end <= inputs.horizon_end:
            group = KitGroup("server", "Server", 1, server.label, server.support_end, "manufacturer support end", True)
            why = "A server without security updates must be replaced, or its services moved elsewhere."
            yield from _replacements(inputs, [group], "server_support", why)
    unknown = [s for s in inputs.servers if s.support_end is None and not s.could_move_to_cloud]
    if unknown:
        yield ProposedAction(
            key="server-support-unknown",
            title=f"Find out when {len(unknown)} server{'s' if len(unknown) != 1 else ''} stop"
            f"{'s' if len(unknown) == 1 else ''} getting security updates",
            why="These servers stay on site (or may), and the asset register has no support end for them or their "
            "operating system. A server out of support must be replaced or its services moved: record the date so "
            "the plan can date it. Unknown is never assumed to be fine.",
            rule_key="cloud_migration",
            due_date=inputs.now_due,
            priority=Priority.SECURITY,
            category=Category.SERVERS,
            facts=tuple(
                Fact(
                    "Server", f"{s.label}: {'stays on site' if s.could_move_to_cloud is False else 'may stay'}", ASSETS
                )
                for s in unknown
            ),
            owner="IT support provider",
            is_find_out=True,
        )


def _migration_steps(inputs: PlanInputs, server) -> Iterator[ProposedAction]:
    ends = server.support_end
    start = inputs.now_due
    if ends is not None and calendar.add_months(ends, -9) > start:
        start = calendar.add_months(ends, -9)  # finish by the time support ends
    priority = Priority.SECURITY if ends is not None and ends <= inputs.today else Priority.OTHER
    facts = (
        Fact("Server", server.label, ASSETS),
        Fact("Role", server.role.replace("_", " ") or "Not recorded", ASSETS),
        Fact("Could move to the cloud", "Yes", ASSETS),
        Fact("Support ends", govuk_date(ends), ASSETS),
    )
    for step, (months, text, category) in enumerate(MIGRATION_STEPS, start=1):
        cost, basis = (None, "")
        if step == 4:
            cost, basis = cost_of(inputs, "cloud_migration")
        elif step == 5:
            cost, basis = cost_of(inputs, "disposal")
        yield ProposedAction(
            key=f"cloud-migration:{server.pk}:{step}",
            title=f"Step {step} of 5: " + text.format(server=server.label),
            why="The server is marked as one whose services could move to the cloud. Do the steps in order: check "
            "where data would be held, sign-in, and how to leave before you move anything, then retire the server.",
            rule_key="cloud_migration",
            due_date=calendar.add_months(start, months),
            priority=priority,
            category=category,
            facts=facts,
            estimated_cost=cost,
            cost_basis=basis,
            owner="IT support provider with the school business manager",
            group_key=f"cloud-migration:{server.pk}",
            step=step,
        )


# --- 8. Cloud services: MFA and data location -------------------------------------------------------


def cloud_security(inputs: PlanInputs) -> Iterator[ProposedAction]:
    cloud = [s for s in inputs.services if s.hosting == "cloud"]
    without_mfa = [s.name for s in cloud if not s.mfa_enforced]
    if without_mfa:
        yield ProposedAction(
            key="cloud-mfa",
            title=f"Turn on multi-factor authentication for {len(without_mfa)} cloud "
            f"service{'s' if len(without_mfa) != 1 else ''}",
            why="The cyber security standard expects multi-factor authentication for every staff account with cloud "
            "or remote access.",
            rule_key="cloud_security",
            due_date=inputs.now_due,
            priority=Priority.SECURITY,
            category=Category.CYBER,
            facts=(Fact("Without MFA enforced", ", ".join(without_mfa), SERVICES),),
            owner="IT support provider",
        )
    unknown = [s.name for s in cloud if s.data_location == "unknown"]
    if unknown:
        yield ProposedAction(
            key="cloud-data-location",
            title=f"Find out where {len(unknown)} cloud service{'s hold' if len(unknown) != 1 else ' holds'} your data",
            why="Personal data should be held in the UK or the EU, or with the safeguards UK GDPR requires.",
            rule_key="cloud_security",
            due_date=inputs.now_due,
            priority=Priority.SECURITY,
            category=Category.CLOUD,
            facts=(Fact("Data location not known", ", ".join(unknown), SERVICES),),
            owner="Data protection officer with IT support",
            is_find_out=True,
            needs=(requirement_need("cloud", "data_protection"),),
        )


# --- 9. Registers with nothing in them -------------------------------------------------------------

MISSING_REGISTERS = (
    ("connections", "Record your internet connections and their contracts", Priority.CORE_2030, Category.BROADBAND),
    (
        "assets",
        "Record your devices and network equipment, with support end dates",
        Priority.SECURITY,
        Category.DEVICES,
    ),
    (
        "contracts",
        "Record your technology contracts, with end and notice dates",
        Priority.SECURITY,
        Category.LEADERSHIP,
    ),
    ("services", "Record your software and cloud services", Priority.SECURITY, Category.CLOUD),
)


def missing_registers(inputs: PlanInputs) -> Iterator[ProposedAction]:
    for register, title, priority, category in MISSING_REGISTERS:
        if register in inputs.registers:
            continue
        yield ProposedAction(
            key=f"register-missing:{register}",
            title=title,
            why="The plan dates its actions from what the registers hold. With this register empty it cannot warn "
            "you before contracts renew or equipment stops getting security updates.",
            rule_key="missing_registers",
            due_date=inputs.now_due,
            priority=priority,
            category=category,
            facts=(Fact("Register", "Nothing recorded", REGISTERS),),
            owner="School business manager",
            is_find_out=True,
        )


RULES: list[Rule] = [
    Rule(
        "contract_notice",
        "Contract notice deadlines",
        "Dates the last day to give notice on each contract.",
        contract_notice,
    ),
    Rule(
        "broadband_backup",
        "Backup internet connection",
        "Looks for a backup line of a different type with failover.",
        broadband_backup,
    ),
    Rule(
        "device_support",
        "Devices losing support",
        "Replaces devices before their support or operating system ends.",
        device_support,
    ),
    Rule(
        "network_kit_support",
        "Network equipment losing support",
        "Replaces network kit before firmware updates stop.",
        network_kit_support,
    ),
    Rule(
        "equipment_support",
        "Displays, printers and other equipment losing support",
        "Replaces displays, printers and other equipment before support ends.",
        equipment_support,
    ),
    Rule(
        "warranties",
        "Warranties ending",
        "Asks whether to extend each warranty before it ends.",
        warranties,
    ),
    Rule(
        "broadband_speed",
        "Broadband speed",
        "Compares the main connection’s contracted speed with the standard for the school’s phase.",
        broadband_speed,
    ),
    Rule(
        "device_minimums",
        "Device minimums for the next purchase",
        "Makes the next device purchase meet the standard’s minimums.",
        device_minimums,
    ),
    Rule(
        "software_renewals",
        "Software and licence renewals",
        "Dates each software renewal decision, with its licence counts.",
        software_renewals,
    ),
    Rule(
        "recurring_duties",
        "Recurring duties",
        "Dates each termly and annual duty’s next occurrence from when it was last done.",
        recurring_duties,
    ),
    Rule(
        "unmet_requirements",
        "Standards not yet met",
        "Dates each unmet requirement by when it must be met.",
        unmet_requirements,
    ),
    Rule(
        "unassessed_standards",
        "Standards not assessed",
        "Asks for a self-assessment of each standard not yet assessed.",
        unassessed_standards,
    ),
    Rule(
        "cloud_migration",
        "Servers that could move to the cloud",
        "Plans the migration steps in order, then retires the server.",
        cloud_migration,
    ),
    Rule(
        "cloud_security",
        "Cloud service security",
        "Checks multi-factor authentication and where data is held.",
        cloud_security,
    ),
    Rule(
        "missing_registers",
        "Empty registers",
        "Asks for the registers the plan needs.",
        missing_registers,
    ),
]
RULES_BY_KEY = {rule.key: rule for rule in RULES}
RULE_NAMES = {
    **{rule.key: rule.name for rule in RULES},
    "server_support": "Servers losing support",
}
