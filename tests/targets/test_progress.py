"""The status, forecast and pace rules of targets/progress.py, on plain values (no database)."""

import datetime

import pytest

from targets.progress import (
    Direction,
    Flag,
    Frequency,
    Point,
    Spec,
    Status,
    Trajectory,
    evaluate,
    expected_at,
    forecast,
    implausible,
    least_squares,
    percent_reached,
    period_ends,
    period_label,
)

D = datetime.date
YEAR_START, YEAR_END = D(2023, 1, 1), D(2023, 12, 31)
Q1, Q2, Q3, Q4 = D(2023, 3, 31), D(2023, 6, 30), D(2023, 9, 30), D(2023, 12, 31)


def spec(**overrides) -> Spec:
    values = {
        "direction": Direction.AT_LEAST,
        "target_value": 100.0,
        "period_start": YEAR_START,
        "period_end": YEAR_END,
        "frequency": Frequency.MONTH,
        "baseline": 0.0,
    }
    return Spec(**(values | overrides))


def disbursement() -> Spec:
    """Footnote 4 of the 2023 programme: 25% by 31/03, 50% by 30/06, 75% by 30/09, 95% by 31/01/2024."""
    return spec(
        target_value=95.0,
        period_end=D(2024, 1, 31),
        cumulative=True,
        is_share=True,
        milestones=(Point(Q1, 25.0), Point(Q2, 50.0), Point(Q3, 75.0)),
    )


def poverty() -> Spec:
    """Reduce the poor-household rate by at least 0,8 point from 2,95% (quarterly figures)."""
    return spec(
        direction=Direction.REDUCE_BY,
        target_value=0.8,
        baseline=2.95,
        frequency=Frequency.QUARTER,
        is_share=True,
    )


def par_index(baseline=38.0) -> Spec:
    """Rank: climb at least 5 places (a lower rank number is better); one figure a year."""
    return spec(
        direction=Direction.RANK,
        target_value=5.0,
        is_change=True,
        baseline=baseline,
        frequency=Frequency.YEAR,
    )


def growth() -> Spec:
    """GRDP growth ≥ 7%: the bar applies to every quarterly estimate (flat)."""
    return spec(target_value=7.0, baseline=None, trajectory=Trajectory.FLAT, frequency=Frequency.QUARTER)


# Goals ------------------------------------------------------------------------------------------


def test_goal_for_each_direction():
    assert spec(target_value=92.5).goal == 92.5
    assert spec(direction=Direction.AT_MOST, target_value=4.5, baseline=None).goal == 4.5
    assert spec(target_value=5.0, baseline=10.0, is_change=True).goal == 15.0
    assert poverty().goal == 2.15  # 2,95 − 0,8, without a floating-point tail
    assert spec(direction=Direction.REDUCE_BY, target_value=0.8, baseline=None).goal is None
    assert par_index().goal == 33.0
    assert par_index(baseline=None).goal is None
    assert spec(direction=Direction.RANK, target_value=1.0, baseline=None).goal == 1.0


# Periods and milestone dates --------------------------------------------------------------------


def test_period_ends_monthly_quarterly_yearly_and_an_off_calendar_end():
    months = period_ends(YEAR_START, D(2024, 1, 31), Frequency.MONTH)
    assert len(months) == 13
    assert months[:3] == [D(2023, 1, 31), D(2023, 2, 28), D(2023, 3, 31)]
    assert months[-1] == D(2024, 1, 31)
    assert period_ends(YEAR_START, D(2024, 1, 31), Frequency.QUARTER) == [Q1, Q2, Q3, Q4, D(2024, 1, 31)]
    assert period_ends(YEAR_START, D(2025, 12, 31), Frequency.YEAR) == [
        D(2023, 12, 31),
        D(2024, 12, 31),
        D(2025, 12, 31),
    ]
    assert period_ends(D(2024, 1, 1), D(2024, 12, 31), Frequency.MONTH)[1] == D(2024, 2, 29)  # leap year


def test_period_labels():
    assert period_label("month", D(2023, 3, 31)) == "Tháng 03/2023"
    assert period_label("quarter", Q3) == "Quý III/2023"
    assert period_label("year", Q4) == "Năm 2023"
    assert period_label("baseline", D(2022, 12, 31)) == "Kỳ gốc (31/12/2022)"
    assert period_label("quarter", D(2024, 1, 31)) == "Tháng 01/2024"


