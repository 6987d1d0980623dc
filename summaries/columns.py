"""The columns of every table and list of a summary, declared once and read by the page
(templates/summaries/summary_detail.html through summaries_tags), the XLSX (xlsx.py) and the PDF
(pdf.py), so the three show the same cells under the same Vietnamese headings.

A column says where its value comes from in the frozen `Summary.data` row, what kind of value it is
(a text, a count, a date: the XLSX writes counts and dates as numbers, the PDF aligns counts right),
its width in each export and in which of the three it appears: the page and the PDF are narrower
than a spreadsheet, so some columns are left to the XLSX, and the PDF may use a shorter heading.
The writers only decide the house style (fonts, borders, how many rows fit a printed page).
"""

import dataclasses
from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PAGE, XLSX, PDF = "page", "xlsx", "pdf"
EVERYWHERE = frozenset({PAGE, XLSX, PDF})

# What a cell holds; each writer formats it (dd/mm/yyyy, 1.234, a number format in the XLSX).
TEXT, COUNT, DATE = "text", "count", "date"
# A figure (report.Figure) shown in a table: its value, its previous value or its change.
FIGURE = "figure"
LEFT, RIGHT = "left", "right"

# --- the figures' columns ------------------------------------------------------------------------

COLUMN_LABELS = {
    "total": _("Tổng số"),
    "done_on_time": _("Hoàn thành đúng hạn"),
    "done_late": _("Hoàn thành quá hạn"),
    "in_progress": _("Đang thực hiện trong hạn"),
    "overdue": _("Quá hạn"),
    "overdue_long": _("Quá hạn trên 30 ngày"),
    "no_deadline": _("Không thời hạn"),
    "paused": _("Tạm dừng"),
    "cancelled": _("Hủy bỏ"),
    "on_time_rate": _("Tỷ lệ hoàn thành đúng hạn"),
}
# The standard table (docs/domain.md, "The standard table"): STT · Cơ quan chủ trì · these columns.
TABLE_COLUMNS = (
    "total",
    "done_on_time",
    "done_late",
    "in_progress",
    "overdue",
    "no_deadline",
    "on_time_rate",
)
HEADLINE_COLUMNS = (
    "total",
    "done_on_time",
    "done_late",
    "in_progress",
    "overdue",
    "overdue_long",
    "no_deadline",
    "paused",
    "cancelled",
    "on_time_rate",
)


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a list: a heading, where its value comes from, how each output shows it."""

    key: str
    label: Promise
    kind: str = TEXT
    # The value from a stored row; by default the row's `key`.
    get: Callable[[dict], Any] | None = None
    media: frozenset = EVERYWHERE
    # A shorter heading for the PDF's narrow columns.
    print_label: Promise | None = None
    # The XLSX writes these columns in its place (the directive and the clause apart).
    parts: tuple["Column", ...] = ()
    # Only shown when the report has the figure behind it (e.g. automatic reminders).
    when: Callable[[Any], bool] | None = None
    xlsx_width: float = 12
    pdf_width: float | None = None  # mm; None takes what the other columns leave of the page
    align: str = ""  # the PDF's alignment; by default counts right, the rest left
    page_cell: str = ""  # how the page shows the cell (summaries_tags.PAGE_CELLS); by default by kind
    page_chars: int = 0  # the page truncates a long text to this many characters
    pdf_chars: int = 0  # so does the PDF

    def value(self, row):
        return self.get(row) if self.get else row.get(self.key)

    @property
    def pdf_label(self) -> Promise:
        return self.print_label or self.label

    @property
    def right(self) -> bool:
        return (self.align or (RIGHT if self.kind == COUNT else LEFT)) == RIGHT

    def shown(self, report) -> bool:
        return self.when is None or self.when(report)


# The row number ("STT") a list starts with, where it has one.
NUMBER = Column("number", _("STT"), COUNT, xlsx_width=6, pdf_width=10)


@dataclasses.dataclass(frozen=True)
class Listing:
    """A list of a summary (`Summary.data["lists"][name]`): its title, sheet and columns."""

    name: str
    title: Promise
    sheet: Promise
    columns: tuple[Column, ...]
    empty: Promise = _("Không có.")
    numbered: frozenset = EVERYWHERE  # where the list has an STT column
    landscape: bool = True  # the XLSX sheet's orientation
    more_note: bool = False  # the XLSX says how many rows are behind the drill-down only
    optional: bool = False  # absent from the data when its app is not installed: no sheet, no section
    page_id: str = ""
    page_class: str = ""

    def columns_in(self, medium: str, report=None) -> list[Column]:
        """The columns one output shows; with a report, only those it has figures for."""
        return [c for c in self.columns if medium in c.media and (report is None or c.shown(report))]

    def xlsx_columns(self, report=None) -> list[Column]:
        """The spreadsheet's columns: a composite column is written as its parts."""
        return [part for c in self.columns_in(XLSX, report) for part in (c.parts or (c,))]

    def xlsx_widths(self) -> list[float]:
        """Every column's width, the optional ones included (the sheet keeps its layout)."""
        return ([NUMBER.xlsx_width] if XLSX in self.numbered else []) + [
            c.xlsx_width for c in self.xlsx_columns()
        ]

    @property
    def page_numbered(self) -> bool:
        return PAGE in self.numbered

    def page_span(self) -> int:
        """The page's columns, optional ones included (the "nothing" row spans them)."""
        return len(self.columns_in(PAGE)) + (PAGE in self.numbered)


