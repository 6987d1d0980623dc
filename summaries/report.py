"""A stored summary read for the page and both exports: labels, every figure with its change, the
tables, the lists. Pure Python over Summary.data — no query — so the page, the XLSX and the PDF show
the same frozen numbers in the same words."""

import dataclasses
import datetime
from urllib.parse import urlencode

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import format_day

from .columns import COLUMN_LABELS, HEADLINE_COLUMNS, TABLE_COLUMNS
from .figures import COLUMNS

LIST_LABELS = {
    "completed": gettext_lazy("Hoàn thành trong kỳ"),
    "completed_on_time": gettext_lazy("trong đó hoàn thành đúng hạn"),
    "completed_late": gettext_lazy("trong đó hoàn thành quá hạn"),
    "became_overdue": gettext_lazy("Trở thành quá hạn trong kỳ"),
    "overdue_long": gettext_lazy("Quá hạn trên 30 ngày tại ngày chốt"),
    "extensions": gettext_lazy("Gia hạn được đồng ý trong kỳ"),
    "urgings": gettext_lazy("Lượt đôn đốc của Văn phòng trong kỳ"),
    "reminders": gettext_lazy("Nhắc việc tự động trong kỳ"),
    "targets_at_risk": gettext_lazy("Chỉ tiêu có nguy cơ không đạt"),
    "agencies_expected": gettext_lazy("Cơ quan chủ trì có nhiệm vụ đang thực hiện"),
    "agencies_reported": gettext_lazy("Cơ quan đã gửi báo cáo tiến độ trong kỳ"),
}
LIST_DRILL = {
    "completed",
    "completed_on_time",
    "completed_late",
    "became_overdue",
    "overdue_long",
    "extensions",
    "urgings",
}
DIMENSIONS = ("total", "agency", "group", "leader", "list")
TABLE_OF = {"agency": "agencies", "group": "groups", "leader": "leaders"}


def vn_int(value) -> str:
    if value is None:
        return "–"
    return f"{value:,}".replace(",", ".")


def vn_rate(value) -> str:
    """48.5 → "48,5%"; a dash when there was nothing to divide."""
    if value is None:
        return "–"
    return f"{value:.1f}".replace(".", ",") + "%"


def vn_date(value) -> str:
    if not value:
        return "–"
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return format_day(value)


def vn_change(change, is_rate: bool = False, unit: bool = True) -> str:
    """▲ 3 / ▼ 2; nothing when unchanged (a mark under every unchanged cell is noise); a rate's change
    in percentage points with a decimal comma."""
    if change is None:
        return "–"
    if change == 0:
        return ""
    arrow = "▲" if change > 0 else "▼"
    if is_rate:
        points = f"{abs(change):.1f}".replace(".", ",")
        return f"{arrow} {points} " + _("điểm %") if unit else f"{arrow} {points}"
    return f"{arrow} {vn_int(abs(change))}"


@dataclasses.dataclass
class Figure:
    name: str
    label: str
    value: int | float | None
    change: int | float | None
    previous: int | float | None
    tone: int = 0  # +1 up is good, −1 up is bad
    drill: str = ""  # the drill-down query string, when there are assignments behind the number

    @property
    def is_rate(self) -> bool:
        return self.name == "on_time_rate"

    @property
    def text(self) -> str:
        return vn_rate(self.value) if self.is_rate else vn_int(self.value)

    @property
    def previous_text(self) -> str:
        return vn_rate(self.previous) if self.is_rate else vn_int(self.previous)

    @property
    def change_text(self) -> str:
        return vn_change(self.change, self.is_rate)

    @property
    def change_short(self) -> str:
        """Without the unit, for narrow table cells (the table's note names it)."""
        return vn_change(self.change, self.is_rate, unit=False)

    @property
    def css(self) -> str:
        if not self.change:
            return "same"
        direction = "up" if self.change > 0 else "down"
        if not self.tone:
            return direction
        return f"{direction} {'good' if (self.change > 0) == (self.tone > 0) else 'bad'}"


