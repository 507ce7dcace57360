"""One way to name any organisation a user can belong to: an establishment, a trust, a local
authority or the department.

`OrganisationRef` is a small value (kind and key) that travels in URLs (`<organisation:organisation>`,
e.g. `establishment-100000`, `trust-5485`, `local-authority-202`, `department`), in the session
(the current organisation) and in forms. `resolve()` turns it into the model row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from schooltech.organisations.models import Establishment, Group, LocalAuthority


class OrganisationKind(models.TextChoices):
    ESTABLISHMENT = "establishment", "School or college"
    TRUST = "trust", "Academy trust"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    DEPARTMENT = "department", "Department for Education"


class Department:
    """The Department for Education: not a GIAS row, so a single stand-in object."""

    name = "Department for Education"
    pk = "dfe"

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Department)

    def __hash__(self) -> int:
        return hash("department")


DEPARTMENT = Department()

_SLUG_PREFIX = {
    OrganisationKind.ESTABLISHMENT: "establishment",
    OrganisationKind.TRUST: "trust",
    OrganisationKind.LOCAL_AUTHORITY: "local-authority",
}
_KIND_BY_PREFIX = {prefix: kind for kind, prefix in _SLUG_PREFIX.items()}

Organisation = Establishment | Group | LocalAuthority | Department


@dataclass(frozen=True)
class OrganisationRef:
    kind: str
    key: str = ""

    @classmethod
    def department(cls) -> OrganisationRef:
        return cls(OrganisationKind.DEPARTMENT, "")

    @classmethod
    def for_organisation(cls, organisation: Organisation) -> OrganisationRef:
        if isinstance(organisation, Establishment):
            return cls(OrganisationKind.ESTABLISHMENT, organisation.urn)
        if isinstance(organisation, Group):
            return cls(OrganisationKind.TRUST, organisation.uid)
        if isinstance(organisation, LocalAuthority):
            return cls(OrganisationKind.LOCAL_AUTHORITY, organisation.code)
        if isinstance(organisation, Department):
            return cls.department()
        raise TypeError(f"Not an organisation: {organisation!r}")

    @classmethod
    def from_slug(cls, slug: str) -> OrganisationRef:
        if slug == "department":
            return cls.department()
        prefix, _, key = slug.rpartition("-")
        if prefix not in _KIND_BY_PREFIX or not key:
            raise ValueError(f"Not an organisation reference: {slug!r}")
        return cls(_KIND_BY_PREFIX[prefix], key)

    @property
    def slug(self) -> str:
        if self.kind == OrganisationKind.DEPARTMENT:
            return "department"
        return f"{_SLUG_PREFIX[OrganisationKind(self.kind)]}-{self.key}"

    def resolve(self) -> Organisation | None:
        """The organisation this names, or None if it does not exist."""
        if self.kind == OrganisationKind.DEPARTMENT:
            return DEPARTMENT
        if self.kind == OrganisationKind.ESTABLISHMENT:
            return Establishment.objects.filter(urn=self.key).first()
        if self.kind == OrganisationKind.TRUST:
            return Group.objects.filter(uid=self.key).first()
        if self.kind == OrganisationKind.LOCAL_AUTHORITY:
            return LocalAuthority.objects.filter(code=self.key).first()
        return None

    def __str__(self) -> str:
        return self.slug


class OrganisationRefConverter:
    regex = r"department|(?:establishment|trust|local-authority)-[A-Za-z0-9]{1,10}"

    def to_python(self, value: str) -> OrganisationRef:
        return OrganisationRef.from_slug(value)

    def to_url(self, value: OrganisationRef | str) -> str:
        return value.slug if isinstance(value, OrganisationRef) else str(value)


def organisation_name(organisation: Organisation) -> str:
    return str(organisation.name)
