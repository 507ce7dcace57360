"""Pages of the national picture. Each declares its access through schooltech.accounts.policy."""

from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from markupsafe import Markup

from schooltech.accounts import policy
from schooltech.accounts.models import Role
from schooltech.core import charts, spreadsheets
from schooltech.core.kept import Kept
from schooltech.insights import exports, live, metrics, selectors, services, similar
from schooltech.insights.forms import SharingForm
from schooltech.insights.selectors import Figure
from schooltech.insights.sharing import CATEGORIES, CATEGORY_KEYS, MINIMUM_CELL, NOTICE_VERSION
from schooltech.insights.terms import term_from_key
from schooltech.organisations import selectors as organisation_selectors
from schooltech.organisations.models import Establishment, Group, LocalAuthority
from schooltech.organisations.reference import Department, OrganisationRef


def _is_approver(user, establishment: Establishment) -> bool:
    """Only the school's own approvers choose what it shares: not a trust or local authority for it."""
    return policy.role_in(user, establishment) == Role.APPROVER


@policy.requires("view", establishment="urn")
def sharing(request, establishment: Establishment):
    may_choose = _is_approver(request.user, establishment)
    current = selectors.current_sharing(establishment=establishment)
    if request.method == "POST":
        if not may_choose:
            return _sharing_page(request, establishment, current, SharingForm(), may_choose, status=403)
        form = SharingForm(request.POST)
        if form.is_valid():
            chosen = set(form.cleaned_data["shared"])
            choice = services.sharing_choose(
                establishment=establishment, user=request.user, **{key: key in chosen for key in CATEGORY_KEYS}
            )
            messages.success(
                request,
                f"Your school now shares: {choice.summary}" if choice.shares_anything else "Your school shares nothing",
            )
            return redirect("insights:sharing", urn=establishment.urn)
        return _sharing_page(request, establishment, current, form, may_choose, status=400)
    initial = {"shared": [key for key in CATEGORY_KEYS if current and getattr(current, key)]}
    return _sharing_page(request, establishment, current, SharingForm(initial=initial), may_choose)


def _sharing_page(request, establishment, current, form, may_choose: bool, status: int = 200):
    context = {
        "establishment": establishment,
        "current": current,
        "history": list(selectors.sharing_history(establishment=establishment)[:50]),
        "form": form,
        "may_choose": may_choose,
        "categories": CATEGORIES,
        "notice_version": NOTICE_VERSION,
        "minimum_cell": MINIMUM_CELL,
    }
    return render(request, "insights/sharing.html", context, status=status)


# --- Dashboards -------------------------------------------------------------------------------------


@policy.public
def start(request):
    """Where "National picture" in the navigation goes: the signed-in user's first organisation's page
    (the department's England, a trust's or LA's schools, a school's comparison), else the open figures."""
    membership = next(iter(policy.memberships_of(request.user)), None)
    if membership is None:
        return redirect("insights:statistics")
    return redirect("insights:dashboard", organisation=membership.organisation_ref)


PHASES = [("", "All phases")] + [(value, label) for value, label in Establishment.OfstedPhase.choices]
PERCENT_UNITS = {"share"}


def _chart(figures: list[tuple[str, Figure]], title: str) -> charts.Chart | None:
    """A bar per shown figure, labelled as the table labels it; None when nothing can be shown."""
    shown = [(label, figure) for label, figure in figures if figure.aggregate and not figure.aggregate.suppression]
    if not shown:
        return None
    data = [(label, figure.aggregate.value or 0.0) for label, figure in shown]
    chart = charts.bar_chart(data, title=title)
    bars = [replace(bar, display=figure.display) for bar, (_, figure) in zip(chart.bars, shown, strict=True)]
    return replace(chart, bars=bars)


def _choice(value: str | None, allowed: list[str], default: str) -> str:
    return value if value in allowed else default


@policy.requires("view", organisation="organisation")
def dashboard(request, organisation):
    if isinstance(organisation, Department):
        return redirect("insights:area", organisation="department", area="england")
    if isinstance(organisation, Group | LocalAuthority):
        return _own_schools_dashboard(request, organisation)
    return _comparison(request, organisation)


