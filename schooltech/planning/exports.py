"""The governor report as PDF (WeasyPrint). The plan's CSV and XLSX files are written by
core/spreadsheets.py, like every spreadsheet the service writes."""

from __future__ import annotations


def pdf_bytes(html: str) -> bytes:
    import weasyprint  # imported here: it loads Pango, which only the PDF needs

    return weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def _refuse_fetch(url: str, *args, **kwargs):
    """The report embeds everything it needs: never fetch anything while rendering."""
    raise ValueError(f"The PDF report does not load {url}")