def test_milestone_dates_of_the_disbursement_target():
    s = disbursement()
    assert s.start == D(2022, 12, 31)
    assert expected_at(s, s.start) == 0
    assert expected_at(s, Q1) == 25
    assert expected_at(s, Q2) == 50
    assert expected_at(s, Q3) == 75
    assert expected_at(s, D(2024, 1, 31)) == 95
    assert expected_at(s, D(2024, 3, 1)) == 95
    # Between two milestones the path is a straight line: 31/12 is 92 of the 123 days to 31/01/2024.
    assert expected_at(s, Q4) == pytest.approx(75 + 20 * 92 / 123)
    assert expected_at(s, D(2023, 2, 14)) == pytest.approx(25 * 45 / 90)


def test_milestones_judge_the_status_on_their_dates():
    s = disbursement()
    assert evaluate(s, [Point(Q1, 24.9)], D(2023, 4, 10)).status == Status.BEHIND
    on_time = evaluate(s, [Point(Q1, 25.0)], D(2023, 4, 10))
    assert on_time.status == Status.ON_TRACK
    assert on_time.expected == 25
    assert on_time.forecast is None and on_time.too_early
    assert "quá sớm để dự báo" in on_time.reason


def test_straight_trajectory_from_the_baseline_without_milestones():
    s = spec(target_value=92.5, baseline=90.0, is_share=True)
    assert expected_at(s, D(2022, 12, 31)) == 90
    assert expected_at(s, D(2023, 7, 2)) == pytest.approx(90 + 2.5 * 183 / 365)
    assert expected_at(s, YEAR_END) == 92.5


def test_flat_target_and_a_missing_baseline_use_the_goal_as_the_bar_every_time():
    assert expected_at(growth(), D(2023, 2, 1)) == 7
    assert expected_at(growth(), Q3) == 7
    no_baseline = spec(target_value=8.0, baseline=None)
    assert expected_at(no_baseline, D(2023, 5, 31)) == 8


# Status for each direction ----------------------------------------------------------------------


def test_at_least_on_track_behind_unlikely_met_and_not_met():
    s = disbursement()
    on_track = [Point(D(2023, 1, 31), 9), Point(D(2023, 2, 28), 17), Point(Q1, 26)]
    assert evaluate(s, on_track, D(2023, 4, 10)).status == Status.ON_TRACK
    # Slightly under the milestone, but the trend still reaches 95%: behind.
    behind = [Point(D(2023, 1, 31), 8), Point(D(2023, 2, 28), 16), Point(Q1, 24)]
    result = evaluate(s, behind, D(2023, 4, 10))
    assert result.status == Status.BEHIND
    assert result.forecast > 95 - 0.1 * 95
    # Far under it: the trend misses 95% by more than 10% of the distance → unlikely.
    slow = [Point(D(2023, 1, 31), 2), Point(D(2023, 2, 28), 4), Point(Q1, 6)]
    result = evaluate(s, slow, D(2023, 4, 10))
    assert result.status == Status.UNLIKELY
    assert result.at_risk
    # Reached before the end, then the final figure.
    assert evaluate(s, [Point(Q3, 80), Point(Q4, 96)], D(2024, 1, 5)).status == Status.MET
    final_missed = evaluate(s, [Point(Q4, 90), Point(D(2024, 1, 31), 93.4)], D(2024, 2, 10))
    assert final_missed.status == Status.NOT_MET
    assert final_missed.final and final_missed.forecast is None and final_missed.periods_left == 0
    assert evaluate(s, [Point(Q4, 90), Point(D(2024, 1, 31), 95)], D(2024, 2, 10)).status == Status.MET


def test_at_most():
    s = spec(direction=Direction.AT_MOST, target_value=4.5, baseline=None, frequency=Frequency.QUARTER)
    assert evaluate(s, [Point(Q1, 4.0), Point(Q2, 4.1)], D(2023, 7, 20)).status == Status.MET
    # Under the cap today, but rising fast: forecast 4,1 + 2 × 0,6 > 4,5 + 10% → unlikely.
    assert evaluate(s, [Point(Q1, 3.5), Point(Q2, 4.1)], D(2023, 7, 20)).status == Status.UNLIKELY
    assert evaluate(s, [Point(Q1, 4.7)], D(2023, 4, 20)).status == Status.BEHIND
    assert evaluate(s, [Point(Q1, 4.7), Point(Q4, 4.4)], D(2024, 1, 20)).status == Status.MET
    assert evaluate(s, [Point(Q4, 4.6)], D(2024, 1, 20)).status == Status.NOT_MET


