"""The one permission policy: may this user do this action to this organisation's thing?

Every view, form, export and API route asks here; nothing else decides access.

    policy.can(user, "edit", establishment)          # an Establishment, Group, LocalAuthority,
    policy.can(user, "view", asset)                  # DEPARTMENT, OrganisationRef, or any object
                                                     # with an `establishment` FK or `organisation`
    policy.establishments_for(user, "view")          # a queryset of reachable establishments
    policy.can(user, "approve_plan", establishment)  # approvers of the school, its trust or its LA

Reach: a membership of an establishment reaches that establishment; of a trust or a local
authority, the organisation and the establishments it looks after, open or closed (the reach rule,
organisations.selectors.looks_after: a trust's academies, an authority's maintained schools); of
the department, national figures only (the DEPARTMENT target), never a school's own records.
"manage_users" and "manage_api_keys" apply to the organisation itself only, never through a trust
or authority; at the department, its department-role members manage API keys too (they make the
keys that read the legacy register). "view_audit" passes down to the approvers of the trust or
authority that looks after a school, so a school without an approver of its own still has someone
who can read its trail; what they see there is the school's records, not its people
(`audit_readers` names them all).
Support staff (is_staff) see every audit record and work in the Django admin; they get no other
reach.

Views declare their access with one of the decorators at the bottom (`public`, `signed_in`,
`staff_only`, `requires`). The declaration is also what the isolation test reads to prove that no
route shows or changes another organisation's data: see docs/architecture-accounts.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from schooltech.accounts.models import DEPARTMENT_ROLES, ROLE_RANK, Membership, Role
from schooltech.organisations.models import Establishment, Group, LocalAuthority
from schooltech.organisations.reference import (
    DEPARTMENT,
    Department,
    Organisation,
    OrganisationKind,
    OrganisationRef,
)
from schooltech.organisations.selectors import looked_after_by, looks_after

Action = Literal["view", "edit", "approve_plan", "manage_users", "manage_api_keys", "view_audit"]

MINIMUM_ROLE: dict[str, Role] = {
    "view": Role.VIEWER,
    "edit": Role.EDITOR,
    "approve_plan": Role.APPROVER,
    "manage_users": Role.APPROVER,
    "manage_api_keys": Role.APPROVER,
    "view_audit": Role.APPROVER,
}
# Actions that a trust or local authority membership passes down to the schools it looks after.
INHERITED_ACTIONS = {"view", "edit", "approve_plan", "view_audit"}
# The department looks after every school but sees national figures only, so its memberships pass nothing down.
PASSES_DOWN = {OrganisationKind.TRUST, OrganisationKind.LOCAL_AUTHORITY}

_CACHE_ATTRIBUTE = "_schooltech_memberships"
_DEPARTMENT_ACTIONS_ATTRIBUTE = "_schooltech_department_actions"


def memberships_of(user: Any) -> list[Membership]:
    """The user's memberships, read once per user object (so once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("establishment", "trust", "local_authority"))
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def confine_to(user: Any, memberships: list[Membership], *, department_actions: frozenset[str] = frozenset()) -> None:
    """For this request, let the user act only through these memberships and, on the department's
    own technology, do only these actions (an API key's reach)."""
    setattr(user, _CACHE_ATTRIBUTE, list(memberships))
    setattr(user, _DEPARTMENT_ACTIONS_ATTRIBUTE, frozenset(department_actions))


def forget_memberships(user: Any) -> None:
    """Drop the per-request cache after a service changed the user's memberships."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def organisation_of(target: Any) -> Organisation | None:
    """The organisation that owns a target, or None if it names no organisation that exists."""
    if isinstance(target, Establishment | Group | LocalAuthority | Department):
        return target
    if isinstance(target, OrganisationRef):
        return target.resolve()
    organisation = getattr(target, "organisation", None)
    if isinstance(organisation, Establishment | Group | LocalAuthority | Department):
        return organisation
    if hasattr(target, "establishment"):
        return target.establishment
    raise TypeError(f"The policy cannot tell which organisation owns {type(target).__name__}")


def _membership_reaches(membership: Membership, establishment: Establishment) -> bool:
    """Whether a trust or local authority membership passes actions down to this establishment."""
    return membership.organisation_kind in PASSES_DOWN and looks_after(membership.organisation, establishment)


def _is_membership_of(membership: Membership, organisation: Organisation) -> bool:
    return membership.organisation_ref == OrganisationRef.for_organisation(organisation)


def can(user: Any, action: Action, target: Any) -> bool:
    if action not in MINIMUM_ROLE:
        raise ValueError(f"Unknown action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if action == "view_audit" and user.is_staff:
        return True
    organisation = organisation_of(target)
    if organisation is None:
        return False
    if action == "manage_api_keys" and isinstance(organisation, Department) and _has_department_role(user):
        return True
    needed = ROLE_RANK[MINIMUM_ROLE[action]]
    for membership in memberships_of(user):
        if membership.rank < needed:
            continue
        if _is_membership_of(membership, organisation):
            return True
        if (
            action in INHERITED_ACTIONS
            and isinstance(organisation, Establishment)
            and _membership_reaches(membership, organisation)
        ):
            return True
    return False


def role_in(user: Any, organisation: Organisation) -> Role | None:
    """The user's own role in exactly this organisation (not inherited)."""
    for membership in memberships_of(user):
        if _is_membership_of(membership, organisation):
            return Role(membership.role)
    return None


