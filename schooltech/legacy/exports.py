"""The register and the board summary as files: CSV and XLSX through core/spreadsheets.py (text that
starts like a formula is neutralised, numbers and dates written as such), and the board summary as a
PDF through WeasyPrint, as the plan's governor report is.

The register's CSV and XLSX have the columns the import reads (importers.py), so a file exported here
can be changed in a spreadsheet and brought back in: the CSV its services, the XLSX its services (the
first sheet) and their software, supplier contracts and vulnerabilities (the sheets named in
COMPONENT_SHEETS, with the columns below).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from schooltech.core.spreadsheets import Table
from schooltech.legacy import selectors
from schooltech.legacy.models import Criterion
from schooltech.legacy.selectors import BoardLine, ServiceRisk

# The service columns, shared with the import: (header, attribute).
SERVICE_COLUMNS = [
    ("Name", "name"),
    ("Purpose", "purpose"),
    ("Directorate", "directorate"),
    ("Service owner", "owner"),
    ("Who relies on it", "users"),
    ("Transactions a year", "transactions_per_year"),
    ("What it supports", "supports"),
    ("Value", "value"),
    ("Annual cost (£)", "annual_cost"),
    ("Hosting", "hosting"),
]
# The component sheets of the XLSX, shared with the import: (header, attribute). Each names its service
# by name; a vulnerability names its software as Software.__str__ does ("name version").
SOFTWARE_COLUMNS = [
    ("Service", "service"),
    ("Software", "name"),
    ("Version", "version"),
    ("Support ends", "support_ends"),
]
CONTRACT_COLUMNS = [
    ("Service", "service"),
    ("Supplier", "supplier"),
    ("What it is for", "description"),
    ("Contract ends", "ends_on"),
    ("Notice must be given by", "notice_by"),
]
VULNERABILITY_COLUMNS = [
    ("Service", "service"),
    ("Software", "software"),
    ("Reference", "reference"),
    ("Severity", "severity"),
    ("Fixed on", "fixed_on"),
]
COMPONENT_SHEETS = {  # kind -> (sheet name, columns)
    "software": ("Software", SOFTWARE_COLUMNS),
    "contracts": ("Supplier contracts", CONTRACT_COLUMNS),
    "vulnerabilities": ("Vulnerabilities", VULNERABILITY_COLUMNS),
}
CRITERIA = [criterion.value for criterion in Criterion]


def _service_cells(service) -> list:
    cells = []
    for _, attribute in SERVICE_COLUMNS:
        if attribute == "directorate":
            cells.append(service.get_directorate_display())
        elif attribute == "value":
            cells.append(service.get_value_display().split(":")[0])
        elif attribute == "annual_cost":
            cells.append(Decimal(service.annual_cost) if service.annual_cost is not None else None)
        else:
            cells.append(getattr(service, attribute))
    return cells


def register_table(risks: list[ServiceRisk]) -> Table:
    header = [header for header, _ in SERVICE_COLUMNS] + [
        "Integrations",
        *[Criterion(criterion).label for criterion in CRITERIA],
        "Likelihood",
        "Risk score (out of 30)",
        "Rating",
        "Example",
    ]
    rows = []
    for risk in risks:
        scores = {result.criterion: result.score for result in risk.criteria}
        rows.append(
            [
                *_service_cells(risk.service),
                ", ".join(str(other) for other in risk.service.integrations.all()),
                *[scores.get(criterion) for criterion in CRITERIA],
                risk.likelihood,
                risk.score,
                risk.rating.capitalize(),
                "Yes" if risk.service.is_example else "No",
            ]
        )
    return Table("Register", header, rows, frozen_columns=1, autofilter=True, column_widths={0: 36, 1: 50})


def component_tables(risks: list[ServiceRisk]) -> list[Table]:
    software, contracts, vulnerabilities = selectors.components([risk.service.pk for risk in risks])
    rows = {
        "software": [[s.service.name, s.name, s.version, s.support_ends] for s in software],
        "contracts": [[c.service.name, c.supplier, c.description, c.ends_on, c.notice_by] for c in contracts],
        "vulnerabilities": [
            [v.software.service.name, str(v.software), v.reference, v.get_severity_display(), v.fixed_on]
            for v in vulnerabilities
        ],
    }
    return [
        Table(title, [header for header, _ in columns], rows[kind])
        for kind, (title, columns) in COMPONENT_SHEETS.items()
    ]


def board_table(lines: list[BoardLine], *, today: datetime.date) -> Table:
    header = [
        "Service",
        "Directorate",
        "Value",
        "Risk score (out of 30)",
        "Rating",
        "Risk outweighs value",
        "Decision",
        "Decided on",
        "Next milestone",
        "Due",
        "Overdue milestones",
    ]
    rows = [
        [
            line.risk.service.name,
            line.risk.service.get_directorate_display(),
            line.risk.service.get_value_display().split(":")[0],
            line.risk.score,
            line.risk.rating.capitalize(),
            "Yes" if line.outweighs else "No",
            line.decision.get_kind_display() if line.decision else "No decision yet",
            line.decision.decided_on if line.decision else None,
            line.next_milestone.title if line.next_milestone else "",
            line.next_milestone.due_on if line.next_milestone else None,
            line.overdue,
        ]
        for line in lines
    ]
    return Table(f"Board summary {today:%Y-%m-%d}", header, rows, frozen_columns=1)


def pdf_bytes(html: str) -> bytes:
    import weasyprint  # imported here: it loads Pango, which only the PDF needs

    return weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def _refuse_fetch(url: str, *args, **kwargs):
    """The summary embeds everything it needs: never fetch anything while rendering."""
    raise ValueError(f"The PDF board summary does not load {url}")
