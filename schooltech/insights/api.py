"""Open statistics: the public aggregates, suppressed, for anyone and without a key or signing in.

Department-only metrics and trust figures are never here; a suppressed cell comes with no schools count
and no figure, only a note saying why.
"""

from ninja import Router, Schema

from schooltech.accounts import policy
from schooltech.insights import selectors, views

router = Router(tags=["Open statistics"])


class FigureOut(Schema):
    term: str
    area_type: str
    area_code: str
    area: str
    phase: str
    metric: str
    metric_name: str
    unit: str
    schools: int | None
    figure: float | None
    note: str


@router.get("/statistics/terms", response=list[str], auth=None, summary="Terms with published figures")
@policy.public
def statistics_terms(request):
    """Every term with published figures, oldest first."""
    return selectors.terms()


@router.get("/statistics/figures", response=list[FigureOut], auth=None, summary="Published figures")
@policy.public
def statistics_figures(request, term: str | None = None):
    """Every public figure of a term (the latest if none is given) for England, each region and each local
    authority, by phase. Hidden figures have no schools count or figure and say why in `note`."""
    known = selectors.terms()
    chosen = term if term in known else (known[-1] if known else None)
    if chosen is None:
        return []
    keys = list(FigureOut.model_fields)
    return [dict(zip(keys, row, strict=True)) for row in views.open_statistics_rows(term=chosen)]