def _comparison(request, establishment: Establishment):
    """Where the school sits among similar schools, metric by metric, in quarters."""
    context = {
        **_comparison_figures(establishment),
        "establishment": establishment,
        "organisation_slug": OrganisationRef.for_organisation(establishment).slug,
        "method_version": similar.METHOD_VERSION,
        "peers": similar.PEERS,
        "minimum_cell": MINIMUM_CELL,
    }
    return render(request, "insights/comparison.html", context)


def _comparison_figures(establishment: Establishment) -> dict:
    """The similar schools and the comparisons with them, for the page and its download alike."""
    on = timezone.localdate()
    term = selectors.latest_term()
    found = similar.similar_schools(establishment=establishment, term=term) if term else None
    comparisons = []
    if found is not None:
        own = live.school_values(schools=[establishment], on=on).get(establishment.pk, {})
        comparisons = similar.compare(own=own, similar=found, term=term, on=on)
    return {"term": term, "term_label": _term_label(term) if term else "", "similar": found, "comparisons": comparisons}


@policy.requires("view", organisation="organisation")
def comparison_export(request, organisation, file_format: str):
    """The school's comparison table: what its page shows, nothing more."""
    if not isinstance(organisation, Establishment) or file_format not in spreadsheets.CONTENT_TYPES:
        raise Http404("No such download")
    found = _comparison_figures(organisation)
    if not found["comparisons"]:
        raise Http404("Nothing to compare yet")
    table = exports.comparison_table(establishment=organisation, term=found["term"], comparisons=found["comparisons"])
    body = spreadsheets.spreadsheet_bytes(file_format, table)
    return spreadsheets.download(body, f"similar-schools-{organisation.urn}-{found['term']}.{file_format}")


# An area's page is the same for every department viewer and changes only when its figures are
# computed again, so each process renders it once per choice and edition and keeps it.
_area_pages = Kept(limit=64)


def forget_area_pages() -> None:
    _area_pages.clear()


@policy.requires("view", organisation="organisation")
def area(request, organisation, area: str):
    if not isinstance(organisation, Department):
        raise Http404("Only the department sees areas")
    editions = selectors.term_editions()
    if not editions:
        raise Http404("No figures yet")
    term = _choice(request.GET.get("term"), list(editions), selectors.terms(editions)[-1])
    phase = _choice(request.GET.get("phase"), [value for value, _ in PHASES], "")
    metric = request.GET.get("metric", "")[:100]
    key = (area[:100], term, phase, metric, timezone.localdate(), editions[term])
    kept = _area_pages.get_or_make(key, lambda: _area_page_parts(request, area))
    return render(request, "insights/area.html", {"kept": kept})


def _area_page_parts(request, slug: str) -> dict[str, str]:
    context = _area_context(request, slug)
    return {
        "area_name": context["area"].name,
        "crumbs": Markup(render_to_string("insights/_area_crumbs.html", context, request=request)),
        "main": Markup(render_to_string("insights/_area_main.html", context, request=request)),
    }


@policy.requires("view", organisation="organisation")
def area_export(request, organisation, area: str, file_format: str):
    if not isinstance(organisation, Department) or file_format not in spreadsheets.CONTENT_TYPES:
        raise Http404("No such download")
    context = _area_context(request, area)
    table = spreadsheets.Table(
        name="Figures",
        header=["Term", "Area", "Phase", "Metric", "Unit", "Who may see it", "Schools", "Figure"],
        rows=[
            [
                context["term"],
                context["area"].name,
                context["phase_label"],
                figure.metric.name,
                figure.metric.unit,
                "Department only" if not figure.metric.is_public else "Public",
                figure.schools,
                figure.display,
            ]
            for figure in context["figures"]
        ],
    )
    body = spreadsheets.spreadsheet_bytes(file_format, table)
    return spreadsheets.download(body, f"national-picture-{context['area'].slug}-{context['term']}.{file_format}")