def reads_people_records(user: Any, organisation: Organisation) -> bool:
    """Whether the user sees the organisation's people records in its audit trail (memberships,
    access requests, invitations, API keys): its own approvers and support do; the approvers of a
    trust or authority that reach a school's trail through "view_audit" see its records only."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff:
        return True
    role = role_in(user, organisation)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[MINIMUM_ROLE["view_audit"]]


@dataclass(frozen=True)
class AuditReaders:
    """Who can read an establishment's audit trail, for the page that says so."""

    own_approvers: int
    trust: Group | None
    trust_approvers: int
    local_authority: LocalAuthority | None
    local_authority_approvers: int

    @property
    def has_own_approver(self) -> bool:
        return self.own_approvers > 0


def audit_readers(establishment: Establishment) -> AuditReaders:
    """The school's own approvers, the approvers of the trust or authority that looks after it, and
    support (always). A school without an approver is never left without a reader: support can
    read every trail, and so can the approvers of its trust or local authority."""
    approvers = Membership.objects.filter(role=Role.APPROVER, user__is_active=True)
    trust = establishment.trust if establishment.trust_id and looks_after(establishment.trust, establishment) else None
    authority = establishment.local_authority if establishment.local_authority_id else None
    if authority is not None and not looks_after(authority, establishment):
        authority = None
    return AuditReaders(
        own_approvers=approvers.filter(
            organisation_kind=OrganisationKind.ESTABLISHMENT, establishment_id=establishment.pk
        ).count(),
        trust=trust,
        trust_approvers=approvers.filter(organisation_kind=OrganisationKind.TRUST, trust_id=trust.pk).count()
        if trust
        else 0,
        local_authority=authority,
        local_authority_approvers=approvers.filter(
            organisation_kind=OrganisationKind.LOCAL_AUTHORITY, local_authority_id=authority.pk
        ).count()
        if authority
        else 0,
    )


def establishments_for(user: Any, action: Action) -> QuerySet[Establishment]:
    """Every establishment the user may do `action` to, as one queryset."""
    if action not in INHERITED_ACTIONS:
        raise ValueError(f"establishments_for answers {sorted(INHERITED_ACTIONS)}, not {action!r}")
    needed = ROLE_RANK[MINIMUM_ROLE[action]]
    reach = Q(pk__in=[])
    for membership in memberships_of(user):
        if membership.rank >= needed and membership.organisation_kind != OrganisationKind.DEPARTMENT:
            reach |= looked_after_by(membership.organisation)
    return Establishment.objects.filter(reach)


def people_who_may(action: Action, establishment: Establishment) -> QuerySet:
    """Active people who may do `action` to the establishment: its own members with the role, and, for
    the inherited actions, those of the trust or local authority that looks after it."""
    needed = ROLE_RANK[MINIMUM_ROLE[action]]
    roles = [role for role, rank in ROLE_RANK.items() if rank >= needed]
    candidates = Q(organisation_kind=OrganisationKind.ESTABLISHMENT, establishment_id=establishment.pk)
    if action in INHERITED_ACTIONS and establishment.trust_id:
        candidates |= Q(organisation_kind=OrganisationKind.TRUST, trust_id=establishment.trust_id)
    if action in INHERITED_ACTIONS and establishment.local_authority_id:
        candidates |= Q(
            organisation_kind=OrganisationKind.LOCAL_AUTHORITY, local_authority_id=establishment.local_authority_id
        )
    memberships = Membership.objects.filter(candidates, role__in=roles).select_related("trust", "local_authority")
    user_ids = {
        membership.user_id
        for membership in memberships
        if membership.organisation_kind == OrganisationKind.ESTABLISHMENT
        or _membership_reaches(membership, establishment)
    }
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True)


def filter_for(
    user: Any, action: Action, queryset: QuerySet, *, establishment_field: str = "establishment"
) -> QuerySet:
    """Narrow a queryset of establishment-owned rows to those the user may `action`."""
    return queryset.filter(**{f"{establishment_field}__in": establishments_for(user, action)})


# --- View declarations -----------------------------------------------------------------------


@dataclass(frozen=True)
class AccessRule:
    """What a view declares about its access; read by the isolation test."""

    kind: Literal["public", "signed_in", "staff", "organisation", "department_role"]
    action: str | None = None
    organisation_kwarg: str | None = None
    establishment_kwarg: str | None = None
    objects: dict[str, type] = field(default_factory=dict)


def _declare(view: Callable, rule: AccessRule) -> Callable:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def public(view: Callable) -> Callable:
    """Anyone may see this page: it shows no organisation's own data (e.g. public GIAS facts)."""
    return _declare(view, AccessRule(kind="public"))


