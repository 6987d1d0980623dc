"""The XLSX export of a summary: one sheet per table or list, ready for a clerk to print.

Numbers are written as numbers (rates as fractions with a % format, dates as dates), every text as
a string; a text that a spreadsheet would read as a formula (= + - @ at the start) is neutralised
with a leading apostrophe, so a task text like "=HYPERLINK(…)" stays text even after a cell is edited.
"""

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import columns
from .columns import COLUMN_LABELS, NUMBER, TABLE_COLUMNS
from .report import Report, Table

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E8ECF2")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
DATE_FORMAT = "dd/mm/yyyy"
RATE_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
# Unchanged: an empty-looking cell (the value 0 stays in it for sums).
CHANGE_FORMAT = "+#,##0;-#,##0;"
RATE_CHANGE_FORMAT = "+0.0;-0.0;"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value) -> str:
    """A text cell's value: never read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Sheet:
    """Writes rows top-down on one worksheet, with the house style."""

    def __init__(self, ws: Worksheet, widths: list[float], landscape: bool = False):
        self.ws = ws
        self.row = 1
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.oddFooter.center.text = _("Trang &P/&N")

    def text(self, column: int, value, font=None, alignment=WRAP, border=True):
        cell = self.ws.cell(row=self.row, column=column)
        cell.value = safe_text(value)
        cell.data_type = "s"
        cell.alignment = alignment
        if font:
            cell.font = font
        if border:
            cell.border = BORDER
        return cell

    def number(self, column: int, value, number_format=COUNT_FORMAT, font=None):
        cell = self.ws.cell(row=self.row, column=column)
        cell.value = value
        cell.number_format = number_format
        cell.border = BORDER
        if font:
            cell.font = font
        return cell

    def rate(self, column: int, value, font=None):
        """A percentage stored as a fraction (48.5 → 0.485) shown as 48.5%."""
        return self.number(column, None if value is None else round(value / 100, 4), RATE_FORMAT, font)

    def date(self, column: int, value):
        if isinstance(value, str) and value:
            value = datetime.date.fromisoformat(value[:10])
        return self.number(column, value or None, DATE_FORMAT)

    def title(self, text: str, span: int, font=TITLE):
        self.text(1, text, font=font, alignment=Alignment(wrap_text=True, vertical="center"), border=False)
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=span)
        self.ws.row_dimensions[self.row].height = 20 if font is TITLE else 30
        self.row += 1

    def header(self, labels: list[str], repeat: bool = True):
        for index, label in enumerate(labels, start=1):
            cell = self.text(index, label, font=BOLD, alignment=CENTER)
            cell.fill = HEADER_FILL
        self.ws.row_dimensions[self.row].height = 45
        if repeat and self.ws.print_title_rows is None:
            self.ws.print_title_rows = f"{self.row}:{self.row}"
            self.ws.freeze_panes = self.ws.cell(row=self.row + 1, column=1)
        self.row += 1

    def skip(self, n: int = 1):
        self.row += n


def _heading(sheet: Sheet, report: Report, title: str, span: int):
    sheet.title(title, span)
    sheet.title(
        _("Báo cáo %(label)s – số liệu %(span)s (lần lập %(n)s)")
        % {"label": report.label, "span": report.span, "n": report.summary.version},
        span,
        font=Font(italic=True),
    )
    sheet.skip()


def _standard_table(sheet: Sheet, table: Table, first: str, with_change: bool):
    columns = len(TABLE_COLUMNS) + 2
    sheet.header(
        [
            str(NUMBER.label),
            first,
            *[str(COLUMN_LABELS[c]) + (" (±)" if with_change else "") for c in TABLE_COLUMNS],
        ]
    )
    kind_label = None
    for index, row in enumerate(table.rows, start=1):
        label = row.extra.get("kind_label")
        if label and label != kind_label:
            kind_label = label
            sheet.text(1, label, font=BOLD)
            sheet.ws.merge_cells(start_row=sheet.row, start_column=1, end_row=sheet.row, end_column=columns)
            sheet.skip()
        sheet.number(1, index)
        name = f"{row.key} – {row.name}" if row.extra.get("kind") else row.name
        sheet.text(2, name)
        _figures(sheet, row.figures, with_change)
        sheet.skip()
    sheet.number(1, None)
    sheet.text(2, _("Tổng cộng"), font=BOLD)
    _figures(sheet, table.total.figures, with_change, BOLD)
    sheet.skip(2)


def _figures(sheet: Sheet, figures, with_change: bool, font=None):
    for column, figure in enumerate(figures, start=3):
        if with_change:
            fmt = RATE_CHANGE_FORMAT if figure.is_rate else CHANGE_FORMAT
            sheet.number(column, figure.change, fmt, font)
        elif figure.is_rate:
            sheet.rate(column, figure.value, font)
        else:
            sheet.number(column, figure.value, COUNT_FORMAT, font)


def _table_sheet(wb: Workbook, report: Report, spec: columns.FigureTable):
    widths = [
        NUMBER.xlsx_width,
        columns.FIGURE_NAME_XLSX_WIDTH,
        *[columns.FIGURE_XLSX_WIDTHS[c] for c in TABLE_COLUMNS],
    ]
    sheet = Sheet(wb.create_sheet(str(spec.sheet)), widths, landscape=True)
    _heading(sheet, report, str(spec.title), len(widths))
    table, first = getattr(report, spec.attribute), str(spec.first)
    _standard_table(sheet, table, first, with_change=False)
    sheet.title(
        _("Thay đổi so với %(label)s (tỷ lệ: điểm phần trăm)") % {"label": report.previous_label},
        len(widths),
        font=BOLD,
    )
    _standard_table(sheet, table, first, with_change=True)


def _summary_sheet(wb: Workbook, report: Report):
    sheet = Sheet(wb.active, [c.xlsx_width for c in columns.HEADLINE], landscape=False)
    sheet.ws.title = _("Tổng hợp")
    sheet.title(_("ỦY BAN NHÂN DÂN TỈNH CÀ MAU – VĂN PHÒNG"), 4, font=BOLD)
    sheet.title(
        _("BÁO CÁO tình hình thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao %(subject)s")
        % {"subject": report.subject},
        4,
    )
    sheet.title(_("Số liệu %(span)s") % {"span": report.span}, 4, font=Font(italic=True))
    produced = report.summary.produced_at
    sheet.text(1, _("Ngày chốt số liệu"), font=BOLD)
    sheet.date(2, report.cut_off)
    sheet.skip()
    sheet.text(1, _("Lần lập"), font=BOLD)
    sheet.number(2, report.summary.version)
    sheet.skip()
    sheet.text(1, _("Lập lúc"), font=BOLD)
    sheet.text(2, timezone.localtime(produced).strftime("%d/%m/%Y %H:%M"))
    sheet.skip()
    if report.simulated:
        sheet.text(1, _("Số liệu gồm cả dữ liệu mô phỏng để trình diễn."), border=False)
        sheet.skip()
    sheet.skip()
    sheet.header([str(c.label) for c in columns.HEADLINE])
    for figure in [*report.headline.figures, *report.list_figures]:
        sheet.text(1, figure.label)
        if figure.is_rate:
            sheet.rate(2, figure.value)
            sheet.rate(3, figure.previous)
            sheet.number(4, figure.change, RATE_CHANGE_FORMAT)
        else:
            sheet.number(2, figure.value)
            sheet.number(3, figure.previous)
            sheet.number(4, figure.change, CHANGE_FORMAT)
        sheet.skip()
    sheet.skip()
    sheet.text(1, _("Kỳ trước: %(label)s.") % {"label": report.previous_label}, border=False)


def _cell(sheet: Sheet, position: int, column: columns.Column, row: dict):
    value = column.value(row)
    if column.kind == columns.COUNT:
        sheet.number(position, value)
    elif column.kind == columns.DATE:
        sheet.date(position, value)
    else:
        sheet.text(position, value)


def _listing_sheet(wb: Workbook, report: Report, listing: columns.Listing):
    """One list on its own sheet, with the columns summaries/columns.py gives the XLSX."""
    rows = report.lists.get(listing.name)
    if rows is None and listing.optional:
        return
    widths = listing.xlsx_widths()
    sheet = Sheet(wb.create_sheet(str(listing.sheet)), widths, landscape=listing.landscape)
    _heading(sheet, report, str(listing.title), len(widths))
    numbered = columns.XLSX in listing.numbered
    shown = listing.xlsx_columns(report)
    sheet.header(([str(NUMBER.label)] if numbered else []) + [str(c.label) for c in shown])
    for index, row in enumerate(rows or [], start=1):
        if numbered:
            sheet.number(1, index)
        for position, column in enumerate(shown, start=1 + numbered):
            _cell(sheet, position, column, row)
        sheet.skip()
    more = report.more(listing.name) if listing.more_note else 0
    if more:
        sheet.skip()
        sheet.text(
            1,
            _("… và %(n)s nhiệm vụ khác: xem danh sách đầy đủ trên hệ thống (bấm vào số liệu của báo cáo).")
            % {"n": more},
            border=False,
        )


def render(report: Report) -> bytes:
    wb = Workbook()
    _summary_sheet(wb, report)
    for table in columns.FIGURE_TABLES:
        _table_sheet(wb, report, table)
    for listing in columns.LISTS:
        _listing_sheet(wb, report, listing)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
