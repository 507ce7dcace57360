"""Create the demonstration people and their memberships. Idempotent: run it again and nothing
changes. Needs the shipped data (`manage.py load_shipped_data`) for the schools and the demo trust,
the real multi-academy trust Partnership Learning; people whose organisation is missing are reported
and skipped."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from schooltech.accounts import services
from schooltech.accounts.models import Membership, OidcIdentity, organisation_filter
from schooltech.accounts.organisations import OrganisationRef
from schooltech.demo import people as demo
from schooltech.organisations.models import Group, LocalAuthority

User = get_user_model()


class Command(BaseCommand):
    help = "Create the demonstration people and their memberships of real schools, a real trust and an LA"

    @transaction.atomic
    def handle(self, *args, **options):
        trust_schools = self._demo_trust()
        self._camden()
        for person in demo.DEMO_PEOPLE:
            user = self._user(person)
            self._membership(user, person)
        self.stdout.write(
            f"Demo accounts ready: {len(demo.DEMO_PEOPLE)} people; {demo.DEMO_TRUST_NAME} has {trust_schools} schools"
        )

    def _demo_trust(self) -> int:
        """The real demo trust's school count, after removing the fictional trust older versions made."""
        Group.objects.filter(uid=demo.FICTIONAL_TRUST_UID).delete()  # its memberships go with it
        trust = Group.objects.filter(uid=demo.DEMO_TRUST_UID).first()
        if trust is None:
            self.stderr.write(f"{demo.DEMO_TRUST_NAME} is not loaded yet: run `manage.py load_shipped_data` first")
            return 0
        return trust.establishments.count()

    def _camden(self) -> None:
        LocalAuthority.objects.get_or_create(code="202", defaults={"name": "Camden"})

    def _user(self, person: dict):
        user, _ = User.objects.update_or_create(
            username=f"demo-{person['sub'][-2:]}",
            defaults={
                "email": person["email"],
                "first_name": person["given_name"],
                "last_name": person["family_name"],
                "is_staff": person.get("is_staff", False),
            },
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        OidcIdentity.objects.get_or_create(issuer=settings.OIDC_ISSUER, subject=person["sub"], defaults={"user": user})
        return user

    def _membership(self, user, person: dict) -> None:
        if not person.get("organisation"):
            return
        kind, key, role = person["organisation"]
        organisation = OrganisationRef(kind, key).resolve()
        if organisation is None:
            self.stderr.write(f"Skipped {person['email']}: {kind} {key} is not loaded")
            return
        existing = Membership.objects.filter(organisation_filter(organisation), user=user).first()
        if existing is None or existing.role != role:
            services.membership_grant(
                actor=None,
                user=user,
                organisation=organisation,
                role=role,
                source=Membership.Source.DEMO,
                reason="Demonstration account",
            )
