"""The plan as CSV and XLSX, and the governor report as PDF (WeasyPrint)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse

CSV_INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    text = str(value)
    # A spreadsheet would run a cell starting like a formula: quote it (OWASP CSV injection).
    return "'" + text if text.startswith(CSV_INJECTION_PREFIXES) else text


def csv_response(header: list[str], rows: list[list], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel reads UTF-8 (£ signs, curly quotes)
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell_text(value) for value in row])
    return response


def xlsx_bytes(header: list[str], rows: list[list], *, sheet: str = "Plan") -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "d mmmm yyyy"})
    money_format = workbook.add_format({"num_format": "£#,##0.00"})
    worksheet.write_row(0, 0, header, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                worksheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_format)
            elif isinstance(value, Decimal):
                worksheet.write_number(r, c, float(value), money_format)
            elif value is None:
                worksheet.write_blank(r, c, None)
            else:
                worksheet.write_string(r, c, str(value))
    worksheet.freeze_panes(1, 0)
    worksheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    worksheet.set_column(0, len(header) - 1, 22)
    workbook.close()
    return buffer.getvalue()


def xlsx_response(header: list[str], rows: list[list], filename: str) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(header, rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_bytes(html: str) -> bytes:
    import weasyprint  # imported here: it loads Pango, which only the PDF needs

    return weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def _refuse_fetch(url: str, *args, **kwargs):
    """The report embeds everything it needs: never fetch anything while rendering."""
    raise ValueError(f"The PDF report does not load {url}")
