"""The registers' JSON API under /api/v1/schools/{urn}/estate/...

Each register has:
    GET    .../{register}                 list (limit, offset)
    POST   .../{register}                 add one
    GET    .../{register}/{id}            read one
    POST or PATCH .../{register}/{id}     change the fields given
    DELETE .../{register}/{id}            remove one

Who may call: see schooltech/api (an API key or a browser session). Every operation is declared
with `operation(...)` and checked by the one policy before its body is read. Values are checked
by the same rules as file imports.
"""

import datetime
import inspect
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Model
from ninja import Query, Router, Schema, Status
from pydantic import BaseModel, BeforeValidator, Strict, StrictBool, StrictInt, StrictStr, create_model

from schooltech.api.errors import BODY_ERRORS, COMMON_ERRORS, QUERY_ERRORS, InvalidValues
from schooltech.api.operations import operation, refuse_other_methods
from schooltech.estate import importers, registers, services
from schooltech.estate.models import Asset

ID_KWARGS = {
    "assets": "asset_id",
    "connections": "connection_id",
    "services": "service_id",
    "contracts": "contract_id",
    "information-assets": "information_asset_id",
}

router = Router(tags=["ICT estate registers"])
MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000  # far beyond any register; larger numbers would overflow the database's integers

# --- Schemas built from the register specs ------------------------------------------------------------


def _date_text(value: Any) -> Any:
    """A date comes as text, YYYY-MM-DD: not a number, which pydantic would read as seconds since 1970."""
    if isinstance(value, str | datetime.date):
        return value
    raise ValueError("Enter a date as text, YYYY-MM-DD")


# What a request may send for each kind of column: the JSON type the OpenAPI document names, and no
# other (pydantic would otherwise take 0 as false, "5" as 5 and 0 as 1 January 1970).
INPUT_TYPES: dict[str, Any] = {
    "date": Annotated[datetime.date, BeforeValidator(_date_text)],
    "decimal": Decimal,
    "int": StrictInt,
    "float": Annotated[float, Strict()],
    "bool": StrictBool,
}


def _python_type(column: registers.Column, *, for_input: bool) -> Any:
    if column.kind == "choice":
        values = tuple(value for value, _ in column.choices.choices)
        return Literal[values] if for_input else str  # type: ignore[valid-type]
    if for_input:
        return INPUT_TYPES.get(column.kind, StrictStr)
    return {
        "date": datetime.date,
        "decimal": Decimal,
        "int": int,
        "float": float,
        "bool": bool,
    }.get(column.kind, str)


def _schema(register: registers.Register, name: str, *, for_input: bool, all_optional: bool) -> type[Schema]:
    fields: dict[str, Any] = {}
    if not for_input:
        fields["id"] = (int, ...)
    for column in register.columns:
        kind = _python_type(column, for_input=for_input)
        required = for_input and column.required and not all_optional
        fields[column.field] = (kind, ...) if required else (kind | None, None)
    # Input is a plain pydantic model: django-ninja's Schema would read any JSON (a list, a number) as
    # an object with no fields, so `[null]` would be taken as an empty change.
    return create_model(f"{register.model.__name__}{name}", __base__=BaseModel if for_input else Schema, **fields)


class ListOut(Schema):
    count: int
    limit: int
    offset: int


def _clean(register: registers.Register, payload: dict[str, Any], *, item: Model | None, establishment) -> dict:
    """Check values with the import rules; raise a 422 listing every problem."""
    values, errors = {}, []
    for name, value in payload.items():
        column = register.column_by_field[name]
        try:
            values[name] = importers._converter(column)(value)
        except importers.CellError as error:
            errors.append({"field": name, "message": str(error)})
    merged = {**_current_values(register, item), **values} if item else dict(values)
    for problem in importers._row_rules(register, merged, 0):
        errors.append({"field": problem["column"], "message": problem["message"]})
    if register is registers.ASSETS:
        errors += _duplicate_errors(merged, item=item, establishment=establishment)
    if errors:
        raise InvalidValues(errors)
    return {name: merged[name] for name in values if name in merged}


def _current_values(register: registers.Register, item: Model) -> dict[str, Any]:
    values = {}
    for column in register.columns:
        value = getattr(item, column.field)
        values[column.field] = value.isoformat() if isinstance(value, datetime.date) else value
    return values


def _duplicate_errors(values: dict, *, item: Model | None, establishment) -> list[dict]:
    others = Asset.objects.filter(establishment=establishment).exclude(pk=getattr(item, "pk", None))
    errors = []
    for name in ("serial_number", "asset_tag"):
        if values.get(name) and others.filter(**{f"{name}__iexact": values[name]}).exists():
            errors.append({"field": name, "message": "Another asset in the register already has this value"})
    return errors


