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

from .report import COLUMN_LABELS, TABLE_COLUMNS, Report, Table

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
CHANGE_FORMAT = "+#,##0;-#,##0;0"
RATE_CHANGE_FORMAT = "+0.0;-0.0;0.0"
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
        [_("STT"), first, *[str(COLUMN_LABELS[c]) + (" (±)" if with_change else "") for c in TABLE_COLUMNS]]
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


def _table_sheet(wb: Workbook, report: Report, name: str, title: str, table: Table, first: str):
    sheet = Sheet(wb.create_sheet(name), [6, 46, 11, 13, 13, 14, 11, 12, 14], landscape=True)
    _heading(sheet, report, title, 9)
    _standard_table(sheet, table, first, with_change=False)
    sheet.title(
        _("Thay đổi so với %(label)s (tỷ lệ: điểm phần trăm)") % {"label": report.previous_label},
        9,
        font=BOLD,
    )
    _standard_table(sheet, table, first, with_change=True)


def _summary_sheet(wb: Workbook, report: Report):
    sheet = Sheet(wb.active, [48, 16, 16, 16], landscape=False)
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
    sheet.header([_("Chỉ tiêu"), _("Kỳ này"), _("Kỳ trước"), _("Thay đổi")])
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


def _assignment_sheet(wb: Workbook, report: Report, name: str, title: str, list_name: str, last: str):
    sheet = Sheet(wb.create_sheet(name), [6, 16, 12, 60, 30, 13, 14], landscape=True)
    _heading(sheet, report, title, 7)
    sheet.header(
        [_("STT"), _("Văn bản"), _("Mục"), _("Nội dung nhiệm vụ"), _("Cơ quan chủ trì"), _("Thời hạn"), last]
    )
    for index, row in enumerate(report.lists.get(list_name) or [], start=1):
        sheet.number(1, index)
        sheet.text(2, row["directive"])
        sheet.text(3, row["clause"])
        sheet.text(4, row["text"])
        sheet.text(5, row["agency_name"])
        sheet.date(6, row["deadline"])
        if list_name == "completed":
            sheet.date(7, row["completed_on"])
        else:
            sheet.number(7, row["days_overdue"])
        sheet.skip()
    more = report.more(list_name)
    if more:
        sheet.skip()
        sheet.text(
            1,
            _("… và %(n)s nhiệm vụ khác: xem danh sách đầy đủ trên hệ thống (bấm vào số liệu của báo cáo).")
            % {"n": more},
            border=False,
        )


def _extension_sheet(wb: Workbook, report: Report):
    sheet = Sheet(wb.create_sheet(_("Gia hạn")), [6, 16, 12, 56, 30, 13, 13, 13], landscape=True)
    _heading(sheet, report, _("Gia hạn được đồng ý trong kỳ"), 8)
    sheet.header(
        [
            _("STT"),
            _("Văn bản"),
            _("Mục"),
            _("Nội dung nhiệm vụ"),
            _("Cơ quan chủ trì"),
            _("Thời hạn trước"),
            _("Thời hạn mới"),
            _("Ngày quyết định"),
        ]
    )
    for index, row in enumerate(report.lists.get("extensions") or [], start=1):
        sheet.number(1, index)
        sheet.text(2, row["directive"])
        sheet.text(3, row["clause"])
        sheet.text(4, row["text"])
        sheet.text(5, row["agency_name"])
        sheet.date(6, row["old_deadline"])
        sheet.date(7, row["new_deadline"])
        sheet.date(8, row["decided_on"])
        sheet.skip()


