"""Who may do what for which organisation: identities, memberships, access requests, invitations.

Every organisation-scoped row names exactly one organisation through `OrganisationScoped`: an
establishment, a trust (organisations.Group), a local authority, or the department (no row).
Changes are recorded by django-simple-history (see audit.py); services set who made them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from schooltech.organisations.models import Establishment, Group, LocalAuthority
from schooltech.organisations.reference import DEPARTMENT, Organisation, OrganisationKind, OrganisationRef


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    APPROVER = "approver", "Approver"
    # Department roles: people who look after the department's own technology (the legacy register).
    SERVICE_OWNER = "service_owner", "Service owner"
    ARCHITECT = "architect", "Architect"
    RISK_REVIEWER = "risk_reviewer", "Risk reviewer"


# The department roles see national figures as a viewer does, and the legacy register besides.
DEPARTMENT_ROLES = frozenset({Role.SERVICE_OWNER, Role.ARCHITECT, Role.RISK_REVIEWER})
ROLE_RANK = {
    Role.VIEWER: 1,
    Role.EDITOR: 2,
    Role.APPROVER: 3,
    Role.SERVICE_OWNER: 1,
    Role.ARCHITECT: 1,
    Role.RISK_REVIEWER: 1,
}

ROLE_DESCRIPTIONS = {
    Role.VIEWER: "Can see the organisation's registers, assessments and plans.",
    Role.EDITOR: "Can also add and change them.",
    Role.APPROVER: "Can also manage who has access to the organisation.",
}
DEPARTMENT_ROLE_DESCRIPTIONS = {
    Role.SERVICE_OWNER: "Keeps the department's services in the legacy register and records decisions.",
    Role.ARCHITECT: "Keeps the legacy register and scores its risk.",
    Role.RISK_REVIEWER: "Scores the legacy register's risk and records decisions.",
}


def _one_organisation_constraint(name: str) -> models.CheckConstraint:
    est, trust, la = Q(establishment__isnull=False), Q(trust__isnull=False), Q(local_authority__isnull=False)
    return models.CheckConstraint(
        condition=(
            (Q(organisation_kind=OrganisationKind.ESTABLISHMENT) & est & ~trust & ~la)
            | (Q(organisation_kind=OrganisationKind.TRUST) & ~est & trust & ~la)
            | (Q(organisation_kind=OrganisationKind.LOCAL_AUTHORITY) & ~est & ~trust & la)
            | (Q(organisation_kind=OrganisationKind.DEPARTMENT) & ~est & ~trust & ~la)
        ),
        name=name,
    )


class OrganisationScoped(models.Model):
    organisation_kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    establishment = models.ForeignKey(Establishment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    trust = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def organisation(self) -> Organisation:
        if self.organisation_kind == OrganisationKind.ESTABLISHMENT:
            return self.establishment
        if self.organisation_kind == OrganisationKind.TRUST:
            return self.trust
        if self.organisation_kind == OrganisationKind.LOCAL_AUTHORITY:
            return self.local_authority
        return DEPARTMENT

    @property
    def organisation_ref(self) -> OrganisationRef:
        return OrganisationRef.for_organisation(self.organisation)

    @property
    def organisation_name(self) -> str:
        return str(self.organisation.name)

    def set_organisation(self, organisation: Organisation) -> None:
        ref = OrganisationRef.for_organisation(organisation)
        self.organisation_kind = ref.kind
        self.establishment = organisation if isinstance(organisation, Establishment) else None
        self.trust = organisation if isinstance(organisation, Group) else None
        self.local_authority = organisation if isinstance(organisation, LocalAuthority) else None


def organisation_filter(organisation: Organisation, prefix: str = "") -> Q:
    """A filter matching OrganisationScoped rows (or history rows) for one organisation."""
    ref = OrganisationRef.for_organisation(organisation)
    field = {
        OrganisationKind.ESTABLISHMENT: "establishment",
        OrganisationKind.TRUST: "trust",
        OrganisationKind.LOCAL_AUTHORITY: "local_authority",
    }.get(OrganisationKind(ref.kind))
    condition = Q(**{f"{prefix}organisation_kind": ref.kind})
    if field:
        condition &= Q(**{f"{prefix}{field}_id": organisation.pk})
    return condition


class OidcIdentity(models.Model):
    """The OpenID Connect subject a user signs in as (DfE Sign-in's `sub` is stable per user)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)
    # The organisation the provider said the user signed in for (an OrganisationRef slug), so the
    # service lands them on it.
    last_organisation = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = "OpenID Connect identity"
        verbose_name_plural = "OpenID Connect identities"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="unique_oidc_subject")]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"


class Membership(OrganisationScoped):
    class Source(models.TextChoices):
        SERVICE = "service", "This service"
        DFE_SIGNIN = "dfe_signin", "DfE Sign-in"
        DEMO = "demo", "Demonstration data"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SERVICE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_kind", "id"]
        constraints = [
            _one_organisation_constraint("membership_names_one_organisation"),
            models.UniqueConstraint(
                fields=["user", "establishment"],
                condition=Q(organisation_kind=OrganisationKind.ESTABLISHMENT),
                name="unique_establishment_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "trust"],
                condition=Q(organisation_kind=OrganisationKind.TRUST),
                name="unique_trust_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "local_authority"],
                condition=Q(organisation_kind=OrganisationKind.LOCAL_AUTHORITY),
                name="unique_local_authority_membership",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(organisation_kind=OrganisationKind.DEPARTMENT),
                name="unique_department_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} at {self.organisation_name}"

    @property
    def rank(self) -> int:
        return ROLE_RANK[Role(self.role)]


class AccessRequest(OrganisationScoped):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests")
    reason = models.TextField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    role_granted = models.CharField(max_length=20, choices=Role.choices, blank=True)
    decision_reason = models.TextField(max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            _one_organisation_constraint("access_request_names_one_organisation"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.requester} asks for {self.organisation_name}"


class Invitation(OrganisationScoped):
    class Status(models.TextChoices):
        PENDING = "pending", "Not yet accepted"
        ACCEPTED = "accepted", "Accepted"
        CANCELLED = "cancelled", "Cancelled"

    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [_one_organisation_constraint("invitation_names_one_organisation")]
        indexes = [models.Index(fields=["email", "status"])]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation_name}"


# How long a new API key may work: a year is the default and the longest.
API_KEY_LIFETIMES = {30: "30 days", 90: "90 days", 365: "1 year"}


class ApiKey(OrganisationScoped):
    """A key an integration sends as `Authorization: Bearer <key>`. Only a SHA-256 hash is kept.

    It acts for the person who made it, confined to this one organisation and role, and stops
    working when it expires, when it is revoked, or when that person loses the access. A legacy
    key belongs to the department and reads the legacy technology register only.
    """

    class Access(models.TextChoices):
        VIEWER = Role.VIEWER.value, "Read only"
        EDITOR = Role.EDITOR.value, "Read and write"
        # The department's own technology: made by, and acting for, a department-role member.
        LEGACY = "legacy", "Read the legacy technology register"

    name = models.CharField(max_length=100)
    role = models.CharField("access", max_length=10, choices=Access.choices, default=Access.VIEWER)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    key_hash = models.CharField(max_length=64, unique=True)
    key_start = models.CharField(max_length=12, help_text="The key's first characters, to tell keys apart")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Use is kept as last_used_at (written at most every few minutes) and in the request log, not as history.
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at", "-id"]
        constraints = [_one_organisation_constraint("api_key_names_one_organisation")]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_start}…)"

    def status_at(self, moment) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        if self.expires_at <= moment:
            return "Expired"
        return "Active"
