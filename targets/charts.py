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


def build_chart(item: Evaluated, compact: bool = False) -> Chart:
    target, spec, progress = item.target, item.spec, item.progress
    box = COMPACT if compact else FULL
    left, top = box["left"], box["top"]
    right, bottom = box["width"] - box["right"], box["height"] - box["bottom"]
    start, end = spec.start, spec.period_end
    knots = trajectory_knots(spec)
    series = [Point(a.period_end, float(a.value)) for a in item.series]
    values = [p.value for p in series] + [k.value for k in knots] + [m.value for m in spec.milestones]
    if spec.baseline is not None:
        values.append(spec.baseline)
    if progress.forecast is not None:
        values.append(progress.forecast)
    if progress.goal is not None:
        values.append(progress.goal)
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if spec.cumulative or (spec.is_share and low >= 0 and low < 0.3 * high):
        low = min(low, 0.0)
    if high == low:
        high, low = high + 1, low - 1
    step = nice_step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    inverted = target.direction == Direction.RANK
    days = max((end - start).days, 1)

    def x(day: datetime.date) -> float:
        return round(left + (right - left) * (day - start).days / days, 1)

    def y(value: float) -> float:
        share = (value - low) / (high - low)
        return round(top + (bottom - top) * (share if inverted else 1 - share), 1)

    unit = target.unit
    y_ticks = []
    tick = low
    while tick <= high + step / 1000:
        y_ticks.append(Mark(left, y(tick), vn_number(tick)))
        tick += step
    x_ticks = [Mark(x(day), bottom, format_day(day)) for day in date_ticks(start, end)]

    goal = None
    if progress.goal is not None:
        goal = Segment(
            left,
            y(progress.goal),
            right,
            y(progress.goal),
            _("Mức chỉ tiêu: %(v)s") % {"v": with_unit(progress.goal, unit)},
        )
    milestones = [
        Mark(
            x(m.day),
            y(m.value),
            _("Mốc %(v)s đến %(d)s") % {"v": with_unit(m.value, unit), "d": format_day(m.day)},
        )
        for m in spec.milestones
    ]
    flagged = {a.period_end for a in item.series if a.flags}
    kinds = {a.period_end: a.period_kind for a in item.series}
    points = [
        Mark(
            x(p.day),
            y(p.value),
            f"{period_label(kinds[p.day], p.day)}: {with_unit(p.value, unit)}",
            key=p.day.isoformat(),
            flagged=p.day in flagged,
        )
        for p in series
    ]
    forecast = None
    if progress.forecast is not None and progress.latest and progress.latest.day < end:
        forecast = Segment(
            x(progress.latest.day),
            y(progress.latest.value),
            x(end),
            y(progress.forecast),
            _("Dự báo cuối kỳ: %(v)s") % {"v": with_unit(progress.forecast, unit)},
        )
    as_of = None
    if start < item.as_of < end:
        as_of = Segment(x(item.as_of), top, x(item.as_of), bottom, format_day(item.as_of))
    legend = [("line", "#b3261e", _("Mức chỉ tiêu"))]
    if knots and len({k.value for k in knots}) > 1:
        legend.append(("line", "#7a8594", _("Các mốc, lộ trình") if milestones else _("Lộ trình")))
    legend.append(("dot", "#1f4e8c", _("Số liệu thực hiện")))
    if forecast:
        legend.append(("dash", "#1f4e8c", _("Dự báo")))
    desc = progress.reason
    if progress.latest:
        desc = _("%(name)s. Số liệu mới nhất %(v)s (%(d)s). %(reason)s") % {
            "name": target.name,
            "v": with_unit(progress.latest.value, unit),
            "d": format_day(progress.latest.day),
            "reason": progress.reason,
        }
    return Chart(
        width=box["width"],
        height=box["height"],
        compact=compact,
        title=_("Biểu đồ chỉ tiêu: %(name)s") % {"name": target.name},
        desc=desc,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        goal=goal,
        path=" ".join(f"{x(k.day)},{y(k.value)}" for k in knots) if len({k.value for k in knots}) > 1 else "",
        milestones=milestones,
        actual_path=" ".join(f"{p.x},{p.y}" for p in points),
        points=points,
        forecast=forecast,
        as_of=as_of,
        legend=legend,
    )
