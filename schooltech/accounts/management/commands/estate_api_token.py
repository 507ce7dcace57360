"""Make an API key for an integration from the command line: prints the key once (only its hash is kept).

The same key as the organisation's API keys page makes: a school's or trust's key works on their
registers, self-assessments and plans; a department key (`--department --role legacy`) reads the
legacy technology register only.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from schooltech.accounts import services
from schooltech.accounts.models import ApiKey
from schooltech.organisations.models import Establishment, Group
from schooltech.organisations.reference import DEPARTMENT


class Command(BaseCommand):
    help = "Make a per-organisation API key acting for a person who has that access."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The person the key acts for")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--urn")
        where.add_argument("--trust-uid")
        where.add_argument("--department", action="store_true", help="A key for the department")
        parser.add_argument("--role", choices=ApiKey.Access.values, default=ApiKey.Access.VIEWER)
        parser.add_argument("--name", required=True, help="What uses it, for example 'Intune sync'")
        parser.add_argument(
            "--days", type=int, default=365, help="How long the key works for, in days (at most 365; default 365)"
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if options["department"]:
            organisation = DEPARTMENT
        elif options["urn"]:
            organisation = Establishment.objects.filter(urn=options["urn"]).first()
        else:
            organisation = Group.objects.filter(uid=options["trust_uid"]).first()
        if user is None or organisation is None:
            raise CommandError("No such person or organisation")
        try:
            api_key, raw = services.api_key_create(
                actor=user, organisation=organisation, role=options["role"], name=options["name"], days=options["days"]
            )
        except services.AccountsError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(raw)
        self.stderr.write(f"Expires on {api_key.expires_at:%Y-%m-%d}. Revoke it on the organisation's API keys page.")
