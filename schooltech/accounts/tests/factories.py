"""Factories for accounts tests: they make their own organisations, never the shipped data."""

import factory
from django.contrib.auth import get_user_model

from schooltech.accounts.models import AccessRequest, Invitation, Membership, Role
from schooltech.accounts.organisations import OrganisationKind
from schooltech.organisations.models import Establishment, Group, LocalAuthority


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{900 - n % 900:03d}")
    name = factory.Sequence(lambda n: f"Test Borough {n}")


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    uid = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Test Academy Trust {n}")
    group_type = Group.GroupType.MULTI_ACADEMY_TRUST


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    urn = factory.Sequence(lambda n: f"{900000 + n}")
    name = factory.Sequence(lambda n: f"Test School {n}")
    type_group_code = "4"
    type_group_name = "Local authority maintained schools"
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    status = Establishment.Status.OPEN
    search_text = factory.LazyAttribute(lambda establishment: establishment.name.lower())


class AcademyFactory(EstablishmentFactory):
    type_group_code = "10"
    type_group_name = "Academies"
    trust = factory.SubFactory(TrustFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Tester{n}")


def make_membership(user, organisation, role: str = Role.VIEWER) -> Membership:
    membership = Membership(user=user, role=role)
    membership.set_organisation(organisation)
    membership.save()
    return membership


def make_access_request(requester, organisation, reason: str = "I run the school's IT") -> AccessRequest:
    access_request = AccessRequest(requester=requester, reason=reason)
    access_request.set_organisation(organisation)
    access_request.save()
    return access_request


def make_invitation(organisation, email: str, role: str = Role.VIEWER, invited_by=None) -> Invitation:
    invitation = Invitation(email=email, role=role, invited_by=invited_by)
    invitation.set_organisation(organisation)
    invitation.save()
    return invitation


__all__ = ["OrganisationKind"]