@dataclasses.dataclass
class TableRow:
    key: str
    name: str
    short_name: str
    figures: list[Figure]
    extra: dict = dataclasses.field(default_factory=dict)

    def figure(self, name: str) -> Figure | None:
        return next((f for f in self.figures if f.name == name), None)


@dataclasses.dataclass
class Table:
    dimension: str
    rows: list[TableRow]
    total: TableRow

    @property
    def headings(self) -> list[str]:
        return [str(COLUMN_LABELS[c]) for c in TABLE_COLUMNS]


def drill_query(dimension: str, key: str = "", column: str = "") -> str:
    params = {"d": dimension}
    if key:
        params["k"] = key
    if column:
        params["c"] = column
    return urlencode(params)


class Report:
    def __init__(self, summary):
        self.summary = summary
        self.data = summary.data
        self.good_when_up = self.data.get("good_when_up", {})

    # --- what the summary is ------------------------------------------------------------------

    @property
    def label(self) -> str:
        return self.data["label"]

    @property
    def subject(self) -> str:
        return self.data["subject"]

    @property
    def span(self) -> str:
        return self.data["span"]

    @property
    def cut_off(self) -> datetime.date:
        return datetime.date.fromisoformat(self.data["cut_off"])

    @property
    def period_start(self) -> datetime.date:
        return datetime.date.fromisoformat(self.data["period_start"])

    @property
    def complete(self) -> bool:
        return self.data["complete"]

    @property
    def simulated(self) -> bool:
        return self.data.get("simulated", False)

    @property
    def previous(self) -> dict:
        return self.data["previous"]

    @property
    def previous_label(self) -> str:
        before = self.previous
        return _("%(label)s (số liệu đến ngày %(day)s)") % {
            "label": before["label"],
            "day": vn_date(before["cut_off"]),
        }

    # --- figures ------------------------------------------------------------------------------

    def _figure(self, name, label, value, change, previous, drill="") -> Figure:
        return Figure(
            name=name,
            label=str(label),
            value=value,
            change=change,
            previous=previous,
            tone=self.good_when_up.get(name, 0),
            drill=drill if value else "",
        )

    def _row(self, dimension: str, row: dict, change: dict | None, before: dict | None, columns) -> TableRow:
        change, before = change or {}, before or {}
        figures = []
        for column in columns:
            if column == "on_time_rate":
                drill = ""  # a rate has no assignments of its own behind it
            elif dimension == "total":
                drill = drill_query("total", "", column)
            else:
                drill = drill_query(dimension, row["key"], column)
            previous = before.get(column, None if column == "on_time_rate" else 0)
            figures.append(
                self._figure(column, COLUMN_LABELS[column], row[column], change.get(column), previous, drill)
            )
        extra = {k: v for k, v in row.items() if k not in COLUMNS and k != "on_time_rate"}
        return TableRow(row["key"], row["name"], row.get("short_name") or row["name"], figures, extra)

    @cached_property
    def headline(self) -> TableRow:
        figures = self.data["figures"]["totals"]
        return self._row(
            "total",
            figures,
            self.data["change"]["totals"],
            self.previous["figures"]["totals"],
            HEADLINE_COLUMNS,
        )

    def _table(self, dimension: str) -> Table:
        name = TABLE_OF[dimension]
        before = {row["key"]: row for row in self.previous["figures"].get(name, [])}
        change = self.data["change"][name]
        rows = [
            self._row(dimension, row, change.get(row["key"]), before.get(row["key"]), TABLE_COLUMNS)
            for row in self.data["figures"][name]
        ]
        total = self._row(
            "total",
            self.data["figures"]["totals"],
            self.data["change"]["totals"],
            self.previous["figures"]["totals"],
            TABLE_COLUMNS,
        )
        return Table(dimension, rows, total)

    @cached_property
    def agencies(self) -> Table:
        return self._table("agency")

    @cached_property
    def groups(self) -> Table:
        return self._table("group")

    @cached_property
    def leaders(self) -> Table:
        return self._table("leader")

    @cached_property
    def list_figures(self) -> list[Figure]:
        values = self.data["figures"]["lists"]
        change = self.data["change"]["lists"]
        before = self.previous["figures"]["lists"]
        return [
            self._figure(
                name,
                LIST_LABELS[name],
                values.get(name),
                change.get(name),
                before.get(name),
                drill_query("list", name) if name in LIST_DRILL else "",
            )
            for name in LIST_LABELS
            if values.get(name) is not None
        ]

    def list_figure(self, name: str) -> Figure | None:
        return next((f for f in self.list_figures if f.name == name), None)

    # --- lists ---------------------------------------------------------------------------------

    @property
    def lists(self) -> dict:
        return self.data["lists"]

    def more(self, name: str) -> int:
        """How many rows of a list are not stored in detail (all are behind its drill-down)."""
        return max(0, (self.data["figures"]["lists"].get(name) or 0) - len(self.lists.get(name) or []))

    @property
    def targets_at_risk(self) -> list[dict] | None:
        return self.lists.get("targets_at_risk")

    @property
    def trend(self) -> list[dict]:
        return self.data.get("trend", [])

    def sentence(self) -> str:
        """The summary in one sentence, in the words of the office's reports (seed 001)."""
        t = self.data["figures"]["totals"]
        done = t["done_on_time"] + t["done_late"]
        return _(
            "Tính đến ngày %(day)s, tổng số nhiệm vụ được giao (tính theo từng cơ quan chủ trì) là %(total)s; "
            "đã hoàn thành %(done)s nhiệm vụ (đúng hạn %(on_time)s, quá hạn %(late)s); đang thực hiện trong "
            "hạn %(in_progress)s; quá hạn chưa hoàn thành %(overdue)s (trên 30 ngày: %(long)s); không thời "
            "hạn %(none)s. Tỷ lệ hoàn thành đúng hạn đạt %(rate)s. Ngoài ra, %(paused)s nhiệm vụ tạm dừng, "
            "%(cancelled)s nhiệm vụ hủy bỏ (tính riêng)."
        ) % {
            "day": vn_date(self.cut_off),
            "total": vn_int(t["total"]),
            "done": vn_int(done),
            "on_time": vn_int(t["done_on_time"]),
            "late": vn_int(t["done_late"]),
            "in_progress": vn_int(t["in_progress"]),
            "overdue": vn_int(t["overdue"]),
            "long": vn_int(t["overdue_long"]),
            "none": vn_int(t["no_deadline"]),
            "rate": vn_rate(t["on_time_rate"]),
            "paused": vn_int(t["paused"]),
            "cancelled": vn_int(t["cancelled"]),
        }


