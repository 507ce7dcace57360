"""Reads for the insights app."""

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.text import slugify

from schooltech.insights.metrics import COVERAGE, Metric
from schooltech.insights.models import Aggregate, SharingChoice
from schooltech.insights.sharing import CATEGORY_KEYS
from schooltech.insights.terms import term_from_key
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


# --- Aggregates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    kind: str
    key: str
    name: str

    @property
    def slug(self) -> str:
        if self.kind == Aggregate.AreaKind.ENGLAND:
            return "england"
        if self.kind == Aggregate.AreaKind.REGION:
            return f"region-{slugify(self.key)}"
        return f"la-{self.key}"


ENGLAND = Area(Aggregate.AreaKind.ENGLAND, "", "England")


@dataclass(frozen=True)
class Figure:
    metric: Metric
    aggregate: Aggregate | None

    @property
    def display(self) -> str:
        if self.aggregate is None:
            return "No figures"
        if self.aggregate.suppression:
            return "Hidden"
        return self.metric.display(self.aggregate.value)

    @property
    def schools(self) -> str:
        if self.aggregate is None:
            return "0"
        return "Fewer than 5" if self.aggregate.suppression == "primary" else f"{self.aggregate.schools:,}"


def term_editions() -> dict[str, tuple]:
    """Every term with aggregates, with a mark of which computation of its figures is current.

    Every term has an England coverage cell: reading those avoids scanning every aggregate, and as
    `services.aggregates_compute` replaces all of a term's cells at once, that cell's id and time
    change whenever the term's figures do.
    """
    england = Aggregate.objects.filter(metric_key=COVERAGE.key, area_kind=Aggregate.AreaKind.ENGLAND, phase="")
    return {term: (pk, computed_at) for term, pk, computed_at in england.values_list("term", "pk", "computed_at")}


def terms(editions: dict[str, tuple] | None = None) -> list[str]:
    """Every term with aggregates (or of these `term_editions`), oldest first."""
    return sorted(term_editions() if editions is None else editions, key=lambda key: term_from_key(key) or key)


def latest_term() -> str | None:
    found = terms()
    return found[-1] if found else None


def area_from_slug(*, term: str, slug: str) -> Area | None:
    """The area a URL names, if the term has figures for it."""
    if slug == "england":
        return ENGLAND
    kind, _, key = slug.partition("-")
    if kind == "la":
        row = Aggregate.objects.filter(term=term, area_kind=Aggregate.AreaKind.LOCAL_AUTHORITY, area_key=key).first()
        return Area(row.area_kind, row.area_key, row.area_name) if row else None
    if kind == "region":
        regions = Aggregate.objects.filter(term=term, area_kind=Aggregate.AreaKind.REGION)
        for name in regions.values_list("area_key", flat=True).distinct():
            if slugify(name) == key:
                return Area(Aggregate.AreaKind.REGION, name, name)
    return None


def area_figures(*, term: str, area: Area, metrics: list[Metric], phase: str = "") -> list[Figure]:
    """One figure per metric for the area and phase (None where no school gave a value)."""
    rows = Aggregate.objects.filter(term=term, area_kind=area.kind, area_key=area.key, phase=phase)
    by_metric = {row.metric_key: row for row in rows}
    return [Figure(metric, by_metric.get(metric.key)) for metric in metrics]


def child_areas(*, term: str, area: Area) -> list[Area]:
    """England's regions, or a region's local authorities, that have figures this term."""
    if area.kind == Aggregate.AreaKind.ENGLAND:
        kind, within = Aggregate.AreaKind.REGION, None
    elif area.kind == Aggregate.AreaKind.REGION:
        kind, within = Aggregate.AreaKind.LOCAL_AUTHORITY, area.key
    else:
        return []
    rows = Aggregate.objects.filter(term=term, area_kind=kind, metric_key=COVERAGE.key, phase="")
    if within is not None:
        rows = rows.filter(area_key__in=_la_codes_in(within))
    return [Area(kind, key, name) for key, name in rows.order_by("area_name").values_list("area_key", "area_name")]


def _la_codes_in(region: str) -> QuerySet:
    return Establishment.objects.filter(region=region, local_authority__isnull=False).values("local_authority__code")


def breakdown(*, term: str, areas: list[Area], metric: Metric, phase: str = "") -> list[Figure]:
    """The metric's figure for each of these areas."""
    rows = Aggregate.objects.filter(term=term, metric_key=metric.key, phase=phase, area_key__in=[a.key for a in areas])
    by_area = {(row.area_kind, row.area_key): row for row in rows}
    return [Figure(metric, by_area.get((area.kind, area.key))) for area in areas]


def trend(
    *, area: Area, metric: Metric, phase: str = "", known_terms: list[str] | None = None
) -> list[tuple[str, Figure]]:
    """The metric's figure for the area in every term (known_terms, if the caller has read them), oldest first."""
    rows = Aggregate.objects.filter(metric_key=metric.key, area_kind=area.kind, area_key=area.key, phase=phase)
    by_term = {row.term: row for row in rows}
    return [(term, Figure(metric, by_term.get(term))) for term in (known_terms or terms())]


def public_aggregates(*, term: str) -> QuerySet[Aggregate]:
    """The public aggregates of a term for England, regions and local authorities. Suppressed cells are
    included (so a reader sees they exist) but callers must show no value for them."""
    return Aggregate.objects.filter(term=term, public=True).exclude(area_kind=Aggregate.AreaKind.TRUST)