def _decoded(register: registers.Register, values: dict[str, Any]) -> dict[str, Any]:
    return services._decode(register, values)


# --- Operations ----------------------------------------------------------------------------------------

_KEYWORD = inspect.Parameter.KEYWORD_ONLY


def _add_register_routes(register: registers.Register) -> None:
    slug, model = register.slug, register.model
    id_kwarg = ID_KWARGS[slug]
    instance = id_kwarg.removesuffix("_id")
    prefix = slug.replace("-", "_")
    item_out = _schema(register, "Out", for_input=False, all_optional=False)
    create_in = _schema(register, "In", for_input=True, all_optional=False)
    patch_in = _schema(register, "Patch", for_input=True, all_optional=True)
    list_out = create_model(f"{model.__name__}List", __base__=ListOut, items=(list[item_out], ...))
    collection = f"/schools/{{urn}}/estate/{slug}"
    single = f"{collection}/{{int:{id_kwarg}}}"

    def list_items(request, establishment, limit: int = 100, offset: int = 0):
        limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, min(offset, MAX_OFFSET))
        queryset = model.objects.filter(establishment=establishment).order_by("pk")
        return {
            "count": queryset.count(),
            "limit": limit,
            "offset": offset,
            "items": list(queryset[offset : offset + limit]),
        }

    def create_item(request, establishment, payload):
        values = _clean(register, payload.model_dump(exclude_unset=True), item=None, establishment=establishment)
        item = services.register_item_create(
            register=register, establishment=establishment, user=request.user, data=_decoded(register, values)
        )
        return Status(201, item)

    def read_item(request, establishment, **kwargs):
        return kwargs[instance]

    def update_item(request, establishment, payload, **kwargs):
        item = kwargs[instance]
        values = _clean(register, payload.model_dump(exclude_unset=True), item=item, establishment=establishment)
        return services.register_item_update(item=item, user=request.user, data=_decoded(register, values))

    def delete_item(request, establishment, **kwargs):
        services.register_item_delete(item=kwargs[instance], user=request.user)
        return Status(204, None)

    paging = [
        inspect.Parameter("limit", _KEYWORD, annotation=int, default=Query(100, ge=1, le=MAX_LIMIT)),
        inspect.Parameter("offset", _KEYWORD, annotation=int, default=Query(0, ge=0, le=MAX_OFFSET)),
    ]
    objects = {id_kwarg: model}
    router.get(
        collection,
        response={200: list_out, **QUERY_ERRORS, **COMMON_ERRORS},
        operation_id=f"{prefix}_list",
        summary=f"List {register.name.lower()}",
    )(operation("view", establishment="urn", params=paging, name=f"{prefix}_list")(list_items))
    router.post(
        collection,
        response={201: item_out, **BODY_ERRORS, **COMMON_ERRORS},
        operation_id=f"{prefix}_create",
        summary=f"Add {register.singular}",
    )(
        operation(
            "edit",
            establishment="urn",
            params=[inspect.Parameter("payload", _KEYWORD, annotation=create_in)],
            name=f"{prefix}_create",
        )(create_item)
    )
    router.get(
        single,
        response={200: item_out, **COMMON_ERRORS},
        operation_id=f"{prefix}_read",
        summary=f"Read {register.singular}",
    )(operation("view", establishment="urn", objects=objects, name=f"{prefix}_read")(read_item))
    router.api_operation(
        ["POST", "PATCH"],
        single,
        response={200: item_out, **BODY_ERRORS, **COMMON_ERRORS},
        operation_id=f"{prefix}_update",
        summary=f"Change {register.singular}",
    )(
        operation(
            "edit",
            establishment="urn",
            objects=objects,
            params=[inspect.Parameter("payload", _KEYWORD, annotation=patch_in)],
            name=f"{prefix}_update",
        )(update_item)
    )
    router.delete(
        single,
        response={204: None, **COMMON_ERRORS},
        operation_id=f"{prefix}_delete",
        summary=f"Remove {register.singular}",
    )(operation("edit", establishment="urn", objects=objects, name=f"{prefix}_delete")(delete_item))
    refuse_other_methods(router, collection, allowed=["GET", "POST"], establishment="urn")
    refuse_other_methods(
        router, single, allowed=["GET", "POST", "PATCH", "DELETE"], establishment="urn", objects=objects
    )


for _register in registers.REGISTERS.values():
    _add_register_routes(_register)


__all__ = ["router"]
