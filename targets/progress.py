"""How a target (chỉ tiêu) is judged: where it should be, where it is heading, and its status.

The rules are pure functions of plain values (dates and floats), so that each one is unit-tested
without a database; `evaluate_targets` and `targets_at_risk` at the end feed them from the database
with a fixed number of queries.

Vocabulary used below:
- the *goal* is the value the target asks for at the end of its period, in the unit the agency
  reports: "tăng từ 7% trở lên" → 7; "giảm tối thiểu 0,8%" with a baseline of 3,1% → 2,3;
  "tăng ít nhất 05 bậc" from rank 40 → rank 35;
- *better* means higher for "at least" targets and lower for the other three directions
  ("at most", "reduce by", "rank": a lower rank number is better);
- the *series* is the values reported for the periods after the baseline date, known by the
  as-of date; the baseline value itself is not part of it.
"""

import bisect
import dataclasses
import datetime
import statistics

from django.db import models
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from core.dates import format_day, month_end

# "khó đạt" when the forecast misses the goal by more than this share of the distance the target
# asks to cover (Spec.distance: goal − baseline, or goal − first value without a baseline).
UNLIKELY_MARGIN = 0.10
# A reported value is a "jump far outside the series" when its change from the neighbouring value
# is more than JUMP_FACTOR times the median change of the series, and more than JUMP_FLOOR of the
# same scale (so that a perfectly flat series does not flag every small move).
JUMP_FACTOR = 4
JUMP_FLOOR = 0.10
DAYS_PER_PERIOD = {"month": 365.25 / 12, "quarter": 365.25 / 4, "year": 365.25}


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("Đạt từ mức chỉ tiêu trở lên")
    AT_MOST = "at_most", _("Không vượt quá mức chỉ tiêu")
    REDUCE_BY = "reduce_by", _("Giảm ít nhất một mức so với kỳ gốc")
    RANK = "rank", _("Thứ hạng (số thứ hạng càng nhỏ càng tốt)")


LOWER_IS_BETTER = frozenset({Direction.AT_MOST, Direction.REDUCE_BY, Direction.RANK})


class Frequency(models.TextChoices):
    MONTH = "month", _("Hằng tháng")
    QUARTER = "quarter", _("Hằng quý")
    YEAR = "year", _("Hằng năm")


class Trajectory(models.TextChoices):
    LINEAR = "linear", _("Lộ trình đều từ kỳ gốc đến mức chỉ tiêu")
    FLAT = "flat", _("Mức chỉ tiêu áp dụng cho mọi kỳ")


class Status(models.TextChoices):
    MET = "met", _("Đạt")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    BEHIND = "behind", _("Chậm tiến độ")
    UNLIKELY = "unlikely", _("Khó đạt")
    NOT_MET = "not_met", _("Không đạt")
    NO_DATA = "no_data", _("Chưa đủ số liệu")


AT_RISK = (Status.BEHIND, Status.UNLIKELY)


class Flag(models.TextChoices):
    """Why a reported value looks implausible. The value is kept only once the reporter confirms it."""

    OUT_OF_RANGE = "out_of_range", _("Tỷ lệ phải nằm trong khoảng từ 0% đến 100%")
    CUMULATIVE_DOWN = "cumulative_down", _("Số lũy kế thấp hơn kỳ trước hoặc cao hơn kỳ sau")
    JUMP = "jump", _("Thay đổi quá lớn so với diễn biến của chuỗi số liệu")


@dataclasses.dataclass(frozen=True)
class Point:
    day: datetime.date  # the last day of the period the value is for
    value: float


@dataclasses.dataclass(frozen=True)
class Spec:
    """What a target asks for, as plain values. `baseline` is the effective one (text or reported)."""

    direction: str
    target_value: float
    period_start: datetime.date
    period_end: datetime.date
    frequency: str = Frequency.MONTH
    baseline: float | None = None
    baseline_date: datetime.date | None = None
    is_change: bool = False
    trajectory: str = Trajectory.LINEAR
    cumulative: bool = False
    is_share: bool = False
    milestones: tuple[Point, ...] = ()

    @property
    def lower_is_better(self) -> bool:
        return self.direction in LOWER_IS_BETTER

    @property
    def start(self) -> datetime.date:
        """The baseline date: the day before the period unless the text names another one."""
        return self.baseline_date or self.period_start - datetime.timedelta(days=1)

    @property
    def goal(self) -> float | None:
        """The end-of-period value asked for, or None when it depends on a baseline nobody gave yet.

        "Reduce by" is always measured from the baseline; "at least" and "rank" targets are measured
        from it when the text states a change ("tăng ít nhất 05 bậc"), otherwise they are absolute.
        """
        if self.direction == Direction.REDUCE_BY or self.is_change:
            if self.baseline is None:
                return None
            sign = -1 if self.lower_is_better else 1
            # Rounded so that 2,95 − 0,8 is 2,15 and a reported 2,15 reaches it.
            return round(self.baseline + sign * self.target_value, 9)
        return self.target_value

    def distance(self, points: list[Point] = ()) -> float:
        """The distance the target asks to cover, the yardstick of "far" in these rules.

        |goal − reference|, the reference being the baseline or, without one, the first value of the
        series, when it is worse than the goal. Otherwise (no reference, or it already meets the goal)
        the room the quantity has: |goal|, or for a share the smaller of goal and 100 − goal. The first
        case never goes below a tenth of the second, so that a start just under the goal does not make
        every small miss "far".
        """
        goal = self.goal
        if goal is None:
            return 1.0
        room = min(abs(goal), 100 - goal) if self.is_share and 0 < goal < 100 else abs(goal)
        room = room or 1.0
        reference = self.baseline if self.baseline is not None else (points[0].value if points else None)
        if reference is not None and not better_or_equal(self, reference, goal):
            return max(abs(goal - reference), 0.1 * room)
        return room


