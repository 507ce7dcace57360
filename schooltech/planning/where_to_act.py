"""Where a plan action is done, and why it has no cost: links from each action to the page to act on.

Read from the action's stable key (see planning.md: keys such as `contract-notice:<contract id>`), so
the rules stay unaware of pages. A key this module does not know still gets the status page.
URLs are reversed by name: planning links to estate's and standards' pages without importing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from schooltech.planning.models import PlanAction

REGISTER_NAMES = {
    "assets": "assets",
    "connections": "internet connections",
    "services": "software and cloud services",
    "contracts": "contracts",
    "information-assets": "information assets",
}


@dataclass(frozen=True)
class Place:
    text: str
    href: str


def _url(name: str, urn: str, query: dict | None = None, **kwargs) -> str | None:
    try:
        url = reverse(name, kwargs={"urn": urn, **kwargs})
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def places(action: PlanAction, urn: str, *, can_edit: bool = True) -> list[Place]:
    """The pages where this action is done, most direct first (for editors, at least its status page)."""
    prefix, _, rest = action.key.partition(":")
    parts = rest.split(":") if rest else []
    found: list[tuple[str, str | None]] = []
    first = _number(parts[0]) if parts else None
    if prefix == "contract-notice" and first:
        found.append(
            ("Open the contract in the contracts register", _url("estate:contracts_detail", urn, contract_id=first))
        )
    elif prefix in ("contract-end-unknown", "contract-notice-unknown") and first:
        found.append(
            (
                "Record the end date and notice period on the contract",
                _url("estate:contracts_edit", urn, contract_id=first),
            )
        )
    elif prefix in ("broadband-backup", "broadband-failover", "broadband-speed", "broadband-speed-unknown"):
        found.append(("See your internet connections", _url("estate:connections_list", urn)))
    elif prefix in (
        "device_support", "network_kit_support", "server_support", "equipment_support", "warranty", "device-minimums"
    ) and parts:  # fmt: skip
        found.append(
            ("See this equipment in the assets register", _url("estate:assets_list", urn, {"category": parts[0]}))
        )
    elif prefix in (
        "device-support-unknown", "network-support-unknown", "equipment-support-unknown", "server-support-unknown"
    ):  # fmt: skip
        found.append(("Record support end dates in the assets register", _url("estate:assets_list", urn)))
    elif prefix in ("cloud-migration", "cloud-candidate-unknown") and first:
        found.append(("Open the server in the assets register", _url("estate:assets_detail", urn, asset_id=first)))
    elif prefix in ("software-renewal", "licences-short") and first:
        found.append(
            ("Open the service in the software register", _url("estate:services_detail", urn, service_id=first))
        )
    elif prefix in ("cloud-mfa", "cloud-data-location", "software-renewal-unknown"):
        found.append(("See your software and cloud services", _url("estate:services_list", urn)))
    elif prefix == "register-missing" and parts:
        slug = parts[0]
        name = REGISTER_NAMES.get(slug, slug)
        view = slug.replace("-", "_")
        found.append((f"Add to the {name} register", _url(f"estate:{view}_add", urn)))
        found.append((f"Import the {name} register from a spreadsheet", _url(f"estate:{view}_import", urn)))
    elif prefix == "assess" and parts:
        found.append(("Start or continue the self-assessment", _url("standards:standard", urn, standard_key=parts[0])))
    elif prefix == "requirement" and parts:
        found.append(("See the self-assessment results", _url("standards:results", urn, standard_key=parts[0])))
        found.append(("See the recommendations", _url("standards:recommendations", urn)))
        if len(parts) > 1:
            found.append(
                (
                    "Find schools like yours that meet this and offer help",
                    _url("peer:find", urn, standard_key=parts[0], requirement_key=parts[1]),
                )
            )
    elif prefix == "duty" and parts:
        found.append(("See the standards and their checks", _url("standards:overview", urn)))
    if action.is_active and can_edit:
        status = _url("planning:action_status", urn, action_id=action.pk)
        found.append(("Mark it done" if prefix == "duty" else "Change its status when you have done it", status))
    return [Place(text, href) for text, href in found if href]


# --- Actions with no cost ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NoCost:
    why: str
    how: str
    buying_helps: bool = True  # whether a buying route is a way to get a price


def no_cost(action: PlanAction) -> NoCost | None:
    """Why an action has no estimated cost and how to get one; None when it has one."""
    if action.estimated_cost is not None:
        return None
    prefix = action.key.partition(":")[0]
    if action.is_find_out:
        return NoCost(
            "This is something to find out or record: it takes staff time, not money.",
            "No cost is needed. Once you have found it out and recorded it, the plan adds any purchase it leads to, "
            "with its cost.",
            buying_helps=False,
        )
    if prefix == "duty":
        return NoCost(
            "This is a regular check done by your staff or IT support provider: it takes time, not a purchase.",
            "If your IT support provider charges for it, ask them for the price and add it as an action by hand.",
            buying_helps=False,
        )
    if action.source == PlanAction.Source.MANUAL:
        return NoCost(
            "Nobody entered a cost when this action was added by hand.",
            "Ask a supplier for a quote, or compare prices through a buying route.",
        )
    if prefix in ("contract-notice", "broadband-backup", "broadband-failover"):
        return NoCost(
            "The cost depends on the supplier and the contract you choose, and the contracts register has no "
            "annual value for it.",
            "Record the contract’s annual value in the contracts register, or get quotes through a buying route below.",
        )
    return NoCost(
        "The price table has no figure for this, and what it costs depends on what you decide to do.",
        "Ask your IT support provider or a supplier for a quote, or get prices through a buying route.",
    )
