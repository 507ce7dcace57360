"""What each register holds, in one place: its model, the columns of its files (import, export
and template) and how a re-imported row is matched to an existing one. Views, importers,
exporters and the API all read these specs, so a column is added once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db import models as db_models

from schooltech.estate import models


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str = "text"  # text, date, decimal, int, float, bool, choice, contract, service
    required: bool = False
    choices: type[db_models.TextChoices] | None = None
    aliases: tuple[str, ...] = ()
    max_length: int | None = None
    validators: tuple = ()  # the model field's own bounds (core/validation.py), checked on import too

    @cached_property
    def labels(self) -> dict[str, str]:
        """A choice column's labels by value, worked out once (lists and exports show a label a cell)."""
        return {value: str(label) for value, label in self.choices.choices} if self.choices else {}


@dataclass(frozen=True, eq=False)
class Register:
    slug: str
    name: str  # "Assets"
    singular: str  # "asset"
    model: type[db_models.Model]
    columns: tuple[Column, ...]
    match_on: tuple[tuple[str, ...], ...]  # tried in order; each a tuple of fields that must all match
    list_fields: tuple[str, ...]
    sort_fields: tuple[str, ...]
    filters: tuple[str, ...] = ()
    search_fields: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @cached_property
    def column_by_field(self) -> dict[str, Column]:
        return {column.field: column for column in self.columns}


def _c(model, name, kind="text", *, required=False, choices=None, aliases=(), header=None) -> Column:
    model_field = model._meta.get_field(name)
    label = header or str(model_field.verbose_name)
    return Column(
        field=name,
        header=label[0].upper() + label[1:],
        kind=kind,
        required=required,
        choices=choices,
        aliases=aliases,
        max_length=getattr(model_field, "max_length", None) if kind in ("text", "choice") else None,
        validators=tuple(model_field.validators) if kind in ("date", "decimal", "int", "float") else (),
    )


A = models.Asset
ASSETS = Register(
    slug="assets",
    name="Assets",
    singular="asset",
    model=A,
    columns=(
        _c(A, "category", "choice", required=True, choices=models.AssetCategory, aliases=("type", "device type")),
        _c(A, "asset_tag", aliases=("asset id", "asset number", "annotated asset id")),
        _c(A, "serial_number", aliases=("serial", "serial no", "serialnumber")),
        _c(A, "make", aliases=("manufacturer", "vendor make")),
        _c(A, "model_name", header="model", aliases=("model name", "device model")),
        _c(A, "operating_system", aliases=("os", "platform", "operating system name")),
        _c(A, "os_version", aliases=("os version", "operating system version", "platform version")),
        _c(A, "location", aliases=("building", "room", "annotated location", "org unit path")),
        _c(A, "assigned_to", aliases=("user", "username", "primary user upn", "primary user", "annotated user")),
        _c(A, "purchase_date", "date", aliases=("po date", "purchased", "date purchased")),
        _c(A, "purchase_cost", "decimal", aliases=("purchase price", "cost", "price")),
        _c(A, "warranty_end", "date", aliases=("warranty expiration", "warranty expires", "warranty end date")),
        _c(
            A,
            "support_end",
            "date",
            aliases=("auto update expiration", "aue date", "auto-update expiration", "end of support", "eol date"),
        ),
        _c(A, "status", "choice", choices=models.AssetStatus),
        _c(A, "disposal_date", "date"),
        _c(A, "weee_reference", aliases=("weee certificate", "weee reference")),
        _c(A, "port_speed_mbps", "int"),
        _c(A, "uplink_speed_mbps", "int"),
        _c(A, "wifi_standard", "choice", choices=models.WifiStandard, header="Wi-Fi standard"),
        _c(A, "centrally_managed", "bool"),
        _c(A, "server_role", "choice", choices=models.ServerRole),
        _c(A, "could_move_to_cloud", "bool"),
    ),
    match_on=(("serial_number",), ("asset_tag",)),
    list_fields=("asset_tag", "category", "make", "model_name", "status", "support_end"),
    sort_fields=("asset_tag", "category", "make", "purchase_date", "support_end", "status"),
    filters=("category", "status"),
    search_fields=("asset_tag", "serial_number", "make", "model_name", "location", "assigned_to"),
)

