"""Create the demonstration people and their memberships. Idempotent: run it again and nothing
changes. Needs the shipped data (`manage.py load_shipped_data`) for the schools and the demo trust,
the real multi-academy trust Partnership Learning; people whose organisation is missing are reported
and skipped."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from schooltech.accounts import policy, services
from schooltech.accounts.models import Membership
from schooltech.demo import people as demo
from schooltech.organisations import selectors as organisation_selectors
from schooltech.organisations import services as organisation_services
from schooltech.organisations.reference import OrganisationRef


class Command(BaseCommand):
    help = "Create the demonstration people and their memberships of real schools, a real trust and an LA"

    @transaction.atomic
    def handle(self, *args, **options):
        trust_schools = self._demo_trust()
        organisation_services.local_authority_ensure(code="202", name="Camden")
        for person in demo.DEMO_PEOPLE:
            user = services.person_upsert(
                username=f"demo-{person['sub'][-2:]}",
                email=person["email"],
                first_name=person["given_name"],
                last_name=person["family_name"],
                is_staff=person.get("is_staff", False),
                issuer=settings.OIDC_ISSUER,
                subject=person["sub"],
            )
            self._membership(user, person)
        self.stdout.write(
            f"Demo accounts ready: {len(demo.DEMO_PEOPLE)} people; {demo.DEMO_TRUST_NAME} has {trust_schools} schools"
        )

    def _demo_trust(self) -> int:
        """The real demo trust's school count, after removing the fictional trust older versions made."""
        organisation_services.group_delete(uid=demo.FICTIONAL_TRUST_UID)  # its memberships go with it
        trust = organisation_selectors.group_get(uid=demo.DEMO_TRUST_UID)
        if trust is None:
            self.stderr.write(f"{demo.DEMO_TRUST_NAME} is not loaded yet: run `manage.py load_shipped_data` first")
            return 0
        return organisation_selectors.group_establishments(group=trust).count()

    def _membership(self, user, person: dict) -> None:
        if not person.get("organisation"):
            return
        kind, key, role = person["organisation"]
        organisation = OrganisationRef(kind, key).resolve()
        if organisation is None:
            self.stderr.write(f"Skipped {person['email']}: {kind} {key} is not loaded")
            return
        if policy.role_in(user, organisation) != role:
            services.membership_grant(
                actor=None,
                user=user,
                organisation=organisation,
                role=role,
                source=Membership.Source.DEMO,
                reason="Demonstration account",
            )