def test_reduce_by_is_measured_from_the_baseline():
    s = poverty()
    expected_q2 = 2.95 - 0.8 * 181 / 365
    on_track = evaluate(s, [Point(Q1, 2.75), Point(Q2, 2.55)], D(2023, 7, 20))
    assert on_track.expected == pytest.approx(expected_q2)
    assert on_track.status == Status.ON_TRACK
    assert on_track.percent == pytest.approx(50.0)  # 0,4 of the 0,8 point
    assert on_track.pace_needed == pytest.approx(-0.2)  # 2 quarters left to go from 2,55 to 2,15
    slow = evaluate(s, [Point(Q1, 2.85), Point(Q2, 2.70)], D(2023, 7, 20))
    assert slow.status == Status.UNLIKELY
    assert evaluate(s, [Point(Q4, 2.15)], D(2024, 1, 20)).status == Status.MET
    assert evaluate(s, [Point(Q4, 2.2)], D(2024, 1, 20)).status == Status.NOT_MET
    no_baseline = evaluate(
        spec(direction=Direction.REDUCE_BY, target_value=0.8, baseline=None), [Point(Q1, 2)], Q2
    )
    assert no_baseline.status == Status.NO_DATA
    assert "kỳ gốc" in no_baseline.reason


def test_rank_lower_number_is_better():
    s = par_index()
    met = evaluate(s, [Point(Q4, 31)], D(2024, 5, 20))
    assert met.status == Status.MET
    assert met.percent == pytest.approx(140.0)  # 7 places of the 5 asked
    missed = evaluate(s, [Point(Q4, 35)], D(2024, 5, 20))
    assert missed.status == Status.NOT_MET
    assert missed.percent == pytest.approx(60.0)
    assert evaluate(par_index(baseline=None), [Point(Q4, 31)], D(2024, 5, 20)).status == Status.NO_DATA
    # An absolute rank with a flat bar (city class I by 2025, now class II): no movement → unlikely.
    city = spec(
        direction=Direction.RANK,
        target_value=1.0,
        baseline=None,
        trajectory=Trajectory.FLAT,
        frequency=Frequency.YEAR,
        period_end=D(2025, 12, 31),
    )
    stuck = evaluate(city, [Point(D(2023, 12, 31), 2), Point(D(2024, 12, 31), 2)], D(2025, 3, 1))
    assert stuck.status == Status.UNLIKELY
    assert stuck.percent == pytest.approx(50.0)
    assert evaluate(city, [Point(D(2023, 12, 31), 2)], D(2024, 3, 1)).status == Status.BEHIND
    assert evaluate(city, [Point(D(2023, 12, 31), 2), Point(D(2024, 12, 31), 1)], D(2025, 3, 1)).status == (
        Status.MET
    )


def test_flat_growth_target():
    s = growth()
    assert evaluate(s, [Point(Q1, 7.2), Point(Q2, 7.1)], D(2023, 7, 20)).status == Status.MET
    assert evaluate(s, [Point(Q1, 6.5), Point(Q2, 6.8)], D(2023, 7, 20)).status == Status.BEHIND
    assert evaluate(s, [Point(Q1, 6.6), Point(Q2, 6.2)], D(2023, 7, 20)).status == Status.UNLIKELY


def test_no_value_is_not_enough_data():
    result = evaluate(disbursement(), [], D(2023, 4, 10))
    assert result.status == Status.NO_DATA
    assert result.latest is None and result.forecast is None


def test_values_of_the_baseline_date_or_before_are_not_part_of_the_series():
    s = spec(target_value=92.5, baseline=90.0)
    assert evaluate(s, [Point(D(2022, 12, 31), 91)], D(2023, 1, 5)).status == Status.NO_DATA


# Forecast ---------------------------------------------------------------------------------------

EVERY_30 = [D(2023, 1, 1) + datetime.timedelta(days=30 * k) for k in range(5)]


def test_least_squares_through_exact_lines_and_scattered_points():
    intercept, slope = least_squares([Point(EVERY_30[k], 10 + 3 * k) for k in range(3)])
    assert slope == pytest.approx(0.1)
    assert intercept + slope * EVERY_30[4].toordinal() == pytest.approx(22)
    # y = 1, 2, 4 at x = 0, 30, 60: slope 1,5 per 30 days, mean 7/3 at x = 30.
    _, slope = least_squares([Point(EVERY_30[0], 1), Point(EVERY_30[1], 2), Point(EVERY_30[2], 4)])
    assert slope * 30 == pytest.approx(1.5)
    assert least_squares([Point(EVERY_30[0], 1)]) is None
    assert least_squares([Point(EVERY_30[0], 1), Point(EVERY_30[0], 2)]) is None


