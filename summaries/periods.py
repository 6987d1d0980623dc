"""Reporting periods of Nghị định 09/2019/NĐ-CP, as pure functions of a date.

A month runs from the day after the cut-off of the previous month to the cut-off of the reporting
month: with the default cut-off day 14, "tháng 11/2026" is 15/10/2026 .. 14/11/2026 and "tháng
01/2027" is 15/12/2026 .. 14/01/2027. Every longer period starts where the reporting year starts
(the day after the December cut-off of the previous year) — except a quarter, which starts after
the previous quarter — and ends on the cut-off of its last month:

    quarter I   15/12 (previous year) .. 14/03      6 months   15/12 .. 14/06
    quarter II  15/03 .. 14/06                      9 months   15/12 .. 14/09
    quarter III 15/06 .. 14/09                      year       15/12 .. 14/12
    quarter IV  15/09 .. 14/12

The cut-off day comes from settings.SUMMARY_CUTOFF_DAY (1..28, so that it exists in every month).
A summary may also be produced for any past date: its period is the period of its kind that
contains the date, cut short at that date.
"""

import dataclasses
import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from core.dates import format_day

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class Kind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEAR = "year", _("Năm")


# The reporting month each kind ends on, within the reporting year.
END_MONTHS = {
    Kind.MONTH: tuple(range(1, 13)),
    Kind.QUARTER: (3, 6, 9, 12),
    Kind.HALF: (6,),
    Kind.NINE_MONTHS: (9,),
    Kind.YEAR: (12,),
}


def cutoff_day() -> int:
    # Checked here as well as in settings.py: the office may change the setting between two runs.
    day = settings.SUMMARY_CUTOFF_DAY
    if not 1 <= day <= 28:
        raise ImproperlyConfigured("SUMMARY_CUTOFF_DAY must be a day from 1 to 28.")
    return day


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_cutoff(year: int, month: int) -> datetime.date:
    """The cut-off of a reporting month: the cut-off day of that calendar month."""
    return datetime.date(year, month, cutoff_day())


def reporting_month(day: datetime.date) -> tuple[int, int]:
    """The reporting month a date belongs to: after the cut-off day, the next calendar month."""
    if day.day <= cutoff_day():
        return day.year, day.month
    return _add_months(day.year, day.month, 1)


@dataclasses.dataclass(frozen=True)
class Period:
    kind: str
    year: int  # the reporting year (the one whose December cut-off ends it)
    month: int  # the reporting month the period ends on
    start: datetime.date
    end: datetime.date  # the standard cut-off of the period
    cut_off: datetime.date  # `end`, or an earlier date for a summary produced part-way

    @property
    def is_complete(self) -> bool:
        return self.cut_off == self.end

    @property
    def name(self) -> str:
        """Short name: "Tháng 11/2026", "Quý IV/2026", "6 tháng năm 2026"…"""
        if self.kind == Kind.MONTH:
            return _g("Tháng %(m)02d/%(y)s") % {"m": self.month, "y": self.year}
        if self.kind == Kind.QUARTER:
            return _g("Quý %(q)s/%(y)s") % {"q": ROMAN[self.month // 3], "y": self.year}
        if self.kind == Kind.HALF:
            return _g("6 tháng đầu năm %(y)s") % {"y": self.year}
        if self.kind == Kind.NINE_MONTHS:
            return _g("9 tháng năm %(y)s") % {"y": self.year}
        return _g("Năm %(y)s") % {"y": self.year}

    @property
    def subject(self) -> str:
        """How the report's title names its period: "tháng 11 năm 2026", "quý IV năm 2026"…"""
        if self.kind == Kind.MONTH:
            text = _g("tháng %(m)02d năm %(y)s") % {"m": self.month, "y": self.year}
        elif self.kind == Kind.QUARTER:
            text = _g("quý %(q)s năm %(y)s") % {"q": ROMAN[self.month // 3], "y": self.year}
        elif self.kind == Kind.HALF:
            text = _g("6 tháng đầu năm %(y)s") % {"y": self.year}
        elif self.kind == Kind.NINE_MONTHS:
            text = _g("9 tháng năm %(y)s") % {"y": self.year}
        else:
            text = _g("năm %(y)s") % {"y": self.year}
        return text

    @property
    def span(self) -> str:
        """ "từ ngày 15/10/2026 đến ngày 14/11/2026" (the cut-off, when produced part-way)."""
        return _g("từ ngày %(start)s đến ngày %(end)s") % {
            "start": format_day(self.start),
            "end": format_day(self.cut_off),
        }


def _period(kind: str, year: int, month: int, cut_off: datetime.date | None = None) -> Period:
    end = month_cutoff(year, month)
    if kind == Kind.MONTH:
        first_year, first_month = _add_months(year, month, -1)
    elif kind == Kind.QUARTER:
        first_year, first_month = _add_months(year, month, -3)
    else:
        first_year, first_month = year - 1, 12
    start = month_cutoff(first_year, first_month) + datetime.timedelta(days=1)
    return Period(kind=kind, year=year, month=month, start=start, end=end, cut_off=cut_off or end)


def period_ending(kind: str, year: int, month: int) -> Period:
    """The period of `kind` that ends on the cut-off of reporting month `month` of `year`."""
    kind = Kind(kind)
    if month not in END_MONTHS[kind]:
        raise ValueError(f"{kind} does not end in month {month}")
    return _period(kind, year, month)


def period_containing(kind: str, day: datetime.date) -> Period:
    """The period of `kind` that contains `day`, cut off at `day` (or complete when `day` ends it)."""
    kind = Kind(kind)
    year, month = reporting_month(day)
    last = next(m for m in END_MONTHS[kind] if m >= month)
    period = _period(kind, year, last)
    return dataclasses.replace(period, cut_off=day)


def previous(period: Period) -> Period:
    """The period a summary is compared with: the previous month or quarter; for 6 months, 9 months
    and the year, the same period of the previous year. A part-way period is compared with the whole
    previous one."""
    if period.kind == Kind.MONTH:
        return _period(Kind.MONTH, *_add_months(period.year, period.month, -1))
    if period.kind == Kind.QUARTER:
        return _period(Kind.QUARTER, *_add_months(period.year, period.month, -3))
    return _period(period.kind, period.year - 1, period.month)


def last_cutoff(today: datetime.date) -> datetime.date:
    """The latest standard cut-off whose day is over (strictly before `today`)."""
    year, month = today.year, today.month
    if today.day <= cutoff_day():
        year, month = _add_months(year, month, -1)
    return month_cutoff(year, month)


def kinds_ending_on(cut_off: datetime.date) -> list[str]:
    """The kinds whose period ends on a standard cut-off: the month always, and the quarter, 6 months,
    9 months and year when the month ends one."""
    if cut_off.day != cutoff_day():
        return []
    return [kind for kind in Kind if cut_off.month in END_MONTHS[kind]]


def months_of_year(year: int, up_to: datetime.date) -> list[Period]:
    """The monthly periods of reporting year `year` whose cut-off is on or before `up_to`."""
    return [period_ending(Kind.MONTH, year, m) for m in range(1, 13) if month_cutoff(year, m) <= up_to]
