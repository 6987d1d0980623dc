"""The summary's two charts as plain geometry, drawn twice: as inline SVG on the page
(templates/summaries/_charts.html, presentation attributes only) and with reportlab.graphics in the
PDF (summaries/pdf.py). Coordinates are SVG's: y grows downwards.

- `agency_bars`: one horizontal bar per lead agency, stacked by class (the standard table's five
  classes), scaled to the largest total.
- `trend`: one stacked column per month of the reporting year (the stored monthly summaries), with
  the on-time rate as a line on a 0–100% scale.
"""

import dataclasses

from django.utils.translation import gettext as _

from .columns import COLUMN_LABELS
from .report import vn_int, vn_rate

CLASSES = ("done_on_time", "done_late", "in_progress", "overdue", "no_deadline")
COLOURS = {
    "done_on_time": "#1e7a3c",
    "done_late": "#d08c00",
    "in_progress": "#1f4e8c",
    "overdue": "#b3261e",
    "no_deadline": "#9aa3af",
}
RATE_COLOUR = "#111111"


@dataclasses.dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclasses.dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"  # start, middle, end
    size: float = 11


@dataclasses.dataclass
class Line:
    points: list[tuple[float, float]]
    colour: str = "#5c6675"
    width: float = 1
    dash: bool = False

    @property
    def points_text(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


@dataclasses.dataclass
class Chart:
    width: float
    height: float
    title: str
    rects: list[Rect] = dataclasses.field(default_factory=list)
    texts: list[Text] = dataclasses.field(default_factory=list)
    lines: list[Line] = dataclasses.field(default_factory=list)
    dots: list[tuple[float, float, str]] = dataclasses.field(default_factory=list)


LEGEND_ROW = 16


def _legend(chart: Chart, x: float, y: float, with_rate: bool = False) -> float:
    """The colour keys from (x, y), wrapped onto a new row before they would pass the chart's right
    edge (a clipped "Tỷ lệ ho…" tells nothing); returns the baseline of the last row."""
    start, right = x, chart.width - 8
    items = [(str(COLUMN_LABELS[name]), COLOURS[name], False) for name in CLASSES]
    if with_rate:
        items.append((str(COLUMN_LABELS["on_time_rate"]), RATE_COLOUR, True))
    for label, colour, is_line in items:
        width = 24 + len(label) * 5.6 + (8 if is_line else 0)
        if x > start and x + width > right:
            x, y = start, y + LEGEND_ROW
        if is_line:
            chart.lines.append(Line([(x, y - 4), (x + 18, y - 4)], colour, 1.5))
            chart.texts.append(Text(x + 22, y, label, size=10))
        else:
            chart.rects.append(Rect(x, y - 9, 10, 10, colour, label))
            chart.texts.append(Text(x + 14, y, label, size=10))
        x += width
    return y


def agency_bars(rows: list[dict], width: float = 900, limit: int | None = None) -> Chart:
    """`rows` are the stored per-agency figures (largest total first)."""
    rows = rows[:limit] if limit else rows
    label_width, bar, gap, right = 190, 14, 6, 50
    chart = Chart(width, 0, _("Kết quả theo cơ quan chủ trì"))
    top = _legend(chart, label_width, 16) + 28
    chart.height = top + len(rows) * (bar + gap) + 24
    biggest = max((r["total"] for r in rows), default=0) or 1
    scale = (width - label_width - right) / biggest
    axis_y = top + len(rows) * (bar + gap)
    for step in range(5):
        value = round(biggest * step / 4)
        x = label_width + value * scale
        chart.lines.append(Line([(x, top - 6), (x, axis_y)], "#d9dee6", 1, dash=step > 0))
        chart.texts.append(Text(x, axis_y + 14, vn_int(value), "middle", 10))
    for index, row in enumerate(rows):
        y = top + index * (bar + gap)
        name = row["short_name"] or row["name"]
        chart.texts.append(
            Text(label_width - 6, y + bar - 3, name if len(name) <= 34 else name[:33] + "…", "end", 10)
        )
        x = label_width
        for name_ in CLASSES:
            value = row[name_]
            if not value:
                continue
            w = value * scale
            title = f"{row['name']}: {COLUMN_LABELS[name_]} {vn_int(value)}"
            chart.rects.append(Rect(x, y, w, bar, COLOURS[name_], title))
            x += w
        chart.texts.append(Text(x + 4, y + bar - 3, vn_int(row["total"]), size=10))
    return chart


def trend(points: list[dict], width: float = 900, height: float = 300) -> Chart:
    """`points` are the stored trend: one per month with the standard classes and the on-time rate."""
    left, right, bottom = 56, 56, 40
    chart = Chart(width, height, _("Diễn biến qua các tháng"))
    top = _legend(chart, left, 16, with_rate=True) + 24
    plot_h = height - top - bottom
    biggest = max((p["total"] or 0 for p in points), default=0) or 1
    slot = (width - left - right) / max(len(points), 1)
    column = min(44, slot * 0.6)
    base = top + plot_h
    for step in range(5):
        y = base - plot_h * step / 4
        chart.lines.append(Line([(left, y), (width - right, y)], "#d9dee6", 1, dash=step > 0))
        chart.texts.append(Text(left - 6, y + 4, vn_int(round(biggest * step / 4)), "end", 10))
        chart.texts.append(Text(width - right + 6, y + 4, f"{25 * step}%", "start", 10))
    rate_points = []
    for index, point in enumerate(points):
        cx = left + slot * index + slot / 2
        y = base
        for name in CLASSES:
            value = point.get(name) or 0
            if not value:
                continue
            h = plot_h * value / biggest
            y -= h
            title = f"{point['label']}: {COLUMN_LABELS[name]} {vn_int(value)}"
            chart.rects.append(Rect(cx - column / 2, y, column, h, COLOURS[name], title))
        chart.texts.append(Text(cx, base + 16, point["label"], "middle", 10))
        if point.get("on_time_rate") is not None:
            ry = base - plot_h * point["on_time_rate"] / 100
            rate_points.append((cx, ry))
            chart.dots.append((cx, ry, f"{point['label']}: {vn_rate(point['on_time_rate'])}"))
    if len(rate_points) > 1:
        chart.lines.append(Line(rate_points, RATE_COLOUR, 1.5))
    return chart
