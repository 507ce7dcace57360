"""The one set of test factories: every app's tests (and the browser tests) make their rows here.

Tests make their own organisations and people, never the shipped data. Plan inputs built in memory
live in tests/plan_inputs.py, and answer sets for the standards in tests/answers.py.
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from schooltech.accounts.models import AccessRequest, Invitation, Membership, Role
from schooltech.estate import models as estate
from schooltech.legacy import models as legacy
from schooltech.organisations.models import Establishment, Group, LocalAuthority
from schooltech.organisations.reference import DEPARTMENT
from schooltech.organisations.search_text import build_search_text

# Organisations


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
    group_id = factory.Sequence(lambda n: f"TR{n:05d}")
    name = factory.Sequence(lambda n: f"Test Academy Trust {n}")
    group_type = Group.GroupType.MULTI_ACADEMY_TRUST


class EstablishmentFactory(factory.django.DjangoModelFactory):
    """A local-authority-maintained school; AcademyFactory makes one in a trust."""

    class Meta:
        model = Establishment

    urn = factory.Sequence(lambda n: f"{900000 + n}")
    name = factory.Sequence(lambda n: f"Test School {n}")
    type_group_code = "4"
    type_group_name = "Local authority maintained schools"
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    status = Establishment.Status.OPEN
    town = ""
    postcode = ""
    search_text = factory.LazyAttribute(
        lambda school: build_search_text(name=school.name, town=school.town, postcode=school.postcode)
    )


class AcademyFactory(EstablishmentFactory):
    type_group_code = "10"
    type_group_name = "Academies"
    trust = factory.SubFactory(TrustFactory)


# People and their access


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


def make_member(role: str, organisation=DEPARTMENT, **user_fields):
    """A person (UserFactory with these fields) with one membership: by default a department one."""
    user = UserFactory(**user_fields)
    make_membership(user, organisation, role)
    return user


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


# Estate registers


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = estate.Asset

    establishment = factory.SubFactory(EstablishmentFactory)
    category = estate.AssetCategory.LAPTOP
    asset_tag = factory.Sequence(lambda n: f"TAG-{n:05d}")
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")
    make = "Lenovo"
    model_name = "ThinkPad L13"
    operating_system = "Windows 11 Education"
    os_version = "24H2"
    purchase_date = datetime.date(2024, 9, 1)
    warranty_end = datetime.date(2027, 9, 1)
    support_end = datetime.date(2030, 9, 1)
    status = estate.AssetStatus.IN_USE


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = estate.Contract

    establishment = factory.SubFactory(EstablishmentFactory)
    supplier = factory.Sequence(lambda n: f"Supplier {n} Ltd")
    title = "IT support"
    start_date = datetime.date(2024, 4, 1)
    end_date = datetime.date(2027, 3, 31)
    notice_days = 90
    annual_cost = Decimal("12000.00")


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = estate.Connection

    establishment = factory.SubFactory(EstablishmentFactory)
    provider = "Fibre Provider Ltd"
    technology = estate.ConnectionTechnology.FTTP
    role = estate.Connection.Role.PRIMARY
    download_mbps_contracted = 500
    upload_mbps_contracted = 100


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = estate.Service

    establishment = factory.SubFactory(EstablishmentFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    supplier = "Cloud Supplier Ltd"
    category = estate.ServiceCategory.EMAIL
    hosting = estate.Service.Hosting.CLOUD
    data_location = estate.Service.DataLocation.UK
    single_sign_on = True
    mfa_enforced = True


class InformationAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = estate.InformationAsset

    establishment = factory.SubFactory(EstablishmentFactory)
    name = factory.Sequence(lambda n: f"Pupil records {n}")
    owner = "Data protection officer"
    holds_personal_data = True


# --- The department's legacy technology register ---------------------------------------------


class LegacyServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = legacy.LegacyService

    name = factory.Sequence(lambda n: f"Department system {n}")
    purpose = "Keeps the records a directorate needs"
    directorate = legacy.Directorate.SCHOOLS
    owner = "Deputy director, schools data"
    value = legacy.Value.HIGH


class LegacySoftwareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = legacy.Software

    service = factory.SubFactory(LegacyServiceFactory)
    name = "Case management platform"
    version = "9.2"
    support_ends = None


class LegacyContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = legacy.SupplierContract

    service = factory.SubFactory(LegacyServiceFactory)
    supplier = "Example Supplier Ltd"
