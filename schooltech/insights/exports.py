"""The tables of the trust, local authority and school dashboards as spreadsheets (CSV, XLSX or ODS,
through core/spreadsheets.py): each holds the rows and the words its page shows, and nothing else.

- A trust's or local authority's own schools' figures: its own schools' live figures, which it sees
  whatever they share, next to England's figure for public metrics only ("–" for a department-only one,
  as on the page; England's hidden cells say "Hidden", as on the page).
- Its schools' sharing: what each school shares with the department.
- A school's comparison: its figures and the similar schools' quarters, public metrics only and only
  where at least 5 similar schools have a figure (similar.compare), never another school.
"""

from schooltech.core import spreadsheets
from schooltech.insights import live, similar
from schooltech.insights.selectors import Figure
from schooltech.organisations.models import Establishment

NO_ENGLAND_FIGURE = "–"
SHARES_NOTHING = "Nothing"
PHASE_NOT_KNOWN = "Not known"

OWN_SCHOOLS_FIGURES_HEADER = [
    "Organisation", "Table", "Metric", "Unit", "Your schools with figures", "Your schools", "England", "England term",
]  # fmt: skip
OWN_SCHOOLS_SHARING_HEADER = ["Organisation", "School", "URN", "Phase", "Shares"]
COMPARISON_HEADER = [
    "Term", "School", "URN", "Measure", "Your school", "Lower quarter", "Middle", "Upper quarter", "Where you sit",
]  # fmt: skip


def _england_display(england: dict[str, Figure], figure: live.LiveFigure) -> str:
    """England's figure beside one of the organisation's own, for a public metric only: never England's
    figure of a department-only one, even if the caller read it."""
    national = england.get(figure.metric.key) if figure.metric.is_public else None
    return national.display if national else NO_ENGLAND_FIGURE


def _shares_display(categories: set[str] | None) -> str:
    return ", ".join(sorted(categories)) if categories else SHARES_NOTHING


def _phase_display(school: Establishment) -> str:
    return school.get_ofsted_phase_display() or PHASE_NOT_KNOWN


def own_schools_figures_table(
    *,
    organisation_name: str,
    groups: list[tuple[str, str, list[live.LiveFigure]]],
    england: dict[str, Figure],
    term: str | None,
) -> spreadsheets.Table:
    """Every figures table of the own-schools page, one row per metric, each named by its table."""
    rows = [
        [
            organisation_name,
            title,
            figure.metric.name,
            figure.metric.unit,
            figure.schools,
            figure.display,
            _england_display(england, figure),
            term or "",
        ]
        for _, title, figures in groups
        for figure in figures
    ]
    return spreadsheets.Table(name="Figures", header=OWN_SCHOOLS_FIGURES_HEADER, rows=rows)


def own_schools_sharing_table(
    *, organisation_name: str, schools: list[Establishment], shared: dict[int, set[str]]
) -> spreadsheets.Table:
    rows = [
        [organisation_name, school.name, school.urn, _phase_display(school), _shares_display(shared.get(school.pk))]
        for school in schools
    ]
    return spreadsheets.Table(name="Sharing", header=OWN_SCHOOLS_SHARING_HEADER, rows=rows)


def comparison_table(
    *, establishment: Establishment, term: str, comparisons: list[similar.Comparison]
) -> spreadsheets.Table:
    rows = [
        [
            term,
            establishment.name,
            establishment.urn,
            item.metric.name,
            item.metric.school_display(item.school),
            item.metric.display(item.lower_quartile),
            item.metric.display(item.median),
            item.metric.display(item.upper_quartile),
            item.position,
        ]
        for item in comparisons
    ]
    return spreadsheets.Table(name="Compared with similar schools", header=COMPARISON_HEADER, rows=rows)
