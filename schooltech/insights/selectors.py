"""Reads for the insights app."""

from django.db.models import OuterRef, QuerySet, Subquery

from schooltech.insights.models import SharingChoice
from schooltech.insights.sharing import CATEGORY_KEYS
from schooltech.organisations.models import Establishment


def current_sharing(*, establishment: Establishment) -> SharingChoice | None:
    """The school's latest choice, or None if it has never chosen (which shares nothing)."""
    return SharingChoice.objects.filter(establishment=establishment).select_related("chosen_by").first()


def sharing_history(*, establishment: Establishment) -> QuerySet[SharingChoice]:
    """Every choice the school has made, newest first."""
    return SharingChoice.objects.filter(establishment=establishment).select_related("chosen_by")


def _latest_choices() -> QuerySet[SharingChoice]:
    same_school = SharingChoice.objects.filter(establishment=OuterRef("establishment"))
    latest = same_school.order_by("-chosen_at", "-pk").values("pk")[:1]
    return SharingChoice.objects.filter(pk=Subquery(latest))


def establishments_sharing(*, category: str) -> QuerySet[Establishment]:
    """The establishments whose current choice shares this category ("standards", "estate" or "plans")."""
    if category not in CATEGORY_KEYS:
        raise ValueError(f"Unknown sharing category {category!r}")
    ids = _latest_choices().filter(**{category: True}).values("establishment_id")
    return Establishment.objects.filter(pk__in=ids)


def shared_categories(*, establishment_ids: list[int]) -> dict[int, set[str]]:
    """What each of these establishments currently shares (absent: nothing)."""
    shared: dict[int, set[str]] = {}
    rows = _latest_choices().filter(establishment_id__in=establishment_ids).values("establishment_id", *CATEGORY_KEYS)
    for row in rows:
        categories = {key for key in CATEGORY_KEYS if row[key]}
        if categories:
            shared[row["establishment_id"]] = categories
    return shared