def _area_context(request, slug: str) -> dict:
    terms = selectors.terms()
    if not terms:
        raise Http404("No figures yet")
    term = _choice(request.GET.get("term"), terms, terms[-1])
    area = selectors.area_from_slug(term=term, slug=slug)
    if area is None:
        raise Http404("No figures for this area")
    on = timezone.localdate()
    all_metrics = metrics.all_metrics(on)
    by_key = {metric.key: metric for metric in all_metrics}
    phase = _choice(request.GET.get("phase"), [value for value, _ in PHASES], "")
    chosen = by_key.get(request.GET.get("metric", ""), metrics.COVERAGE)
    children = selectors.child_areas(term=term, area=area)
    child_figures = selectors.breakdown(term=term, areas=children, metric=chosen, phase=phase)
    breakdown = list(zip(children, child_figures, strict=True))
    figures = selectors.area_figures(term=term, area=area, metrics=all_metrics, phase=phase)
    by_term = selectors.trend(area=area, metric=chosen, phase=phase, known_terms=terms)
    trend = [(_term_label(key), figure) for key, figure in by_term]
    return {
        "organisation_slug": "department",
        "term": term,
        "term_label": _term_label(term),
        "terms": [(key, _term_label(key)) for key in terms],
        "area": area,
        "parents": _parents(area),
        "phase": phase,
        "phase_label": dict(PHASES)[phase],
        "phases": PHASES,
        "figures": figures,
        "groups": _grouped(figures),
        "metrics": all_metrics,
        "chosen": chosen,
        "children": breakdown,
        "chart": _chart([(child.name, figure) for child, figure in breakdown], f"{chosen.name}, {chosen.unit}"),
        "trend": trend,
        "trend_chart": _chart(trend, f"{chosen.name} in {area.name} by term, {chosen.unit}"),
        "query": urlencode({"term": term, "phase": phase, "metric": chosen.key}),
    }


def _term_label(key: str) -> str:
    term = term_from_key(key)
    return term.label if term else key


def _parents(area) -> list:
    if area.kind == "region":
        return [selectors.ENGLAND]
    if area.kind == "local_authority":
        schools = Establishment.objects.filter(local_authority__code=area.key).exclude(region="")
        region = schools.values_list("region", flat=True).first()
        return [selectors.ENGLAND] + ([selectors.Area("region", region, region)] if region else [])
    return []


GROUPS = [
    ("coverage", "Coverage and freshness", ("coverage.", "freshness.")),
    ("standards", "Standards met", ("standard.",)),
    ("estate", "Estate", ("estate.",)),
    ("plans", "Planned spending", ("plans.",)),
    ("requirements", "Requirements met", ("requirement.",)),
]


def _grouped(figures: list[Figure]) -> list[tuple[str, str, list[Figure]]]:
    return [
        (key, title, [figure for figure in figures if figure.metric.key.startswith(prefixes)])
        for key, title, prefixes in GROUPS
    ]


def _own_schools_dashboard(request, organisation):
    """A trust's or local authority's own schools, shared with the department or not, worked out live."""
    schools = _own_schools(organisation)
    found = _own_schools_figures(schools)
    context = {
        **found,
        "organisation": organisation,
        "organisation_slug": OrganisationRef.for_organisation(organisation).slug,
        "schools": schools,
        "shared": selectors.shared_categories(establishment_ids=[school.pk for school in schools]),
        "chart": _live_chart(found["figures"]),
    }
    return render(request, "insights/own_schools.html", context)


def _own_schools(organisation) -> list[Establishment]:
    return list(organisation_selectors.establishments_looked_after(organisation=organisation).order_by("name"))


def _own_schools_figures(schools: list[Establishment]) -> dict:
    """The schools' live figures by table, beside England's public figures, for the page and its download alike."""
    figures = live.own_figures(schools=schools, on=timezone.localdate())
    term = selectors.latest_term()
    england = {}
    if term:
        public = [figure.metric for figure in figures if figure.metric.is_public]
        england = {f.metric.key: f for f in selectors.area_figures(term=term, area=selectors.ENGLAND, metrics=public)}
    return {
        "figures": figures,
        "groups": [
            (key, title, [figure for figure in figures if figure.metric.key.startswith(prefixes)])
            for key, title, prefixes in GROUPS
            if key != "coverage"
        ],
        "england": england,
        "term": term,
        "term_label": _term_label(term) if term else "",
    }


def _trust_or_local_authority(organisation, file_format: str) -> Group | LocalAuthority:
    if not isinstance(organisation, Group | LocalAuthority) or file_format not in spreadsheets.CONTENT_TYPES:
        raise Http404("No such download")
    return organisation


def _own_schools_filename(organisation, table: str, file_format: str) -> str:
    slug = OrganisationRef.for_organisation(organisation).slug
    return f"{table}-{slug}-{timezone.localdate():%Y-%m-%d}.{file_format}"


