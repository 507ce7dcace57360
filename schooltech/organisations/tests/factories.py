import factory

from schooltech.organisations.models import Establishment, Group, LocalAuthority
from schooltech.organisations.search_text import build_search_text


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{300 + n}")
    name = factory.Sequence(lambda n: f"Local authority {n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("uid",)

    uid = factory.Sequence(lambda n: f"{9000 + n}")
    group_id = factory.Sequence(lambda n: f"TR{9000 + n:05d}")
    name = factory.Sequence(lambda n: f"Trust {n}")
    group_type = Group.GroupType.MULTI_ACADEMY_TRUST


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment
        django_get_or_create = ("urn",)

    urn = factory.Sequence(lambda n: f"{800000 + n}")
    name = factory.Sequence(lambda n: f"School {n}")
    town = "London"
    postcode = factory.Sequence(lambda n: f"N{n % 20} {n % 9}AA")
    status = Establishment.Status.OPEN
    phase_code = "2"
    phase_name = "Primary"
    type_code = "1"
    type_name = "Community school"
    type_group_code = "4"
    type_group_name = "Local authority maintained schools"
    search_text = factory.LazyAttribute(lambda o: build_search_text(name=o.name, town=o.town, postcode=o.postcode))