def drill_ids(data: dict, drill: dict, dimension: str, key: str, column: str) -> list[tuple[int, str]] | None:
    """The (assignment id, class at the cut-off) behind one number, or None if there is no such number.

    A column adds up its classes in the table's order; a list keeps its own order."""
    drill = drill or {}
    if dimension == "list":
        if key not in LIST_DRILL:
            return None
        ids = drill.get("list", {}).get(key, [])
        status_of = {pk: status for status, pks in drill.get("total", {}).items() for pk in pks}
        return [(pk, status_of.get(pk, "")) for pk in ids]
    if column not in COLUMNS:
        return None
    if dimension == "total":
        cells = drill.get("total", {})
    elif dimension in TABLE_OF:
        known = {row["key"] for row in data["figures"][TABLE_OF[dimension]]}
        if key not in known:
            return None
        cells = drill.get(dimension, {}).get(key, {})
    else:
        return None
    return [(pk, status) for status in COLUMNS[column] for pk in cells.get(status, [])]


def drill_title(data: dict, dimension: str, key: str, column: str) -> str:
    if dimension == "list":
        label = str(LIST_LABELS[key])
        return label[:1].upper() + label[1:]
    label = str(COLUMN_LABELS[column])
    if dimension == "total":
        return _("%(column)s – toàn tỉnh") % {"column": label}
    row = next(r for r in data["figures"][TABLE_OF[dimension]] if r["key"] == key)
    return _("%(column)s – %(name)s") % {"column": label, "name": row["name"]}