def _urging_sheet(wb: Workbook, report: Report):
    with_reminders = report.data["figures"]["lists"].get("reminders") is not None
    sheet = Sheet(wb.create_sheet(_("Đôn đốc")), [6, 50, 18, 18], landscape=False)
    _heading(sheet, report, _("Đôn đốc, nhắc việc trong kỳ"), 4)
    labels = [_("STT"), _("Cơ quan chủ trì"), _("Lượt đôn đốc của Văn phòng")]
    sheet.header([*labels, _("Nhắc việc tự động")] if with_reminders else labels)
    for index, row in enumerate(report.lists.get("urgings_by_agency") or [], start=1):
        sheet.number(1, index)
        sheet.text(2, row["name"])
        sheet.number(3, row["urgings"])
        if with_reminders:
            sheet.number(4, row["reminders"])
        sheet.skip()


def _targets_sheet(wb: Workbook, report: Report):
    targets = report.targets_at_risk
    if targets is None:
        return
    sheet = Sheet(wb.create_sheet(_("Chỉ tiêu có nguy cơ")), [6, 50, 24, 16, 14, 60], landscape=True)
    _heading(sheet, report, _("Chỉ tiêu có nguy cơ không đạt"), 6)
    sheet.header([_("STT"), _("Chỉ tiêu"), _("Cơ quan"), _("Kỳ"), _("Tình trạng"), _("Nhận định")])
    for index, row in enumerate(targets, start=1):
        sheet.number(1, index)
        sheet.text(2, row.get("name"))
        sheet.text(3, row.get("agency_short_name") or row.get("agency_name"))
        sheet.text(4, row.get("period"))
        sheet.text(5, row.get("status_label"))
        sheet.text(6, row.get("reason"))
        sheet.skip()


def _discipline_sheet(wb: Workbook, report: Report):
    sheet = Sheet(wb.create_sheet(_("Chế độ báo cáo")), [6, 50, 14, 14, 14, 14, 16], landscape=True)
    _heading(sheet, report, _("Chấp hành chế độ báo cáo tiến độ"), 7)
    sheet.header(
        [
            _("STT"),
            _("Cơ quan chủ trì"),
            _("Nhiệm vụ đang thực hiện"),
            _("Số báo cáo trong kỳ"),
            _("Nhiệm vụ có báo cáo"),
            _("Báo cáo gần nhất"),
            _("Đánh giá"),
        ]
    )
    for index, row in enumerate(report.lists.get("discipline") or [], start=1):
        sheet.number(1, index)
        sheet.text(2, row["name"])
        sheet.number(3, row["open"])
        sheet.number(4, row["reports"])
        sheet.number(5, row["tasks_reported"])
        sheet.date(6, row["last"])
        sheet.text(7, _("Có báo cáo") if row["on_time"] else _("Không báo cáo"))
        sheet.skip()


def render(report: Report) -> bytes:
    wb = Workbook()
    _summary_sheet(wb, report)
    _table_sheet(
        wb,
        report,
        _("Theo cơ quan"),
        _("Kết quả theo cơ quan chủ trì"),
        report.agencies,
        _("Cơ quan chủ trì"),
    )
    _table_sheet(
        wb,
        report,
        _("Theo nhóm nhiệm vụ"),
        _("Theo nhóm nhiệm vụ trọng tâm"),
        report.groups,
        _("Nhóm nhiệm vụ"),
    )
    _table_sheet(
        wb, report, _("Theo lãnh đạo"), _("Theo lãnh đạo phụ trách"), report.leaders, _("Lãnh đạo phụ trách")
    )
    _assignment_sheet(
        wb, report, _("Hoàn thành trong kỳ"), _("Hoàn thành trong kỳ"), "completed", _("Ngày hoàn thành")
    )
    _assignment_sheet(
        wb,
        report,
        _("Quá hạn trong kỳ"),
        _("Trở thành quá hạn trong kỳ"),
        "became_overdue",
        _("Số ngày quá hạn"),
    )
    _assignment_sheet(
        wb,
        report,
        _("Quá hạn trên 30 ngày"),
        _("Quá hạn trên 30 ngày tại ngày chốt"),
        "overdue_long",
        _("Số ngày quá hạn"),
    )
    _extension_sheet(wb, report)
    _urging_sheet(wb, report)
    _targets_sheet(wb, report)
    _discipline_sheet(wb, report)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
