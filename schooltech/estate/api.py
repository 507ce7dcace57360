"""The registers' JSON API under /api/v1/schools/{urn}/estate/...

Each register has:
    GET    .../{register}                 list (limit, offset)
    POST   .../{register}                 add one
    GET    .../{register}/{id}            read one
    POST or PATCH .../{register}/{id}     change the fields given
    DELETE .../{register}/{id}            remove one

Who may call: a signed-in browser session (with its CSRF token for writes) or an integration with
`Authorization: Bearer <token>` (an ApiToken: one organisation, read or read-and-write). Either
way every operation is declared with `policy.requires` and checked by the one policy before its
body is read. Values are checked by the same rules as file imports.
"""

import datetime
import hashlib
import inspect
from decimal import Decimal
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.utils import check_csrf
from pydantic import create_model

from schooltech.accounts import policy
from schooltech.accounts.models import Membership
from schooltech.estate import importers, registers, services
from schooltech.estate.models import ApiToken, Asset

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
ID_KWARGS = {
    "assets": "asset_id",
    "connections": "connection_id",
    "services": "service_id",
    "contracts": "contract_id",
    "information-assets": "information_asset_id",
}


class InvalidValues(Exception):
    """Values the registers refuse: answered 422 with every problem."""

    def __init__(self, errors: list[dict]):
        super().__init__("Invalid values")
        self.errors = errors


class SignInRequired(Exception):
    """An anonymous request without a token: treated like any page, it is sent to sign in."""

    def __init__(self, response):
        super().__init__("Sign in required")
        self.response = response


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _token_principal(raw: str):
    """The token's creator, confined to the token's one organisation and role, or None."""
    token = (
        ApiToken.objects.select_related("establishment", "trust")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    user = get_user_model().objects.filter(pk=token.created_by_id, is_active=True).first()
    action = "edit" if token.role == ApiToken.Role.EDITOR else "view"
    if user is None or not policy.can(user, action, token.organisation):
        return None  # people who lose access take their tokens' access with them
    membership = Membership(user=user, role=token.role)
    membership.set_organisation(token.organisation)
    policy.forget_memberships(user)
    # The policy reads a user's memberships from this per-request cache: the token's one stands in.
    setattr(user, policy._CACHE_ATTRIBUTE, [membership])
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return user


def _check_declared_access(request: HttpRequest) -> None:
    """Run the operation's own policy declaration before django-ninja reads the body."""
    match = request.resolver_match
    path_view = getattr(match.func, "__self__", None)  # set by schooltech/api.py
    operation = next((op for op in getattr(path_view, "operations", []) if request.method in op.methods), None)
    rule = getattr(getattr(operation, "view_func", None), "access_rule", None)
    if rule is None or rule.kind != "organisation":
        raise PermissionDenied
    probe = policy.requires(
        rule.action,
        organisation=rule.organisation_kwarg,
        establishment=rule.establishment_kwarg,
        objects=rule.objects,
    )(lambda request, **kwargs: None)
    response = probe(request, **dict(match.kwargs))
    if response is not None:
        raise SignInRequired(response)


class SessionOrToken:
    """django-ninja auth: a bearer token, else the browser session (CSRF-checked for writes)."""

    openapi_type = "http"

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, raw = header.partition(" ")
            user = _token_principal(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
            if user is None:
                return None  # 401
            request.user = user
            _check_declared_access(request)
            return user
        if request.user.is_authenticated and request.method not in SAFE_METHODS and check_csrf(request):
            raise HttpError(403, "CSRF check failed")
        _check_declared_access(request)
        return request.user


router = Router(tags=["ICT estate registers"], auth=SessionOrToken())

# --- Schemas built from the register specs ------------------------------------------------------------


def _python_type(column: registers.Column, *, for_input: bool) -> Any:
    if column.kind == "choice":
        values = tuple(value for value, _ in column.choices.choices)
        return Literal[values] if for_input else str  # type: ignore[valid-type]
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
    return create_model(f"{register.model.__name__}{name}", __base__=Schema, **fields)


class ListOut(Schema):
    count: int
    limit: int
    offset: int


class FieldError(Schema):
    field: str
    message: str


class ErrorsOut(Schema):
    errors: list[FieldError]


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


def _declare(function, *, action: str, objects: dict | None, params: list[inspect.Parameter], name: str):
    """Wrap with the policy and show django-ninja the URL's parameters, not the resolved rows."""
    wrapped = policy.requires(action, establishment="urn", objects=objects)(function)
    wrapped.__signature__ = inspect.Signature(
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("urn", _KEYWORD, annotation=str),
            *params,
        ]
    )
    wrapped.__name__ = wrapped.__qualname__ = name
    return wrapped


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
    id_param = inspect.Parameter(id_kwarg, _KEYWORD, annotation=int)

    def list_items(request, establishment, limit: int = 100, offset: int = 0):
        limit, offset = max(1, min(limit, 1000)), max(0, offset)
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
        inspect.Parameter("limit", _KEYWORD, annotation=int, default=100),
        inspect.Parameter("offset", _KEYWORD, annotation=int, default=0),
    ]
    objects = {id_kwarg: model}
    router.get(collection, response=list_out, operation_id=f"{prefix}_list", summary=f"List {register.name.lower()}")(
        _declare(list_items, action="view", objects=None, params=paging, name=f"{prefix}_list")
    )
    router.post(
        collection,
        response={201: item_out, 422: ErrorsOut},
        operation_id=f"{prefix}_create",
        summary=f"Add {register.singular}",
    )(
        _declare(
            create_item,
            action="edit",
            objects=None,
            params=[inspect.Parameter("payload", _KEYWORD, annotation=create_in)],
            name=f"{prefix}_create",
        )
    )
    router.get(single, response=item_out, operation_id=f"{prefix}_read", summary=f"Read {register.singular}")(
        _declare(read_item, action="view", objects=objects, params=[id_param], name=f"{prefix}_read")
    )
    router.api_operation(
        ["POST", "PATCH"],
        single,
        response={200: item_out, 422: ErrorsOut},
        operation_id=f"{prefix}_update",
        summary=f"Change {register.singular}",
    )(
        _declare(
            update_item,
            action="edit",
            objects=objects,
            params=[id_param, inspect.Parameter("payload", _KEYWORD, annotation=patch_in)],
            name=f"{prefix}_update",
        )
    )
    router.delete(single, response={204: None}, operation_id=f"{prefix}_delete", summary=f"Remove {register.singular}")(
        _declare(delete_item, action="edit", objects=objects, params=[id_param], name=f"{prefix}_delete")
    )


for _register in registers.REGISTERS.values():
    _add_register_routes(_register)


def handle_sign_in_required(request, exc: SignInRequired):
    return exc.response


def handle_permission_denied(api, request, exc):
    return api.create_response(request, {"detail": "You do not have access to this organisation"}, status=403)


def handle_invalid_values(api, request, exc: InvalidValues):
    return api.create_response(request, {"errors": exc.errors}, status=422)


__all__ = ["InvalidValues", "SignInRequired", "router"]
