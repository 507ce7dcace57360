"""Accounts pages: your account, asking for access, managing users, the audit trail.

Each view declares its access with the policy's decorators; services do the writing."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from schooltech.accounts import audit, policy, selectors, services
from schooltech.accounts.forms import (
    AccessRequestForm,
    ApiKeyForm,
    InvitationForm,
    OrganisationSearchForm,
    ReviewForm,
    RoleForm,
    SwitchOrganisationForm,
)
from schooltech.accounts.models import (
    API_KEY_LIFETIMES,
    ROLE_DESCRIPTIONS,
    AccessRequest,
    ApiKey,
    Invitation,
    Membership,
    OidcIdentity,
    Role,
)
from schooltech.core.pagination import page_of
from schooltech.organisations.models import Establishment
from schooltech.organisations.reference import DEPARTMENT, Organisation, OrganisationRef

AUDIT_PAGE_SIZE = 50  # changes on each page of an audit trail; the pages reach the first change


def _render(request: HttpRequest, template: str, context: dict | None = None, status: int = 200) -> HttpResponse:
    context = dict(context or {})
    organisation = context.get("organisation")
    if organisation is not None and "ref" not in context:
        context["ref"] = OrganisationRef.for_organisation(organisation)
    if organisation is not None:  # the management pages' navigation shows only what this person may open
        context.setdefault("manages_users", policy.can(request.user, "manage_users", organisation))
    context.setdefault("role_descriptions", ROLE_DESCRIPTIONS)
    context.setdefault("support_email", settings.SUPPORT_EMAIL)
    return render(request, template, context, status=status)


def _manage_url(name: str, organisation: Organisation, **kwargs) -> str:
    return reverse(
        f"accounts:{name}", kwargs={"organisation": OrganisationRef.for_organisation(organisation), **kwargs}
    )


# --- signing in and out ---


@policy.signed_in
@require_GET
def signed_in(request: HttpRequest) -> HttpResponse:
    """Where sign-in lands: work on the organisation the provider named, if the user belongs to it."""
    identity = OidcIdentity.objects.filter(user=request.user).order_by("-last_signed_in_at").first()
    if identity and identity.last_organisation:
        selectors.set_current_organisation(request, OrganisationRef.from_slug(identity.last_organisation))
    return redirect("accounts:account")


@policy.public
@require_GET
def sign_in_failed(request: HttpRequest) -> HttpResponse:
    return _render(request, "accounts/sign_in_failed.html")


@policy.public
@require_GET
def sign_out(request: HttpRequest) -> HttpResponse:
    return _render(request, "accounts/sign_out.html")


@policy.public
@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    return _render(request, "accounts/signed_out.html")


# --- your account ---


@policy.signed_in
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    memberships = policy.memberships_of(request.user)
    return _render(
        request,
        "accounts/account.html",
        {
            "memberships": memberships,
            "current": selectors.current_membership(request),
            "requests": selectors.requests_of(user=request.user).filter(status=AccessRequest.Status.PENDING),
            "makes_department_keys": policy.can(request.user, "manage_api_keys", DEPARTMENT),
            "role_descriptions": ROLE_DESCRIPTIONS,
        },
    )


@policy.signed_in
@require_http_methods(["GET", "POST"])
def switch_organisation(request: HttpRequest) -> HttpResponse:
    memberships = policy.memberships_of(request.user)
    current = selectors.current_membership(request)
    form = SwitchOrganisationForm(
        request.POST or None,
        memberships=memberships,
        initial={"organisation": current.organisation_ref.slug if current else None},
    )
    if request.method == "POST" and form.is_valid():
        selectors.set_current_organisation(request, OrganisationRef.from_slug(form.cleaned_data["organisation"]))
        messages.success(request, "You are now working on " + selectors.current_membership(request).organisation_name)
        return redirect("accounts:account")
    return _render(request, "accounts/switch_organisation.html", {"form": form})


@policy.signed_in
@require_GET
def request_access_search(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = selectors.organisation_search(query=form.cleaned_data["q"])
    return _render(request, "accounts/request_access_search.html", {"form": form, "results": results})


@policy.signed_in
@require_http_methods(["GET", "POST"])
def request_access(request: HttpRequest, organisation: OrganisationRef) -> HttpResponse:
    """Any signed-in user may ask to join any organisation: the page shows only its public name."""
    target = organisation.resolve()
    if target is None:
        return _render(request, "core/errors/404.html", status=404)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_create(
                requester=request.user, organisation=target, reason=form.cleaned_data["reason"]
            )
        except services.AccountsError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, f"Your request has been sent to the approvers at {target.name}")
            return redirect("accounts:my_requests")
    return _render(request, "accounts/request_access.html", {"form": form, "organisation": target})


@policy.signed_in
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    return _render(request, "accounts/my_requests.html", {"requests": selectors.requests_of(user=request.user)})


# --- managing an organisation's users (approvers) ---


@policy.requires("manage_users", organisation="organisation")
@require_GET
def members(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _render(
        request,
        "accounts/members.html",
        {
            "organisation": organisation,
            "ref": OrganisationRef.for_organisation(organisation),
            "members": selectors.members_of(organisation=organisation),
            "invitations": selectors.pending_invitations(organisation=organisation),
            "pending_count": selectors.pending_requests(organisation=organisation).count(),
        },
    )


@policy.requires("manage_users", organisation="organisation", objects={"membership_id": Membership})
@require_http_methods(["GET", "POST"])
def change_role(request: HttpRequest, organisation: Organisation, membership: Membership) -> HttpResponse:
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
        except services.AccountsError as error:
            form.add_error("role", str(error))
        else:
            messages.success(
                request,
                f"{services.display_name(membership.user)} is now {Role(form.cleaned_data['role']).label.lower()}",
            )
            return redirect(_manage_url("members", organisation))
    return _render(
        request,
        "accounts/change_role.html",
        {"form": form, "organisation": organisation, "membership": membership, "role_descriptions": ROLE_DESCRIPTIONS},
    )


@policy.requires("manage_users", organisation="organisation", objects={"membership_id": Membership})
@require_http_methods(["GET", "POST"])
def remove_member(request: HttpRequest, organisation: Organisation, membership: Membership) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(actor=request.user, membership=membership)
        except services.AccountsError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{services.display_name(membership.user)} no longer has access")
            return redirect(_manage_url("members", organisation))
    return _render(
        request,
        "accounts/remove_member.html",
        {"organisation": organisation, "membership": membership, "error": error},
        status=400 if error else 200,
    )


@policy.requires("manage_users", organisation="organisation")
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except services.AccountsError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"We have sent an invitation to {form.cleaned_data['email']}")
            return redirect(_manage_url("members", organisation))
    return _render(
        request,
        "accounts/invite.html",
        {"form": form, "organisation": organisation, "role_descriptions": ROLE_DESCRIPTIONS},
    )


@policy.requires("manage_users", organisation="organisation", objects={"invitation_id": Invitation})
@require_http_methods(["POST"])
def cancel_invitation(request: HttpRequest, organisation: Organisation, invitation: Invitation) -> HttpResponse:
    try:
        services.invitation_cancel(actor=request.user, invitation=invitation)
    except services.AccountsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The invitation for {invitation.email} has been cancelled")
    return redirect(_manage_url("members", organisation))


@policy.requires("manage_users", organisation="organisation")
@require_GET
def requests(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _render(
        request,
        "accounts/requests.html",
        {"organisation": organisation, "requests": selectors.pending_requests(organisation=organisation)},
    )


def _review(request: HttpRequest, access_request: AccessRequest, done_url: str, template_context: dict) -> HttpResponse:
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and access_request.status == AccessRequest.Status.PENDING and form.is_valid():
        decision = form.cleaned_data["decision"]
        name = services.display_name(access_request.requester)
        try:
            if decision == ReviewForm.REJECT:
                services.access_request_reject(
                    actor=request.user, access_request=access_request, reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"You rejected {name}'s request")
            else:
                services.access_request_approve(actor=request.user, access_request=access_request, role=decision)
                messages.success(request, f"{name} now has access as {Role(decision).label.lower()}")
        except services.AccountsError as error:
            form.add_error("decision", str(error))
        else:
            return redirect(done_url)
    return _render(
        request, "accounts/review_request.html", {"form": form, "access_request": access_request, **template_context}
    )


@policy.requires("manage_users", organisation="organisation", objects={"access_request_id": AccessRequest})
@require_http_methods(["GET", "POST"])
def review_request(request: HttpRequest, organisation: Organisation, access_request: AccessRequest) -> HttpResponse:
    return _review(request, access_request, _manage_url("requests", organisation), {"organisation": organisation})


# --- API keys ---
# Create: details (api_key_new) -> check answers (api_key_check) -> the key, shown once (api_key_created).
# The details wait in the session between the steps; the key itself only until it has been shown.


def _draft_session_key(organisation: Organisation) -> str:
    return f"api_key_draft:{OrganisationRef.for_organisation(organisation).slug}"


SHOWN_KEY_SESSION_KEY = "api_key_to_show"


def _key_accesses(request: HttpRequest, organisation: Organisation) -> list[tuple[str, str]]:
    return selectors.api_key_accesses_for(request.user, organisation)


@policy.requires("manage_api_keys", organisation="organisation")
@require_GET
def api_keys(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return _render(
        request,
        "accounts/api_keys.html",
        {
            "organisation": organisation,
            "api_keys": selectors.api_keys_of(organisation=organisation),
            "now": timezone.now(),
        },
    )


@policy.requires("manage_api_keys", organisation="organisation")
@require_http_methods(["GET", "POST"])
def api_key_new(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    accesses = _key_accesses(request, organisation)
    only_one = accesses[0][0] if len(accesses) == 1 else None  # the department's keys all read its legacy register
    draft = request.session.get(_draft_session_key(organisation)) or {
        "role": only_one or ApiKey.Access.VIEWER,
        "days": 365,
    }
    form = ApiKeyForm(request.POST or None, initial=draft, accesses=accesses)
    if request.method == "POST" and form.is_valid():
        request.session[_draft_session_key(organisation)] = form.cleaned_data
        return redirect(_manage_url("api_key_check", organisation))
    return _render(request, "accounts/api_key_new.html", {"form": form, "organisation": organisation})


@policy.requires("manage_api_keys", organisation="organisation")
@require_http_methods(["GET", "POST"])
def api_key_check(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    draft = request.session.get(_draft_session_key(organisation))
    form = ApiKeyForm(draft or None, accesses=_key_accesses(request, organisation))
    if not draft or not form.is_valid():
        return redirect(_manage_url("api_key_new", organisation))
    error = None
    if request.method == "POST":
        try:
            api_key, raw = services.api_key_create(actor=request.user, organisation=organisation, **form.cleaned_data)
        except services.AccountsError as exc:
            error = str(exc)
        else:
            del request.session[_draft_session_key(organisation)]
            request.session[SHOWN_KEY_SESSION_KEY] = {"id": api_key.pk, "key": raw}
            return redirect(_manage_url("api_key_created", organisation, api_key_id=api_key.pk))
    details = {
        **form.cleaned_data,
        "role_label": ApiKey.Access(form.cleaned_data["role"]).label,
        "days_label": API_KEY_LIFETIMES[form.cleaned_data["days"]],
    }
    return _render(
        request,
        "accounts/api_key_check.html",
        {"organisation": organisation, "details": details, "error": error},
        status=400 if error else 200,
    )


@policy.requires("manage_api_keys", organisation="organisation", objects={"api_key_id": ApiKey})
@require_GET
def api_key_created(request: HttpRequest, organisation: Organisation, api_key: ApiKey) -> HttpResponse:
    shown = request.session.pop(SHOWN_KEY_SESSION_KEY, None)
    raw = shown["key"] if shown and shown.get("id") == api_key.pk else None
    return _render(
        request, "accounts/api_key_created.html", {"organisation": organisation, "api_key": api_key, "raw_key": raw}
    )


@policy.requires("manage_api_keys", organisation="organisation", objects={"api_key_id": ApiKey})
@require_http_methods(["GET", "POST"])
def api_key_revoke(request: HttpRequest, organisation: Organisation, api_key: ApiKey) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            services.api_key_revoke(actor=request.user, api_key=api_key)
        except services.AccountsError as exc:
            error = str(exc)
        else:
            messages.success(request, f"The API key ‘{api_key.name}’ has been revoked. It no longer works.")
            return redirect(_manage_url("api_keys", organisation))
    return _render(
        request,
        "accounts/api_key_revoke.html",
        {"organisation": organisation, "api_key": api_key, "error": error},
        status=400 if error else 200,
    )


@policy.requires("view_audit", organisation="organisation")
@require_GET
def audit_trail(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """An organisation's trail. A trust's or authority's also lists its schools' records; a school's
    is read by its own approvers, the approvers of its trust or authority (its records, not its
    people) and support, and the page says who they are."""
    is_school = isinstance(organisation, Establishment)
    trail = audit.AuditTrail(
        organisation=organisation,
        include_people=policy.reads_people_records(request.user, organisation),
        include_schools=not is_school,
    )
    return _render(
        request,
        "accounts/audit.html",
        {
            "organisation": organisation,
            "page": page_of(trail, request, AUDIT_PAGE_SIZE),
            "with_schools": not is_school,
            "manages": policy.can(request.user, "manage_users", organisation),
            "readers": policy.audit_readers(organisation) if is_school else None,
        },
    )


# --- support (is_staff) ---


@policy.staff_only
@require_GET
def support_home(request: HttpRequest) -> HttpResponse:
    return _render(request, "accounts/support.html", {"waiting": selectors.escalated_requests().count()})


@policy.staff_only
@require_GET
def support_requests(request: HttpRequest) -> HttpResponse:
    return _render(request, "accounts/support_requests.html", {"requests": selectors.escalated_requests()})


@policy.staff_only
@require_http_methods(["GET", "POST"])
def support_review_request(request: HttpRequest, access_request_id: int) -> HttpResponse:
    access_request = AccessRequest.objects.filter(pk=access_request_id).select_related("requester").first()
    if access_request is None:
        return _render(request, "core/errors/404.html", status=404)
    return _review(
        request, access_request, reverse("accounts:support_requests"), {"organisation": access_request.organisation}
    )


@policy.staff_only
@require_GET
def support_audit(request: HttpRequest) -> HttpResponse:
    page = page_of(audit.AuditTrail(), request, AUDIT_PAGE_SIZE)
    return _render(request, "accounts/audit.html", {"organisation": None, "page": page})
