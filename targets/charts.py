"""The chart of a target, drawn by the app as inline SVG (no script, no CDN).

`build_chart` turns an evaluated target into coordinates and Vietnamese labels; the template
`targets/_chart.html` writes the SVG with presentation attributes only (no CSS classes), so that
the same markup can be embedded in the PDF export as it is.

What is drawn: the axes with dd/mm/yyyy dates and decimal-comma values; the target level (dashed
red); the expected path (milestones as diamonds joined by a grey line, or the straight trajectory
from the baseline); the reported values (blue points and line, implausible ones ringed in orange);
the forecast from the latest value to the end of the period (dashed blue); the as-of date.
A rank is drawn upside down (rank 1 at the top), so that up always means better.
"""

import dataclasses
import datetime
import math

from django.utils.translation import gettext as _

from core.dates import format_day

from .progress import Direction, Evaluated, Point, period_label, trajectory_knots

FULL = {"width": 720, "height": 300, "left": 62, "right": 20, "top": 18, "bottom": 46}
COMPACT = {"width": 300, "height": 96, "left": 6, "right": 6, "top": 8, "bottom": 8}


def vn_number(value, places: int = 2) -> str:
    """1234.5 → "1.234,5": Vietnamese thousands dot and decimal comma, trailing zeros dropped."""
    if value is None:
        return "–"
    value = float(value)
    text = f"{value:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


# Units that Vietnamese writes before the number: "hạng 31", "loại 2".
PREFIX_UNITS = {"hạng", "loại"}


def with_unit(value, unit: str) -> str:
    number = vn_number(value)
    if unit == "%":
        return f"{number}%"
    return f"{unit} {number}" if unit in PREFIX_UNITS else f"{number} {unit}"


@dataclasses.dataclass
class Mark:
    x: float
    y: float
    label: str
    key: str = ""
    flagged: bool = False


@dataclasses.dataclass
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str = ""


@dataclasses.dataclass
class Chart:
    width: int
    height: int
    compact: bool
    title: str
    desc: str
    left: float
    top: float
    right: float
    bottom: float
    x_ticks: list[Mark]
    y_ticks: list[Mark]
    goal: Segment | None
    path: str  # expected path (milestones or trajectory), SVG points
    milestones: list[Mark]
    actual_path: str
    points: list[Mark]
    forecast: Segment | None
    as_of: Segment | None
    legend: list[tuple[str, str, str]]  # (kind, colour, label)

    @property
    def plot_width(self) -> float:
        return self.right - self.left

    @property
    def plot_height(self) -> float:
        return self.bottom - self.top


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^k) giving about `ticks` intervals over `span`."""
    raw = span / ticks if span > 0 else 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def date_ticks(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Quarter ends for a period up to about 16 months, year ends beyond; the start when few."""
    months = (3, 6, 9, 12) if (end - start).days <= 500 else (12,)
    ticks = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        if month in months:
            next_first = datetime.date(year + (month == 12), month % 12 + 1, 1)
            day = next_first - datetime.timedelta(days=1)
            if start < day <= end:
                ticks.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if end not in ticks:
        if ticks and (end - ticks[-1]).days < 0.15 * (end - start).days:
            ticks.pop()  # e.g. 31/12 right before a 31/01 end: the two labels would overlap
        ticks.append(end)
    return [start, *ticks] if len(ticks) < 4 else ticks


