"""The dashboard's table as files for Excel users: CSV and XLSX, each saying which date and filters
produced it.

The CSV is written for Excel with Vietnamese regional settings (the office's machines): `;` between
fields, a decimal comma in the rate, UTF-8 with a BOM so that the diacritics survive. Excel with other
regional settings reads the XLSX, where numbers are numbers and the rate a percentage.
"""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.dates import format_day

from .dashboard import Dashboard, Row

CSV_DELIMITER = ";"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# (label, attribute of dashboard.Row)
COLUMNS = [
    (gettext_lazy("Tổng số"), "total"),
    (gettext_lazy("Hoàn thành đúng hạn"), "done_on_time"),
    (gettext_lazy("Hoàn thành quá hạn"), "done_late"),
    (gettext_lazy("Đang thực hiện trong hạn"), "in_progress"),
    (gettext_lazy("Quá hạn"), "overdue"),
    (gettext_lazy("Trong đó quá hạn trên 30 ngày"), "overdue_long"),
    (gettext_lazy("Không thời hạn"), "no_deadline"),
    (gettext_lazy("Tạm dừng"), "paused"),
    (gettext_lazy("Hủy bỏ"), "cancelled"),
]
RATE_LABEL = gettext_lazy("Tỷ lệ hoàn thành đúng hạn (%)")


def safe_text(value) -> str:
    """A text cell never read as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def filter_lines(form) -> list[tuple[str, str]]:
    """What produced the figures: the as-of date, then each chosen filter with its label and value."""
    lines = []
    for name, field in form.fields.items() if form.is_bound else ():
        value = form.cleaned_data.get(name)
        if name == "as_of" or value in (None, "", []):
            continue
        # A chosen filter is an option of tracking.filters (its label) or a plain value.
        lines.append((str(field.label), str(getattr(value, "label", value))))
    return lines or [(_("Bộ lọc"), _("Không lọc: toàn bộ nhiệm vụ"))]


def file_name(data: Dashboard, extension: str) -> str:
    return f"tinh-hinh-thuc-hien-den-{data.as_of:%d-%m-%Y}.{extension}"


def _header() -> list[str]:
    return [_("STT"), _("Cơ quan chủ trì"), *(str(label) for label, _name in COLUMNS), str(RATE_LABEL)]


def _body(data: Dashboard) -> list[tuple[str, str, Row]]:
    rows = [(str(index), row.name, row) for index, row in enumerate(data.rows, start=1)]
    return [*rows, ("", _("Tổng cộng"), data.total)]


def csv_response(data: Dashboard, form) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(data, "csv")}"'
    response.write("\ufeff")  # BOM: Excel then reads UTF-8
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow([_("Số liệu tính đến ngày"), format_day(data.as_of)])
    for label, value in filter_lines(form):
        writer.writerow([safe_text(label), safe_text(value)])
    writer.writerow(_header())
    for number, name, row in _body(data):
        rate = "" if row.on_time_rate is None else str(row.on_time_rate).replace(".", ",")
        writer.writerow([number, safe_text(name), *(getattr(row, attr) for _label, attr in COLUMNS), rate])
    return response


def xlsx_response(data: Dashboard, form) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Tình hình thực hiện")
    sheet.append([_("Tình hình thực hiện nhiệm vụ theo cơ quan chủ trì")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Số liệu tính đến ngày"), data.as_of])
    sheet.cell(row=2, column=2).number_format = "dd/mm/yyyy"
    for label, value in filter_lines(form):
        sheet.append([safe_text(label), safe_text(value)])
    sheet.append([])
    sheet.append(_header())
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, name, row in _body(data):
        rate = None if row.on_time_rate is None else float(row.on_time_rate) / 100
        sheet.append(
            [int(number) if number else None, safe_text(name), *(getattr(row, a) for _l, a in COLUMNS), rate]
        )
        sheet.cell(row=sheet.max_row, column=len(COLUMNS) + 3).number_format = "0.0%"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 48
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name(data, "xlsx")}"'
    return response