def signed_in(view: Callable) -> Callable:
    """Any signed-in user; the view shows only the user's own data."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _declare(wrapper, AccessRule(kind="signed_in"))


def staff_only(view: Callable) -> Callable:
    """Support staff only (is_staff)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return _declare(wrapper, AccessRule(kind="staff"))


def _instance_name(kwarg: str) -> str:
    return kwarg.removesuffix("_id")


def requires(
    action: Action,
    *,
    organisation: str | None = None,
    establishment: str | None = None,
    objects: dict[str, type] | None = None,
) -> Callable[[Callable], Callable]:
    """Check `action` on the organisation named by the URL, then hand the view the resolved rows.

    - organisation="organisation": the kwarg is an OrganisationRef (`<organisation:organisation>`);
      the view receives the Establishment, Group, LocalAuthority or DEPARTMENT instead.
    - establishment="urn": the kwarg is a URN; the view receives the Establishment.
    - objects={"membership_id": Membership}: the kwarg is a primary key; the view receives the row
      as `membership`. With an organisation or establishment kwarg, the row must belong to it
      (404 otherwise); alone, the action is checked against the row's own organisation.
    Missing rows answer 404, rows the user may not reach 403, anonymous users go to sign-in.
    """
    objects = dict(objects or {})

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            scope = None
            if organisation:
                scope = _resolve_organisation(kwargs.pop(organisation))
                kwargs[organisation] = scope
            if establishment:
                scope = Establishment.objects.filter(urn=str(kwargs.pop(establishment))).first()
                if scope is None:
                    raise Http404("No such establishment")
                kwargs["establishment"] = scope
            if scope is not None and not can(request.user, action, scope):
                raise PermissionDenied
            for kwarg, model in objects.items():
                row = model._default_manager.filter(pk=kwargs.pop(kwarg)).first()
                if row is None:
                    raise Http404("No such record")
                if scope is not None:
                    if OrganisationRef.for_organisation(organisation_of(row)) != OrganisationRef.for_organisation(
                        scope
                    ):
                        raise Http404("No such record")
                elif not can(request.user, action, row):
                    raise PermissionDenied
                kwargs[_instance_name(kwarg)] = row
            return view(request, *args, **kwargs)

        return _declare(
            wrapper,
            AccessRule(
                kind="organisation",
                action=action,
                organisation_kwarg=organisation,
                establishment_kwarg=establishment,
                objects=objects,
            ),
        )

    return decorator


# --- The department's own technology (the legacy register) -----------------------------------------

DepartmentAction = Literal["view_legacy", "edit_legacy", "score_legacy", "decide_legacy"]
# Which department roles may do what to the legacy register. Nothing here reaches any school's data.
DEPARTMENT_ROLE_ACTIONS: dict[str, frozenset[Role]] = {
    "view_legacy": DEPARTMENT_ROLES,
    "edit_legacy": frozenset({Role.SERVICE_OWNER, Role.ARCHITECT}),
    "score_legacy": frozenset({Role.ARCHITECT, Role.RISK_REVIEWER}),
    "decide_legacy": frozenset({Role.SERVICE_OWNER, Role.RISK_REVIEWER}),
}


def can_department(user: Any, action: DepartmentAction) -> bool:
    """Whether the user's department membership has a department role allowed to do `action`."""
    if action not in DEPARTMENT_ROLE_ACTIONS:
        raise ValueError(f"Unknown department action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    confined = getattr(user, _DEPARTMENT_ACTIONS_ATTRIBUTE, None)
    if confined is not None:
        return action in confined
    return _has_department_role(user, DEPARTMENT_ROLE_ACTIONS[action])


def _has_department_role(user: Any, roles: frozenset[Role] = DEPARTMENT_ROLES) -> bool:
    return any(
        membership.organisation_kind == OrganisationKind.DEPARTMENT and membership.role in roles
        for membership in memberships_of(user)
    )


def department_people(action: DepartmentAction) -> QuerySet:
    """Active people with an email address whose department role allows `action` (for reminders)."""
    if action not in DEPARTMENT_ROLE_ACTIONS:
        raise ValueError(f"Unknown department action {action!r}")
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation_kind=OrganisationKind.DEPARTMENT,
            memberships__role__in=DEPARTMENT_ROLE_ACTIONS[action],
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def requires_department(action: DepartmentAction) -> Callable[[Callable], Callable]:
    """Only department members whose role allows `action`; everyone else gets 403."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can_department(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _declare(wrapper, AccessRule(kind="department_role", action=action))

    return decorator


def _resolve_organisation(value: OrganisationRef | str) -> Organisation:
    ref = value if isinstance(value, OrganisationRef) else OrganisationRef.from_slug(str(value))
    resolved = ref.resolve()
    if resolved is None:
        raise Http404("No such organisation")
    return resolved


__all__ = [
    "DEPARTMENT",
    "AccessRule",
    "AuditReaders",
    "audit_readers",
    "can",
    "can_department",
    "department_people",
    "establishments_for",
    "filter_for",
    "memberships_of",
    "organisation_of",
    "people_who_may",
    "public",
    "reads_people_records",
    "requires",
    "requires_department",
    "role_in",
    "signed_in",
    "staff_only",
]
