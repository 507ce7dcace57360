"""Which questions the asset form asks for each category: a laptop is not asked port speeds or
server roles. Every asset is asked the common questions; each category adds its own. Imports and
the API still accept every column (a spreadsheet may carry them all)."""

from __future__ import annotations

from schooltech.estate.models import AssetCategory

COMMON = (
    "asset_tag",
    "serial_number",
    "make",
    "model_name",
    "location",
    "purchase_date",
    "purchase_cost",
    "warranty_end",
    "support_end",
    "status",
)
# Asked only of an asset already disposed of (to correct them): disposal itself is "Mark as disposed",
# which asks for both, so adding or changing a working asset never asks about its disposal.
DISPOSAL = ("disposal_date", "weee_reference")

_USER_DEVICE = ("operating_system", "os_version", "assigned_to", "centrally_managed")
_SWITCH = ("port_speed_mbps", "uplink_speed_mbps", "centrally_managed")
_NETWORK_EDGE = ("operating_system", "os_version", "centrally_managed")

BY_CATEGORY: dict[str, tuple[str, ...]] = {
    AssetCategory.LAPTOP: _USER_DEVICE,
    AssetCategory.DESKTOP: _USER_DEVICE,
    AssetCategory.TABLET: _USER_DEVICE,
    AssetCategory.CHROMEBOOK: _USER_DEVICE,
    AssetCategory.INTERACTIVE_DISPLAY: ("operating_system", "os_version", "centrally_managed"),
    AssetCategory.EDGE_SWITCH: _SWITCH,
    AssetCategory.CORE_SWITCH: _SWITCH,
    AssetCategory.ACCESS_POINT: ("wifi_standard", "uplink_speed_mbps", "centrally_managed"),
    AssetCategory.FIREWALL: _NETWORK_EDGE,
    AssetCategory.ROUTER: _NETWORK_EDGE,
    AssetCategory.SERVER: ("operating_system", "os_version", "server_role", "could_move_to_cloud"),
    AssetCategory.STORAGE: ("server_role", "could_move_to_cloud"),
    AssetCategory.UPS: (),
    AssetCategory.PRINTER: ("centrally_managed",),
    AssetCategory.OTHER: ("operating_system", "os_version", "assigned_to", "centrally_managed"),
}

CATEGORY_SPECIFIC = tuple(sorted({name for names in BY_CATEGORY.values() for name in names}))


def questions_for(category: str, *, disposed: bool = False) -> tuple[str, ...]:
    """The fields asked for this category, in the register's order; the common ones for an unknown
    category; the disposal questions only for an asset already disposed of."""
    return COMMON + (DISPOSAL if disposed else ()) + BY_CATEGORY.get(category, ())


def not_asked(category: str) -> tuple[str, ...]:
    """The category-specific fields this category is not asked (cleared when an asset changes category)."""
    asked = set(BY_CATEGORY.get(category, ()))
    return tuple(name for name in CATEGORY_SPECIFIC if name not in asked)