@dataclasses.dataclass(frozen=True)
class FigureTable:
    """A standard table (agencies, groups, leaders): a row per key, a figure per TABLE_COLUMNS."""

    attribute: str  # the Report's property
    title: Promise
    sheet: Promise
    first: Promise  # the heading of the names' column
    page_id: str


FIGURE_XLSX_WIDTHS = {
    "total": 11,
    "done_on_time": 13,
    "done_late": 13,
    "in_progress": 14,
    "overdue": 11,
    "no_deadline": 12,
    "on_time_rate": 14,
}
FIGURE_PDF_WIDTH = 16  # mm, each figure column
FIGURE_NAME_XLSX_WIDTH = 46

AGENCIES = FigureTable(
    "agencies", _("Kết quả theo cơ quan chủ trì"), _("Theo cơ quan"), _("Cơ quan chủ trì"), "agency-table"
)
GROUPS = FigureTable(
    "groups", _("Theo nhóm nhiệm vụ trọng tâm"), _("Theo nhóm nhiệm vụ"), _("Nhóm nhiệm vụ"), "group-table"
)
LEADERS = FigureTable(
    "leaders", _("Theo lãnh đạo phụ trách"), _("Theo lãnh đạo"), _("Lãnh đạo phụ trách"), "leader-table"
)
FIGURE_TABLES = (AGENCIES, GROUPS, LEADERS)

# --- the headline: every figure with its previous value and change (PDF table 1, XLSX first sheet) --

HEADLINE = (
    Column("label", _("Chỉ tiêu"), print_label=_("Số liệu"), xlsx_width=48),
    Column("value", _("Kỳ này"), FIGURE, xlsx_width=16, pdf_width=30),
    Column("previous", _("Kỳ trước"), FIGURE, xlsx_width=16, pdf_width=30),
    Column("change", _("Thay đổi"), FIGURE, xlsx_width=16, pdf_width=30),
)

# --- the lists -----------------------------------------------------------------------------------


def _reference(row) -> str:
    return f"{row['directive']}, {row['clause']}"


def _reference_column(pdf_width: float) -> Column:
    return Column(
        "reference",
        _("Văn bản, mục"),
        get=_reference,
        parts=(Column("directive", _("Văn bản"), xlsx_width=16), Column("clause", _("Mục"), xlsx_width=12)),
        pdf_width=pdf_width,
        page_cell="task-link",
    )


def _assignments(name: str, title, sheet, last: Column) -> Listing:
    return Listing(
        name,
        title,
        sheet,
        (
            _reference_column(28),
            Column("text", _("Nội dung nhiệm vụ"), xlsx_width=60, page_chars=220, pdf_chars=260),
            Column("agency_name", _("Cơ quan chủ trì"), xlsx_width=30, pdf_width=38),
            Column("deadline", _("Thời hạn"), DATE, xlsx_width=13, pdf_width=18, page_cell="deadline"),
            last,
        ),
        more_note=True,
        page_class="tasks",
    )


def _days_overdue() -> Column:
    return Column(
        "days_overdue", _("Số ngày quá hạn"), COUNT, xlsx_width=14, pdf_width=20, page_cell="outcome"
    )


COMPLETED = _assignments(
    "completed",
    _("Hoàn thành trong kỳ"),
    _("Hoàn thành trong kỳ"),
    Column(
        "completed_on",
        _("Ngày hoàn thành"),
        DATE,
        xlsx_width=14,
        pdf_width=20,
        align=RIGHT,
        page_cell="outcome",
    ),
)
BECAME_OVERDUE = _assignments(
    "became_overdue", _("Trở thành quá hạn trong kỳ"), _("Quá hạn trong kỳ"), _days_overdue()
)
OVERDUE_LONG = _assignments(
    "overdue_long", _("Quá hạn trên 30 ngày tại ngày chốt"), _("Quá hạn trên 30 ngày"), _days_overdue()
)
ASSIGNMENT_LISTS = (COMPLETED, BECAME_OVERDUE, OVERDUE_LONG)

