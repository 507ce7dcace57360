"""Writes for the insights app: keyword-only, typed, one transaction each."""

from typing import Any

from django.db import transaction

from schooltech.insights import selectors
from schooltech.insights.models import SharingChoice
from schooltech.insights.sharing import NOTICE_VERSION
from schooltech.organisations.models import Establishment


@transaction.atomic
def sharing_choose(
    *, establishment: Establishment, user: Any, standards: bool, estate: bool, plans: bool
) -> SharingChoice:
    """Record the school's choice of what it shares with the department, as read in today's notice.

    A choice the same as the current one (and made on the same notice) adds nothing to the history.
    """
    current = selectors.current_sharing(establishment=establishment)
    wanted = (standards, estate, plans, NOTICE_VERSION)
    if current is not None and (current.standards, current.estate, current.plans, current.notice_version) == wanted:
        return current
    return SharingChoice.objects.create(
        establishment=establishment,
        standards=standards,
        estate=estate,
        plans=plans,
        notice_version=NOTICE_VERSION,
        chosen_by=user if getattr(user, "is_authenticated", False) else None,
    )
