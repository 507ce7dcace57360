"""Make an API token for an integration: prints the token once (only its hash is stored)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from schooltech.estate import services
from schooltech.organisations.models import Establishment, Group


class Command(BaseCommand):
    help = "Make a per-organisation API token acting for a person who has that access."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The person the token acts for")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--urn")
        where.add_argument("--trust-uid")
        parser.add_argument("--role", choices=["viewer", "editor"], default="viewer")
        parser.add_argument("--name", required=True, help="What uses it, for example 'Intune sync'")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if options["urn"]:
            organisation = Establishment.objects.filter(urn=options["urn"]).first()
        else:
            organisation = Group.objects.filter(uid=options["trust_uid"]).first()
        if user is None or organisation is None:
            raise CommandError("No such person or organisation")
        try:
            _, raw = services.api_token_create(
                user=user, organisation=organisation, role=options["role"], name=options["name"]
            )
        except services.EstateError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(raw)