EXTENSIONS = Listing(
    "extensions",
    _("Gia hạn được đồng ý trong kỳ"),
    _("Gia hạn"),
    (
        _reference_column(40),
        Column("text", _("Nội dung nhiệm vụ"), media=frozenset({PAGE, XLSX}), xlsx_width=56, page_chars=200),
        Column("agency_name", _("Cơ quan chủ trì"), xlsx_width=30),
        Column("old_deadline", _("Thời hạn trước"), DATE, xlsx_width=13, pdf_width=22),
        Column("new_deadline", _("Thời hạn mới"), DATE, xlsx_width=13, pdf_width=22),
        Column("decided_on", _("Ngày quyết định"), DATE, xlsx_width=13, pdf_width=22),
    ),
    numbered=frozenset({XLSX}),
)


def _with_reminders(report) -> bool:
    """Automatic reminders are counted only where the reminders app is installed (figures.py)."""
    return report.data["figures"]["lists"].get("reminders") is not None


URGINGS = Listing(
    "urgings_by_agency",
    _("Đôn đốc, nhắc việc trong kỳ"),
    _("Đôn đốc"),
    (
        Column("name", _("Cơ quan chủ trì"), xlsx_width=50),
        Column(
            "urgings",
            _("Lượt đôn đốc của Văn phòng"),
            COUNT,
            print_label=_("Lượt đôn đốc"),
            xlsx_width=18,
            pdf_width=30,
        ),
        Column("reminders", _("Nhắc việc tự động"), COUNT, when=_with_reminders, xlsx_width=18, pdf_width=30),
    ),
    numbered=frozenset({XLSX}),
    landscape=False,
)

TARGETS_AT_RISK = Listing(
    "targets_at_risk",
    _("Chỉ tiêu có nguy cơ không đạt"),
    _("Chỉ tiêu có nguy cơ"),
    (
        Column("name", _("Chỉ tiêu"), xlsx_width=50, pdf_width=55),
        Column(
            "agency",
            _("Cơ quan"),
            get=lambda row: row.get("agency_short_name") or row.get("agency_name"),
            xlsx_width=24,
            pdf_width=28,
        ),
        Column("period", _("Kỳ"), media=frozenset({PAGE, XLSX}), xlsx_width=16),
        Column("status_label", _("Tình trạng"), xlsx_width=14, pdf_width=22, page_cell="at-risk"),
        Column("reason", _("Nhận định"), xlsx_width=60),
    ),
    empty=_("Không có chỉ tiêu nào có nguy cơ."),
    numbered=frozenset({XLSX}),
    optional=True,
)

DISCIPLINE = Listing(
    "discipline",
    _("Chấp hành chế độ báo cáo tiến độ"),
    _("Chế độ báo cáo"),
    (
        Column("name", _("Cơ quan chủ trì"), xlsx_width=50),
        Column("open", _("Nhiệm vụ đang thực hiện"), COUNT, xlsx_width=14, pdf_width=28),
        Column("reports", _("Số báo cáo trong kỳ"), COUNT, xlsx_width=14, pdf_width=28),
        Column(
            "tasks_reported", _("Nhiệm vụ có báo cáo"), COUNT, media=frozenset({PAGE, XLSX}), xlsx_width=14
        ),
        Column("last", _("Báo cáo gần nhất"), DATE, media=frozenset({PAGE, XLSX}), xlsx_width=14),
        Column(
            "on_time",
            _("Đánh giá"),
            get=lambda row: _("Có báo cáo") if row["on_time"] else _("Không báo cáo"),
            xlsx_width=16,
            pdf_width=28,
            page_cell="assessment",
        ),
    ),
    empty=_("Không có cơ quan nào có nhiệm vụ đang thực hiện."),
    numbered=frozenset({XLSX}),
    page_id="discipline-table",
)

# In the order of the XLSX's sheets and the PDF's part V.
LISTS = (*ASSIGNMENT_LISTS, EXTENSIONS, URGINGS, TARGETS_AT_RISK, DISCIPLINE)


def widths(columns: list[Column], total: float, unit: float) -> list[float]:
    """The PDF's column widths (in points): the declared ones, the rest shared by the others."""
    fixed = sum(c.pdf_width for c in columns if c.pdf_width is not None)
    free = [c for c in columns if c.pdf_width is None]
    rest = (total - fixed * unit) / len(free) if free else 0
    return [c.pdf_width * unit if c.pdf_width is not None else rest for c in columns]