def better_or_equal(spec: Spec, value: float, reference: float) -> bool:
    return value <= reference if spec.lower_is_better else value >= reference


def shortfall(spec: Spec, value: float, reference: float) -> float:
    """How far `value` is worse than `reference` (negative when it is better)."""
    return value - reference if spec.lower_is_better else reference - value


# Periods -----------------------------------------------------------------------------------------


def period_ends(start: datetime.date, end: datetime.date, frequency: str) -> list[datetime.date]:
    """The last days of the reporting periods from `start` to `end`; `end` itself always closes the list.

    Monthly: every month end; quarterly: 31/03, 30/06, 30/09, 31/12; yearly: 31/12. A period that
    ends off the calendar (the 2023 disbursement runs to 31/01/2024) gets its own last period.
    """
    months = {Frequency.MONTH: range(1, 13), Frequency.QUARTER: (3, 6, 9, 12), Frequency.YEAR: (12,)}
    wanted = set(months[Frequency(frequency)])
    result = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        day = month_end(year, month)
        if month in wanted and start <= day <= end:
            result.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if not result or result[-1] != end:
        result.append(end)
    return result


ROMAN = {3: "I", 6: "II", 9: "III", 12: "IV"}


def period_label(kind: str, day: datetime.date) -> str:
    """ "Tháng 03/2023", "Quý I/2023", "Năm 2023" or "Kỳ gốc (31/12/2022)"."""
    if kind == "baseline":
        return _g("Kỳ gốc (%(day)s)") % {"day": format_day(day)}
    if kind == Frequency.QUARTER and day.month in ROMAN and day == month_end(day.year, day.month):
        return _g("Quý %(q)s/%(y)s") % {"q": ROMAN[day.month], "y": day.year}
    if kind == Frequency.YEAR and (day.month, day.day) == (12, 31):
        return _g("Năm %(y)s") % {"y": day.year}
    if day == month_end(day.year, day.month):
        return _g("Tháng %(m)02d/%(y)s") % {"m": day.month, "y": day.year}
    return _g("Kỳ đến %(day)s") % {"day": format_day(day)}


# The trajectory ----------------------------------------------------------------------------------


def trajectory_knots(spec: Spec) -> list[Point]:
    """The points the expected path runs through, in date order.

    1. With milestones (e.g. disbursement ≥ 25% by 31/03, 50% by 30/06, 75% by 30/09): the baseline
       (when known), each milestone, then the goal at the end of the period.
    2. Without milestones, a "linear" target with a known baseline: a straight line from the
       baseline on the baseline date to the goal at the end of the period.
    3. Otherwise (a "flat" target such as a growth rate, or no baseline yet): the goal itself is the
       bar at every date.
    """
    goal = spec.goal
    if goal is None:
        return []
    if spec.milestones:
        knots = [Point(spec.start, spec.baseline)] if spec.baseline is not None else []
        knots += sorted(spec.milestones, key=lambda p: p.day)
        if knots[-1].day < spec.period_end:
            knots.append(Point(spec.period_end, goal))
        return knots
    if spec.trajectory == Trajectory.LINEAR and spec.baseline is not None:
        return [Point(spec.start, spec.baseline), Point(spec.period_end, goal)]
    return [Point(spec.start, goal), Point(spec.period_end, goal)]


def expected_at(spec: Spec, day: datetime.date) -> float | None:
    """The value the trajectory expects on `day`: straight lines between the knots.

    Before the first knot there is no requirement when the path starts at a milestone (None);
    after the last knot, the goal.
    """
    knots = trajectory_knots(spec)
    if not knots:
        return None
    if day >= knots[-1].day:
        return knots[-1].value
    days = [k.day for k in knots]
    index = bisect.bisect_right(days, day)
    if index == 0:
        return knots[0].value if knots[0].day == spec.start else None
    left, right = knots[index - 1], knots[index]
    share = (day - left.day).days / (right.day - left.day).days
    return left.value + share * (right.value - left.value)


