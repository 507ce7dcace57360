"""Demonstration peer support: the demo trust's schools nearest the demo secondary school offer help with
what their demo self-assessments meet, so the secondary school finds a real nearby school that meets one
of its unmet requirements, and the helping school's demo approver sees the request it sends.

Deterministic: the same data gives the same offers. Safe to run again (an offer is saved again, unchanged).
"""

from __future__ import annotations

from schooltech.demo import assessments, people
from schooltech.organisations.models import Establishment
from schooltech.peer import selectors, services

ASKING_URN = "100049"  # Haverstock School, the demo secondary school (its IT lead is a demo person)
HELPING_URN = people.DEMO_HELPER_URN  # George Mitchell School, whose network manager is a demo approver
OFFERS = 5  # the nearest trust schools that offer help
NOTE = (
    "Demonstration offer. We met this standard recently and are happy to share what we did, "
    "our specifications and what it cost, by phone or a visit."
)


def offer_help(*, asking: Establishment, trust_uid: str) -> list[Establishment]:
    """Give the asking school its demo assessments (if it has none), then make the nearest trust schools
    that meet at least one requirement offer help with all they meet. Returns the helping schools."""
    assessments.record_for(asking)
    schools = [
        school
        for school in Establishment.objects.filter(status__in=Establishment.OPEN_STATUSES, trust__uid=trust_uid)
        if school.easting is not None
    ]
    schools.sort(key=lambda school: (school.urn != HELPING_URN, selectors.distance_km(asking, school), school.urn))
    helping = []
    for school in schools:
        met = selectors.requirements_met(establishment=school)
        if not met:
            continue
        services.offer_save(
            establishment=school,
            user=None,
            topics=[(m.standard_key, m.requirement.key) for m in met],
            requests_per_term=3,
            phase="any",
            note=NOTE,
        )
        helping.append(school)
        if len(helping) == OFFERS:
            break
    return helping