@policy.requires("view", organisation="organisation")
def own_schools_export(request, organisation, file_format: str):
    """A trust's or local authority's figures tables: what its page shows, nothing more."""
    organisation = _trust_or_local_authority(organisation, file_format)
    found = _own_schools_figures(_own_schools(organisation))
    table = exports.own_schools_figures_table(
        organisation_name=organisation.name, groups=found["groups"], england=found["england"], term=found["term"]
    )
    body = spreadsheets.spreadsheet_bytes(file_format, table)
    return spreadsheets.download(body, _own_schools_filename(organisation, "your-schools-figures", file_format))


@policy.requires("view", organisation="organisation")
def own_schools_sharing_export(request, organisation, file_format: str):
    """What each of a trust's or local authority's schools shares with the department, as on its page."""
    organisation = _trust_or_local_authority(organisation, file_format)
    schools = _own_schools(organisation)
    shared = selectors.shared_categories(establishment_ids=[school.pk for school in schools])
    table = exports.own_schools_sharing_table(organisation_name=organisation.name, schools=schools, shared=shared)
    body = spreadsheets.spreadsheet_bytes(file_format, table)
    return spreadsheets.download(body, _own_schools_filename(organisation, "your-schools-sharing", file_format))


def _live_chart(figures) -> charts.Chart | None:
    data = [
        (figure.metric.name, figure.value)
        for figure in figures
        if figure.metric.key.startswith("estate.") and figure.metric.aggregation == "share" and figure.value is not None
    ]
    if not data:
        return None
    chart = charts.bar_chart(data, title="Estate figures for your schools, %", label_width=300)
    bars = [replace(bar, display=f"{value:.0f}%") for bar, (_, value) in zip(chart.bars, data, strict=True)]
    return replace(chart, bars=bars)


# --- Public pages -----------------------------------------------------------------------------------


@policy.public
def methodology(request):
    context = {
        "metrics": metrics.all_metrics(timezone.localdate()),
        "minimum_cell": MINIMUM_CELL,
        "method_version": similar.METHOD_VERSION,
        "peers": similar.PEERS,
    }
    return render(request, "insights/methodology.html", context)


@policy.public
def statistics(request):
    """The public aggregates, suppressed: for anyone, without signing in."""
    term = selectors.latest_term()
    figures = []
    if term:
        public = [metric for metric in metrics.all_metrics(timezone.localdate()) if metric.is_public]
        figures = selectors.area_figures(term=term, area=selectors.ENGLAND, metrics=public)
    context = {"term": term, "term_label": _term_label(term) if term else "", "figures": figures}
    return render(request, "insights/statistics.html", context)


@policy.public
def statistics_download(request, file_format: str):
    term = selectors.latest_term()
    if file_format not in spreadsheets.CONTENT_TYPES or term is None:
        raise Http404("No such download")
    table = spreadsheets.Table(
        name="Figures", header=OPEN_STATISTICS_HEADER, rows=open_statistics_rows(term=term), autofilter=True
    )
    body = spreadsheets.spreadsheet_bytes(file_format, table)
    return spreadsheets.download(body, f"school-technology-figures-{term}.{file_format}")


OPEN_STATISTICS_HEADER = [
    "Term", "Area type", "Area code", "Area", "Phase", "Metric", "Metric name", "Unit", "Schools", "Figure", "Note",
]  # fmt: skip


def open_statistics_rows(*, term: str) -> list[list]:
    """Every public aggregate of the term; a suppressed cell has no schools count or figure, only a note."""
    by_key = metrics.metrics_by_key(timezone.localdate())
    rows = []
    for row in selectors.public_aggregates(term=term).order_by("area_kind", "area_name", "phase", "metric_key"):
        metric = by_key.get(row.metric_key)
        if metric is None or not metric.is_public:
            continue
        hidden = bool(row.suppression)
        rows.append([
            term, row.get_area_kind_display(), row.area_key, row.area_name, row.phase or "All phases",
            metric.key, metric.name, metric.unit,
            None if hidden else row.schools,
            None if hidden or row.value is None else round(row.value, 2),
            row.get_suppression_display() if hidden else "",
        ])  # fmt: skip
    return rows
