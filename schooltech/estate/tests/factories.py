"""Factories for estate tests: register rows for establishments the tests make themselves."""

import datetime
from decimal import Decimal

import factory

from schooltech.accounts.tests.factories import EstablishmentFactory
from schooltech.estate import models


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Asset

    establishment = factory.SubFactory(EstablishmentFactory)
    category = models.AssetCategory.LAPTOP
    asset_tag = factory.Sequence(lambda n: f"TAG-{n:05d}")
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")
    make = "Lenovo"
    model_name = "ThinkPad L13"
    operating_system = "Windows 11 Education"
    os_version = "24H2"
    purchase_date = datetime.date(2024, 9, 1)
    warranty_end = datetime.date(2027, 9, 1)
    support_end = datetime.date(2030, 9, 1)
    status = models.AssetStatus.IN_USE


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Contract

    establishment = factory.SubFactory(EstablishmentFactory)
    supplier = factory.Sequence(lambda n: f"Supplier {n} Ltd")
    title = "IT support"
    start_date = datetime.date(2024, 4, 1)
    end_date = datetime.date(2027, 3, 31)
    notice_days = 90
    annual_cost = Decimal("12000.00")


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Connection

    establishment = factory.SubFactory(EstablishmentFactory)
    provider = "Fibre Provider Ltd"
    technology = models.ConnectionTechnology.FTTP
    role = models.Connection.Role.PRIMARY
    download_mbps_contracted = 500
    upload_mbps_contracted = 100


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Service

    establishment = factory.SubFactory(EstablishmentFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    supplier = "Cloud Supplier Ltd"
    category = models.ServiceCategory.EMAIL
    hosting = models.Service.Hosting.CLOUD
    data_location = models.Service.DataLocation.UK
    single_sign_on = True
    mfa_enforced = True


class InformationAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.InformationAsset

    establishment = factory.SubFactory(EstablishmentFactory)
    name = factory.Sequence(lambda n: f"Pupil records {n}")
    owner = "Data protection officer"
    holds_personal_data = True
