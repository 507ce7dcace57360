"""Demonstration peer support offers (schooltech/demo/peer.py). Run after generate_assessments --demo.

manage.py generate_peer_support --demo
"""

from django.core.management.base import BaseCommand, CommandError

from schooltech.demo import peer, people
from schooltech.organisations.models import Establishment
from schooltech.peer import selectors


class Command(BaseCommand):
    help = "Make the demo trust's schools nearest the demo secondary school offer peer support (demonstration data)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", required=True, help="The demo schools")

    def handle(self, *args, **options):
        asking = Establishment.objects.filter(urn=peer.ASKING_URN).first()
        if asking is None:
            raise CommandError("No demo school found: load the shipped data and the demo accounts first")
        helping = peer.offer_help(asking=asking, trust_uid=people.DEMO_TRUST_UID)
        unmet = {(key, requirement.key) for key, requirement in selectors.requirements_unmet(establishment=asking)}
        findable = {
            (topic.standard_key, topic.requirement_key)
            for school in helping
            for topic in selectors.offer_of(establishment=school).topics.all()
        } & unmet
        self.stdout.write(
            f"{len(helping)} demo schools offer peer support; {asking.name} can ask about {len(findable)} "
            f"of its unmet requirements"
        )