def test_forecast_of_a_flat_series_is_its_level():
    s = spec(target_value=92.5, baseline=None, period_end=EVERY_30[4], is_share=True)
    flat = [Point(EVERY_30[k], 93.0) for k in range(3)]
    assert forecast(s, flat) == pytest.approx(93.0)
    result = evaluate(s, flat, EVERY_30[2])
    assert result.status == Status.MET
    assert result.current_pace == pytest.approx(0.0)
    cumulative = spec(target_value=100.0, period_end=EVERY_30[4], cumulative=True)
    stalled = [Point(EVERY_30[k], 40.0) for k in range(3)]
    assert forecast(cumulative, stalled) == pytest.approx(40.0)
    assert evaluate(cumulative, stalled, EVERY_30[2]).status == Status.UNLIKELY


def test_forecast_of_a_falling_series():
    s = spec(target_value=92.5, baseline=None, period_end=EVERY_30[4], is_share=True)
    falling = [Point(EVERY_30[k], 93.0 - 0.5 * k) for k in range(3)]
    assert forecast(s, falling) == pytest.approx(91.0)  # two more 30-day steps of −0,5
    result = evaluate(s, falling, EVERY_30[2])
    assert result.status == Status.UNLIKELY  # 92,0 is fine today, the trend is not
    assert result.current_pace < 0
    # A cumulative figure cannot fall: its forecast stays at the latest value.
    cumulative = spec(target_value=100.0, period_end=EVERY_30[4], cumulative=True)
    assert forecast(cumulative, [Point(EVERY_30[k], 30.0 - 2 * k) for k in range(3)]) == 26.0


def test_forecast_of_a_share_stays_within_100():
    s = spec(target_value=95.0, period_end=EVERY_30[4], is_share=True)
    assert forecast(s, [Point(EVERY_30[k], 60.0 + 20 * k) for k in range(3)]) == 100.0


def test_pace_still_needed_per_remaining_period():
    s = disbursement()
    series = [Point(D(2023, 8, 31), 66.0), Point(Q3, 72.0), Point(D(2023, 10, 31), 80.0)]
    result = evaluate(s, series, D(2023, 11, 10))
    assert result.periods_left == 3  # November, December, January
    assert result.pace_needed == pytest.approx((95 - 80) / 3)
    assert result.current_pace == pytest.approx(7.0, rel=0.05)
    assert evaluate(s, [Point(Q3, 96.0)], D(2023, 10, 5)).pace_needed == 0.0


def test_percent_reached():
    assert percent_reached(spec(target_value=92.5, baseline=90.0), 91.0) == pytest.approx(100 * 91 / 92.5)
    assert percent_reached(spec(target_value=7.0, baseline=None), 6.3) == pytest.approx(90.0)
    assert percent_reached(poverty(), 2.75) == pytest.approx(25.0)
    assert percent_reached(spec(direction=Direction.AT_MOST, target_value=4.0, baseline=None), 5.0) == 80.0


# Implausible values -----------------------------------------------------------------------------


def test_a_percentage_above_100_is_flagged():
    s = disbursement()
    assert implausible(s, Q1, 101.0, []) == [Flag.OUT_OF_RANGE]
    assert implausible(s, Q1, -1.0, []) == [Flag.OUT_OF_RANGE]
    assert implausible(s, Q1, 100.0, []) == []
    assert implausible(spec(target_value=100.0), Q1, 130.0, []) == []  # revenue can exceed its estimate


def test_a_cumulative_figure_that_goes_down_is_flagged():
    s = disbursement()
    series = [Point(D(2023, 1, 31), 5.0), Point(D(2023, 2, 28), 12.0)]
    assert implausible(s, Q1, 11.0, series) == [Flag.CUMULATIVE_DOWN]
    assert implausible(s, Q1, 12.0, series) == []
    # Inserted between two values, it must also stay under the next one.
    assert implausible(s, D(2023, 2, 28), 13.0, [series[0], Point(Q1, 12.5)]) == [Flag.CUMULATIVE_DOWN]
    assert implausible(spec(target_value=92.5, baseline=90.0), Q1, 89.0, [Point(D(2023, 2, 28), 91.0)]) == []


def test_a_jump_far_outside_the_series_is_flagged():
    s = disbursement()
    series = [Point(D(2023, 1, 31), 3.0), Point(D(2023, 2, 28), 9.0), Point(Q1, 15.0)]
    assert implausible(s, D(2023, 4, 30), 22.0, series) == []
    assert implausible(s, D(2023, 4, 30), 45.0, series) == [Flag.JUMP]  # +30 against steps of 6
    # Too little history to judge a jump.
    assert implausible(s, Q1, 60.0, series[:2]) == []
    # A flat series only flags moves above 10% of the distance to cover.
    flat = [Point(Q1, 7.0), Point(Q2, 7.0), Point(Q3, 7.0)]
    assert implausible(growth(), Q4, 7.5, flat) == []
    assert implausible(growth(), Q4, 12.0, flat) == [Flag.JUMP]