C = models.Connection
CONNECTIONS = Register(
    slug="connections",
    name="Internet connections",
    singular="internet connection",
    model=C,
    columns=(
        _c(C, "provider", required=True),
        _c(C, "technology", "choice", required=True, choices=models.ConnectionTechnology),
        _c(C, "role", "choice", choices=models.Connection.Role, header="primary or backup"),
        _c(C, "download_mbps_contracted", "float"),
        _c(C, "upload_mbps_contracted", "float"),
        _c(C, "download_mbps_measured", "float"),
        _c(C, "upload_mbps_measured", "float"),
        _c(C, "measured_on", "date"),
        _c(C, "automatic_failover", "bool"),
    ),
    match_on=(("provider", "technology", "role"),),
    list_fields=("provider", "technology", "role", "download_mbps_contracted", "upload_mbps_contracted"),
    sort_fields=("provider", "technology", "role"),
    filters=("technology", "role"),
    search_fields=("provider",),
)

S = models.Service
SERVICES = Register(
    slug="services",
    name="Software and cloud services",
    singular="software or cloud service",
    model=S,
    columns=(
        _c(S, "name", required=True),
        _c(S, "supplier"),
        _c(S, "category", "choice", required=True, choices=models.ServiceCategory),
        _c(S, "hosting", "choice", choices=models.Service.Hosting, header="on premises or cloud"),
        _c(S, "data_location", "choice", choices=models.Service.DataLocation),
        _c(S, "single_sign_on", "bool"),
        _c(S, "mfa_enforced", "bool"),
        _c(S, "licences_bought", "int"),
        _c(S, "licences_used", "int"),
        _c(S, "renewal_date", "date"),
    ),
    match_on=(("name",),),
    list_fields=("name", "supplier", "category", "hosting", "mfa_enforced", "renewal_date"),
    sort_fields=("name", "supplier", "category", "renewal_date"),
    filters=("category", "hosting"),
    search_fields=("name", "supplier"),
)

K = models.Contract
CONTRACTS = Register(
    slug="contracts",
    name="Contracts",
    singular="contract",
    model=K,
    columns=(
        _c(K, "supplier", required=True),
        _c(K, "title", required=True, aliases=("title", "description", "covers")),
        _c(K, "start_date", "date"),
        _c(K, "end_date", "date"),
        _c(K, "notice_days", "int", aliases=("notice days", "notice period")),
        _c(K, "auto_renews", "bool", aliases=("auto renewal", "auto-renews")),
        _c(K, "annual_cost", "decimal"),
        _c(K, "total_cost", "decimal"),
        _c(K, "buying_route", aliases=("framework", "buying route")),
        _c(K, "owner"),
    ),
    match_on=(("supplier", "title"),),
    list_fields=("supplier", "title", "end_date", "annual_cost", "owner"),
    sort_fields=("supplier", "end_date", "annual_cost"),
    filters=(),
    search_fields=("supplier", "title", "owner"),
)

I = models.InformationAsset  # noqa: E741
INFORMATION_ASSETS = Register(
    slug="information-assets",
    name="Information assets",
    singular="information asset",
    model=I,
    columns=(
        _c(I, "name", required=True),
        _c(I, "owner"),
        _c(I, "holds_personal_data", "bool"),
        _c(I, "held_in"),
    ),
    match_on=(("name",),),
    list_fields=("name", "owner", "holds_personal_data", "held_in"),
    sort_fields=("name", "owner"),
    filters=(),
    search_fields=("name", "owner", "held_in"),
)

REGISTERS: dict[str, Register] = {
    register.slug: register for register in (ASSETS, CONNECTIONS, SERVICES, CONTRACTS, INFORMATION_ASSETS)
}
REGISTER_SLUG_PATTERN = "|".join(REGISTERS)
_REGISTERS_BY_MODEL = {register.model: register for register in REGISTERS.values()}


def register_for_model(model: type[db_models.Model]) -> Register:
    return _REGISTERS_BY_MODEL[model]