@dataclasses.dataclass(frozen=True)
class _Frame:
    """Where a day and a value fall in the plot area (a rank axis points down: 1 is best)."""

    left: float
    top: float
    right: float
    bottom: float
    start: datetime.date
    days: int
    low: float
    high: float
    inverted: bool

    def x(self, day: datetime.date) -> float:
        return round(self.left + (self.right - self.left) * (day - self.start).days / self.days, 1)

    def y(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return round(self.top + (self.bottom - self.top) * (share if self.inverted else 1 - share), 1)


def _value_range(item: Evaluated, knots, series) -> tuple[float, float, float]:
    """The lowest and highest value the axis shows, rounded to its step, and the step."""
    spec, progress = item.spec, item.progress
    values = [p.value for p in series] + [k.value for k in knots] + [m.value for m in spec.milestones]
    values += [v for v in (spec.baseline, progress.forecast, progress.goal) if v is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if spec.cumulative or (spec.is_share and low >= 0 and low < 0.3 * high):
        low = min(low, 0.0)
    if high == low:
        high, low = high + 1, low - 1
    step = nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _axes(frame: _Frame, step: float, end: datetime.date) -> tuple[list[Mark], list[Mark]]:
    y_ticks = []
    tick = frame.low
    while tick <= frame.high + step / 1000:
        y_ticks.append(Mark(frame.left, frame.y(tick), vn_number(tick)))
        tick += step
    x_ticks = [Mark(frame.x(day), frame.bottom, format_day(day)) for day in date_ticks(frame.start, end)]
    return x_ticks, y_ticks


def _marks(item: Evaluated, frame: _Frame, series) -> tuple[list[Mark], list[Mark]]:
    """The milestones and the reported values (flagged ones marked), as points on the chart."""
    unit = item.target.unit
    milestones = [
        Mark(
            frame.x(m.day),
            frame.y(m.value),
            _("Mốc %(v)s đến %(d)s") % {"v": with_unit(m.value, unit), "d": format_day(m.day)},
        )
        for m in item.spec.milestones
    ]
    flagged = {a.period_end for a in item.series if a.flags}
    kinds = {a.period_end: a.period_kind for a in item.series}
    points = [
        Mark(
            frame.x(p.day),
            frame.y(p.value),
            f"{period_label(kinds[p.day], p.day)}: {with_unit(p.value, unit)}",
            key=p.day.isoformat(),
            flagged=p.day in flagged,
        )
        for p in series
    ]
    return milestones, points


def _lines(item: Evaluated, frame: _Frame) -> tuple[Segment | None, Segment | None, Segment | None]:
    """The goal, the forecast from the latest value to the period's end, and the as-of day."""
    progress, unit, end = item.progress, item.target.unit, item.spec.period_end
    goal = forecast = as_of = None
    if progress.goal is not None:
        goal = Segment(
            frame.left,
            frame.y(progress.goal),
            frame.right,
            frame.y(progress.goal),
            _("Mức chỉ tiêu: %(v)s") % {"v": with_unit(progress.goal, unit)},
        )
    if progress.forecast is not None and progress.latest and progress.latest.day < end:
        forecast = Segment(
            frame.x(progress.latest.day),
            frame.y(progress.latest.value),
            frame.x(end),
            frame.y(progress.forecast),
            _("Dự báo cuối kỳ: %(v)s") % {"v": with_unit(progress.forecast, unit)},
        )
    if frame.start < item.as_of < end:
        as_of = Segment(
            frame.x(item.as_of), frame.top, frame.x(item.as_of), frame.bottom, format_day(item.as_of)
        )
    return goal, forecast, as_of


def _legend(has_path: bool, has_milestones: bool, has_forecast: bool) -> list[tuple[str, str, str]]:
    legend = [("line", "#b3261e", _("Mức chỉ tiêu"))]
    if has_path:
        legend.append(("line", "#7a8594", _("Các mốc, lộ trình") if has_milestones else _("Lộ trình")))
    legend.append(("dot", "#1f4e8c", _("Số liệu thực hiện")))
    if has_forecast:
        legend.append(("dash", "#1f4e8c", _("Dự báo")))
    return legend


def _description(item: Evaluated) -> str:
    progress = item.progress
    if not progress.latest:
        return progress.reason
    return _("%(name)s. Số liệu mới nhất %(v)s (%(d)s). %(reason)s") % {
        "name": item.target.name,
        "v": with_unit(progress.latest.value, item.target.unit),
        "d": format_day(progress.latest.day),
        "reason": progress.reason,
    }


def build_chart(item: Evaluated, compact: bool = False) -> Chart:
    box = COMPACT if compact else FULL
    knots = trajectory_knots(item.spec)
    series = [Point(a.period_end, float(a.value)) for a in item.series]
    low, high, step = _value_range(item, knots, series)
    frame = _Frame(
        left=box["left"],
        top=box["top"],
        right=box["width"] - box["right"],
        bottom=box["height"] - box["bottom"],
        start=item.spec.start,
        days=max((item.spec.period_end - item.spec.start).days, 1),
        low=low,
        high=high,
        inverted=item.target.direction == Direction.RANK,
    )
    x_ticks, y_ticks = _axes(frame, step, item.spec.period_end)
    milestones, points = _marks(item, frame, series)
    goal, forecast, as_of = _lines(item, frame)
    has_path = len({k.value for k in knots}) > 1
    return Chart(
        width=box["width"],
        height=box["height"],
        compact=compact,
        title=_("Biểu đồ chỉ tiêu: %(name)s") % {"name": item.target.name},
        desc=_description(item),
        left=frame.left,
        top=frame.top,
        right=frame.right,
        bottom=frame.bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        goal=goal,
        path=" ".join(f"{frame.x(k.day)},{frame.y(k.value)}" for k in knots) if has_path else "",
        milestones=milestones,
        actual_path=" ".join(f"{p.x},{p.y}" for p in points),
        points=points,
        forecast=forecast,
        as_of=as_of,
        legend=_legend(has_path, bool(milestones), bool(forecast)),
    )
