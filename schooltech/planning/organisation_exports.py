"""A trust's or local authority's plan overview as sheets (core/spreadsheets.py writes them): one
line per school, with "No plan yet" instead of zeros, the totals, and the buy-together opportunities
with their schools."""

from __future__ import annotations

from schooltech.core import spreadsheets
from schooltech.planning.selectors import OrganisationPlan

NO_PLAN_YET = "No plan yet"


def schools_table(data: OrganisationPlan) -> spreadsheets.Table:
    years = [year.label for year in data.years]
    header = ["URN", "School", "Open actions", "Statutory or security", *(f"{label} (£)" for label in years)]
    rows = []
    for line in data.lines:
        school = [line.establishment.urn, line.establishment.name]
        if line.plan:
            rows.append(
                school + [line.open_actions, line.statutory_or_security] + [line.by_year[label] for label in years]
            )
        else:
            rows.append(school + [NO_PLAN_YET] + [None] * (1 + len(years)))
    rows.append(
        [
            "",
            f"Total ({data.schools_with_plans} of {len(data.lines)} schools with a plan)",
            data.total_open_actions,
            data.total_statutory_or_security,
            *(data.totals_by_year[label] for label in years),
        ]
    )
    widths = {0: 10, 1: 45} | dict.fromkeys(range(2, len(header)), 16)
    return spreadsheets.Table(name="Schools", header=header, rows=rows, column_widths=widths, frozen_columns=2)


def buy_together_table(data: OrganisationPlan) -> spreadsheets.Table:
    rows = []
    for category, opportunities in data.opportunities_by_category:
        for opportunity in opportunities:
            rows.append(
                [
                    category,
                    opportunity.first,
                    opportunity.last,
                    opportunity.title,
                    len(opportunity.schools),
                    "; ".join(f"{school.name} ({school.urn})" for school in opportunity.schools),
                    opportunity.actions,
                    opportunity.cost,
                ]
            )
    header = ["Category", "First due", "Last due", "What", "Schools", "Which schools", "Actions", "Estimated cost (£)"]
    widths = {0: 30, 1: 14, 2: 14, 3: 60, 4: 10, 5: 80, 6: 10, 7: 18}
    return spreadsheets.Table(name="Buy together", header=header, rows=rows, column_widths=widths)
