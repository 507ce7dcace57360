"""Create the demo people and the service's client on the local provider. Idempotent."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application

from schooltech.demo.people import DEMO_PASSWORD, DEMO_PEOPLE


class Command(BaseCommand):
    help = "Create the demo people and the service's OpenID Connect client"

    def add_arguments(self, parser):
        parser.add_argument("--service-url", default="http://127.0.0.1:8000")
        parser.add_argument("--client-id", default="schooltech-local")
        parser.add_argument("--client-secret", default="schooltech-local-secret-not-for-production")

    def handle(self, *args, service_url, client_id, client_secret, **options):
        User = get_user_model()
        for person in DEMO_PEOPLE:
            user, _ = User.objects.get_or_create(username=person["email"], defaults={"email": person["email"]})
            user.email = person["email"]
            user.first_name, user.last_name = person["given_name"], person["family_name"]
            user.set_password(DEMO_PASSWORD)
            user.save()
        service_url = service_url.rstrip("/")
        application = Application.objects.filter(client_id=client_id).first() or Application(client_id=client_id)
        application.name = "Plan and manage school technology (local)"
        application.client_type = Application.CLIENT_CONFIDENTIAL
        application.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        application.algorithm = Application.RS256_ALGORITHM
        application.skip_authorization = True
        # The local secret is published, so it is kept as it is: hashing it (the default) cost
        # every sign-in's token request about half a second of PBKDF2 here.
        application.hash_client_secret = False
        application.client_secret = client_secret
        application.redirect_uris = f"{service_url}/oidc/callback/"
        application.post_logout_redirect_uris = f"{service_url}/account/signed-out"
        application.save()
        self.stdout.write(f"Provider ready for {service_url}: {len(DEMO_PEOPLE)} demo people")
