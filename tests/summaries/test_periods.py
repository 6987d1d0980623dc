"""The reporting periods of Nghị định 09/2019/NĐ-CP, across the year end and with another cut-off day."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from summaries.periods import (
    Kind,
    kinds_ending_on,
    last_cutoff,
    months_of_year,
    period_containing,
    period_ending,
    previous,
    reporting_month,
)

D = datetime.date


@pytest.mark.parametrize(
    ("kind", "year", "month", "start", "end"),
    [
        (Kind.MONTH, 2026, 11, D(2026, 10, 15), D(2026, 11, 14)),
        # January starts in the previous year's December.
        (Kind.MONTH, 2027, 1, D(2026, 12, 15), D(2027, 1, 14)),
        (Kind.MONTH, 2026, 12, D(2026, 11, 15), D(2026, 12, 14)),
        (Kind.MONTH, 2024, 3, D(2024, 2, 15), D(2024, 3, 14)),
        (Kind.QUARTER, 2027, 3, D(2026, 12, 15), D(2027, 3, 14)),
        (Kind.QUARTER, 2026, 6, D(2026, 3, 15), D(2026, 6, 14)),
        (Kind.QUARTER, 2026, 9, D(2026, 6, 15), D(2026, 9, 14)),
        (Kind.QUARTER, 2026, 12, D(2026, 9, 15), D(2026, 12, 14)),
        (Kind.HALF, 2026, 6, D(2025, 12, 15), D(2026, 6, 14)),
        (Kind.NINE_MONTHS, 2026, 9, D(2025, 12, 15), D(2026, 9, 14)),
        (Kind.YEAR, 2026, 12, D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_standard_periods(kind, year, month, start, end):
    period = period_ending(kind, year, month)
    assert (period.start, period.end, period.cut_off) == (start, end, end)
    assert period.is_complete


def test_a_kind_ends_only_in_its_months():
    with pytest.raises(ValueError):
        period_ending(Kind.QUARTER, 2026, 5)
    with pytest.raises(ValueError):
        period_ending(Kind.YEAR, 2026, 11)


def test_names_and_subjects_in_vietnamese():
    assert period_ending(Kind.MONTH, 2027, 1).name == "Tháng 01/2027"
    assert period_ending(Kind.MONTH, 2026, 11).subject == "tháng 11 năm 2026"
    assert period_ending(Kind.QUARTER, 2026, 12).name == "Quý IV/2026"
    assert period_ending(Kind.QUARTER, 2027, 3).subject == "quý I năm 2027"
    assert period_ending(Kind.HALF, 2026, 6).name == "6 tháng đầu năm 2026"
    assert period_ending(Kind.NINE_MONTHS, 2026, 9).name == "9 tháng năm 2026"
    assert period_ending(Kind.YEAR, 2026, 12).subject == "năm 2026"
    assert period_ending(Kind.MONTH, 2026, 11).span == "từ ngày 15/10/2026 đến ngày 14/11/2026"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 11, 14), (2026, 11)),  # the cut-off day belongs to its month
        (D(2026, 11, 15), (2026, 12)),  # the day after opens the next one
        (D(2026, 12, 15), (2027, 1)),  # across the year end
        (D(2026, 12, 31), (2027, 1)),
        (D(2027, 1, 1), (2027, 1)),
        (D(2027, 1, 14), (2027, 1)),
    ],
)
def test_reporting_month(day, expected):
    assert reporting_month(day) == expected


def test_a_past_date_falls_in_its_period_cut_short():
    period = period_containing(Kind.MONTH, D(2026, 12, 20))
    assert (period.year, period.month, period.start, period.end) == (2027, 1, D(2026, 12, 15), D(2027, 1, 14))
    assert period.cut_off == D(2026, 12, 20) and not period.is_complete
    assert period.span == "từ ngày 15/12/2026 đến ngày 20/12/2026"
    year = period_containing(Kind.YEAR, D(2026, 12, 20))
    assert (year.year, year.start, year.end) == (2027, D(2026, 12, 15), D(2027, 12, 14))
    quarter = period_containing(Kind.QUARTER, D(2026, 11, 14))
    assert (quarter.name, quarter.start, quarter.end, quarter.cut_off) == (
        "Quý IV/2026",
        D(2026, 9, 15),
        D(2026, 12, 14),
        D(2026, 11, 14),
    )
    assert period_containing(Kind.MONTH, D(2026, 11, 14)).is_complete


def test_previous_periods():
    assert previous(period_ending(Kind.MONTH, 2027, 1)) == period_ending(Kind.MONTH, 2026, 12)
    assert previous(period_ending(Kind.QUARTER, 2027, 3)) == period_ending(Kind.QUARTER, 2026, 12)
    # 6 months, 9 months and the year compare with the same period of the year before.
    assert previous(period_ending(Kind.HALF, 2026, 6)) == period_ending(Kind.HALF, 2025, 6)
    assert previous(period_ending(Kind.YEAR, 2026, 12)) == period_ending(Kind.YEAR, 2025, 12)
    # A part-way period compares with the whole previous one.
    assert previous(period_containing(Kind.MONTH, D(2026, 12, 20))) == period_ending(Kind.MONTH, 2026, 12)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 11, 22), D(2026, 11, 14)),
        (D(2026, 11, 15), D(2026, 11, 14)),  # the day after the cut-off
        (D(2026, 11, 14), D(2026, 10, 14)),  # the cut-off day is not over yet
        (D(2027, 1, 3), D(2026, 12, 14)),
        (D(2027, 1, 14), D(2026, 12, 14)),
    ],
)
def test_last_cutoff(today, expected):
    assert last_cutoff(today) == expected


def test_kinds_ending_on_a_cut_off():
    assert kinds_ending_on(D(2026, 11, 14)) == [Kind.MONTH]
    assert kinds_ending_on(D(2026, 3, 14)) == [Kind.MONTH, Kind.QUARTER]
    assert kinds_ending_on(D(2026, 6, 14)) == [Kind.MONTH, Kind.QUARTER, Kind.HALF]
    assert kinds_ending_on(D(2026, 9, 14)) == [Kind.MONTH, Kind.QUARTER, Kind.NINE_MONTHS]
    assert kinds_ending_on(D(2026, 12, 14)) == [Kind.MONTH, Kind.QUARTER, Kind.YEAR]
    assert kinds_ending_on(D(2026, 12, 15)) == []


def test_months_of_the_year_up_to_a_cut_off():
    months = months_of_year(2026, D(2026, 11, 14))
    assert [p.month for p in months] == list(range(1, 12))
    assert months[0].start == D(2025, 12, 15)


def test_the_cut_off_day_is_a_setting(settings):
    settings.SUMMARY_CUTOFF_DAY = 20
    month = period_ending(Kind.MONTH, 2027, 1)
    assert (month.start, month.end) == (D(2026, 12, 21), D(2027, 1, 20))
    assert period_ending(Kind.YEAR, 2026, 12).start == D(2025, 12, 21)
    assert reporting_month(D(2026, 12, 20)) == (2026, 12)
    assert reporting_month(D(2026, 12, 21)) == (2027, 1)
    assert last_cutoff(D(2026, 11, 20)) == D(2026, 10, 20)
    assert kinds_ending_on(D(2026, 12, 14)) == []
    settings.SUMMARY_CUTOFF_DAY = 28  # exists in every February
    assert period_ending(Kind.MONTH, 2026, 3).start == D(2026, 3, 1)
    settings.SUMMARY_CUTOFF_DAY = 31
    with pytest.raises(ImproperlyConfigured):
        period_ending(Kind.MONTH, 2026, 3)