# The forecast ------------------------------------------------------------------------------------


def least_squares(points: list[Point]) -> tuple[float, float] | None:
    """(intercept, slope per day) of the least-squares line through the points; None with < 2 dates."""
    if len({p.day for p in points}) < 2:
        return None
    xs = [p.day.toordinal() for p in points]
    ys = [p.value for p in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    return mean_y - slope * mean_x, slope


def forecast(spec: Spec, points: list[Point]) -> float | None:
    """The end-of-period value if the series keeps its pace: the least-squares line through the
    reported values, read at the last day of the period. None with fewer than two values.

    A cumulative figure cannot fall, so its forecast is never below the latest value; a share stays
    within 0–100%.
    """
    fit = least_squares(points)
    if fit is None:
        return None
    intercept, slope = fit
    value = intercept + slope * spec.period_end.toordinal()
    if spec.cumulative:
        value = max(value, max(points, key=lambda p: p.day).value)
    if spec.is_share:
        value = min(max(value, 0.0), 100.0)
    return value


def percent_reached(spec: Spec, value: float) -> float | None:
    """Percent of the target reached.

    Targets measured from a baseline (reduce by, a change, or a lower-is-better target whose baseline
    is known) count the share of the distance covered: (value − baseline) / (goal − baseline).
    "At least" targets count value / goal, the way the reports say "đạt 98% kế hoạch"; a
    lower-is-better target without a baseline counts goal / value.
    """
    goal = spec.goal
    if goal is None:
        return None
    from_baseline = spec.direction == Direction.REDUCE_BY or spec.is_change or spec.lower_is_better
    if from_baseline and spec.baseline is not None and goal != spec.baseline:
        return 100 * (value - spec.baseline) / (goal - spec.baseline)
    if not spec.lower_is_better:
        return 100 * value / goal if goal else None
    return 100 * goal / value if value else None


@dataclasses.dataclass
class Progress:
    status: Status
    reason: str
    goal: float | None = None
    latest: Point | None = None
    expected: float | None = None  # the trajectory's value on the latest value's date
    percent: float | None = None
    forecast: float | None = None
    pace_needed: float | None = None  # change still needed per remaining period (signed)
    periods_left: int | None = None
    current_pace: float | None = None  # change per period of the least-squares line
    values: int = 0
    final: bool = False  # the value for the period's last day is in

    @property
    def at_risk(self) -> bool:
        return self.status in AT_RISK

    @property
    def too_early(self) -> bool:
        """Fewer than two values: no forecast yet."""
        return self.values < 2


def evaluate(spec: Spec, series: list[Point], as_of: datetime.date) -> Progress:
    """The status of a target on `as_of`, from the values known then.

    1. No goal (it depends on a baseline not yet given) or no value → chưa đủ số liệu.
    2. The value for the period's last day is in → đạt if it reaches the goal, else không đạt.
    3. With at least two values, the least-squares forecast missing the goal by more than
       UNLIKELY_MARGIN of Spec.distance → khó đạt, even when the latest value is fine: a
       rate above its bar but falling fast is at risk (a cumulative figure that has reached its goal
       never is: its forecast cannot fall below its latest value).
    4. The latest value already reaches the goal → đạt.
    5. The latest value is worse than the milestone or trajectory on its date → chậm tiến độ;
       otherwise → đúng tiến độ. With a single value there is no forecast: "too early to tell".
    """
    points = sorted((p for p in series if p.day > spec.start), key=lambda p: p.day)
    goal = spec.goal
    if goal is None:
        return Progress(Status.NO_DATA, _g("Chưa có số liệu kỳ gốc nên chưa xác định được mức phải đạt."))
    if not points:
        return Progress(Status.NO_DATA, _g("Chưa có số liệu thực hiện."), goal=goal)
    latest = points[-1]
    result = Progress(
        Status.ON_TRACK,
        "",
        goal=goal,
        latest=latest,
        expected=expected_at(spec, latest.day),
        percent=percent_reached(spec, latest.value),
        forecast=forecast(spec, points),
        values=len(points),
    )
    ends = period_ends(spec.period_start, spec.period_end, spec.frequency)
    result.periods_left = sum(1 for day in ends if day > latest.day)
    reached = better_or_equal(spec, latest.value, goal)
    if result.periods_left and not reached:
        result.pace_needed = (goal - latest.value) / result.periods_left
    elif result.periods_left:
        result.pace_needed = 0.0
    fit = least_squares(points)
    if fit is not None:
        result.current_pace = fit[1] * DAYS_PER_PERIOD[spec.frequency]

    if latest.day >= spec.period_end:
        result.forecast = None  # the final figure is in: nothing left to forecast
        result.final = True
        result.status = Status.MET if reached else Status.NOT_MET
        result.reason = (
            _g("Số liệu cuối kỳ đạt mức chỉ tiêu.")
            if reached
            else _g("Số liệu cuối kỳ không đạt mức chỉ tiêu.")
        )
    elif result.forecast is not None and shortfall(
        spec, result.forecast, goal
    ) > UNLIKELY_MARGIN * spec.distance(points):
        result.status = Status.UNLIKELY
        result.reason = _g("Theo xu hướng hiện nay, số liệu cuối kỳ dự báo không đạt mức chỉ tiêu.")
    elif reached:
        result.status, result.reason = Status.MET, _g("Số liệu mới nhất đã đạt mức chỉ tiêu cả kỳ.")
    elif result.expected is not None and not better_or_equal(spec, latest.value, result.expected):
        result.status = Status.BEHIND
        result.reason = _g("Số liệu mới nhất thấp hơn mốc hoặc lộ trình cần đạt tại kỳ đó.")
    else:
        result.status = Status.ON_TRACK
        result.reason = _g("Số liệu mới nhất đạt mốc hoặc lộ trình cần đạt tại kỳ đó.")
    if result.too_early and result.status in (Status.ON_TRACK, Status.BEHIND):
        result.reason += " " + _g("Mới có một kỳ số liệu: còn quá sớm để dự báo.")
    return result


# Implausible values ------------------------------------------------------------------------------


def implausible(spec: Spec, day: datetime.date, value: float, others: list[Point]) -> list[str]:
    """Why a value reported for `day` looks wrong, given the other values of the series.

    - a share (percent of a whole) outside 0–100;
    - a cumulative figure lower than the previous period's or higher than the next period's;
    - a jump far outside the series: the change from the neighbouring value exceeds JUMP_FACTOR
      times the median change between consecutive values (needs at least two such changes), and
      JUMP_FLOOR of the distance the target asks to cover.
    """
    flags = []
    if spec.is_share and not 0 <= value <= 100:
        flags.append(Flag.OUT_OF_RANGE)
    series = sorted((p for p in others if p.day != day and p.day > spec.start), key=lambda p: p.day)
    before = [p for p in series if p.day < day]
    after = [p for p in series if p.day > day]
    if spec.cumulative and ((before and value < before[-1].value) or (after and value > after[0].value)):
        flags.append(Flag.CUMULATIVE_DOWN)
    changes = [abs(b.value - a.value) for a, b in zip(series, series[1:], strict=False)]
    if len(changes) >= 2:
        neighbour = before[-1] if before else after[0]
        threshold = max(JUMP_FACTOR * statistics.median(changes), JUMP_FLOOR * spec.distance(series))
        if abs(value - neighbour.value) > threshold:
            flags.append(Flag.JUMP)
    return flags


# From the database -------------------------------------------------------------------------------


@dataclasses.dataclass
class Evaluated:
    """A target with what the pages show about it."""

    target: object
    spec: Spec
    progress: Progress
    series: list  # Actual rows of the period known on as_of, in date order
    baseline_actual: object | None
    as_of: datetime.date

    @property
    def status(self) -> Status:
        return self.progress.status


def spec_for(target, milestones, baseline_actual=None) -> Spec:
    """The plain-value Spec of a Target; a reported baseline stands in when the text gives none."""
    baseline = target.baseline if target.baseline is not None else getattr(baseline_actual, "value", None)
    return Spec(
        direction=target.direction,
        target_value=float(target.target_value),
        period_start=target.period_start,
        period_end=target.period_end,
        frequency=target.frequency,
        baseline=float(baseline) if baseline is not None else None,
        baseline_date=target.baseline_date,
        is_change=target.target_is_change,
        trajectory=target.trajectory,
        cumulative=target.cumulative,
        is_share=target.is_share,
        milestones=tuple(Point(m.due, float(m.value)) for m in milestones),
    )


def evaluate_one(target, actuals, milestones, as_of: datetime.date) -> Evaluated:
    """Judge one target from its rows (already fetched): only values reported by `as_of` count."""
    known = sorted((a for a in actuals if a.reported_on <= as_of), key=lambda a: a.period_end)
    start = target.baseline_start
    baseline_actual = next((a for a in known if a.period_end == start), None)
    spec = spec_for(target, milestones, baseline_actual)
    series = [a for a in known if a.period_end > start]
    progress = evaluate(spec, [Point(a.period_end, float(a.value)) for a in series], as_of)
    return Evaluated(target, spec, progress, series, baseline_actual, as_of)
