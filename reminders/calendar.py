"""Working days in Cà Mau: Vietnam's weekends and public holidays, plus the days the office adds.

The `holidays` package knows Vietnam's public holidays (Tết Nguyên Đán, Giỗ Tổ Hùng Vương, 30/4,
1/5, Quốc khánh, …), the days off given in exchange, and the Saturdays the government turns into
working days to make up for them. The office adds `OfficeDay` rows (an extra day off, a make-up
working Saturday); an office row always wins over the package.

`WorkingCalendar` is pure once built; `load()` reads the office's days with one query.
"""

import datetime
from collections.abc import Iterable

import holidays

from .models import OfficeDay

ONE_DAY = datetime.timedelta(days=1)
# No run of days off in Vietnam is anywhere near this long; it only stops a bad calendar looping.
MAX_DAYS_OFF_IN_A_ROW = 60


class WorkingCalendar:
    def __init__(self, days_off: Iterable[datetime.date] = (), working_days: Iterable[datetime.date] = ()):
        self.days_off = frozenset(days_off)
        self.working_days = frozenset(working_days)
        self._vietnam = holidays.country_holidays("VN", language="vi")

    @classmethod
    def load(cls) -> "WorkingCalendar":
        rows = list(OfficeDay.objects.values_list("day", "kind"))
        return cls(
            days_off=[day for day, kind in rows if kind == OfficeDay.Kind.DAY_OFF],
            working_days=[day for day, kind in rows if kind == OfficeDay.Kind.WORKING_DAY],
        )

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        return self._vietnam.is_working_day(day)

    def holiday_name(self, day: datetime.date) -> str | None:
        return self._vietnam.get(day)

    def next_working_day(self, day: datetime.date, *, strictly_after: bool = False) -> datetime.date:
        """The first working day on or after `day` (strictly after it with `strictly_after`)."""
        current = day + ONE_DAY if strictly_after else day
        for _ in range(MAX_DAYS_OFF_IN_A_ROW):
            if self.is_working_day(current):
                return current
            current += ONE_DAY
        raise ValueError(f"No working day within {MAX_DAYS_OFF_IN_A_ROW} days of {day}")

    def previous_working_day(self, day: datetime.date, *, strictly_before: bool = False) -> datetime.date:
        """The last working day on or before `day` (strictly before it with `strictly_before`)."""
        current = day - ONE_DAY if strictly_before else day
        for _ in range(MAX_DAYS_OFF_IN_A_ROW):
            if self.is_working_day(current):
                return current
            current -= ONE_DAY
        raise ValueError(f"No working day within {MAX_DAYS_OFF_IN_A_ROW} days of {day}")

    def add_working_days(self, day: datetime.date, n: int) -> datetime.date:
        """Count n working days from `day` (not counting `day` itself); negative n counts back.

        add_working_days(Monday, -1) is the Friday before; add_working_days(Friday, 1) the Monday after.
        """
        current = day
        step = ONE_DAY if n >= 0 else -ONE_DAY
        for _ in range(abs(n)):
            current = (
                self.next_working_day(current, strictly_after=True)
                if step > datetime.timedelta(0)
                else self.previous_working_day(current, strictly_before=True)
            )
        return current

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]: how many working days from `start` until `end`.

        Negative when end is before start. working_days_between(Friday, Monday) == 1.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count, current = 0, start
        while current < end:
            current += ONE_DAY
            if self.is_working_day(current):
                count += 1
        return count


def is_working_day(day: datetime.date, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar or WorkingCalendar.load()).is_working_day(day)


def add_working_days(day: datetime.date, n: int, calendar: WorkingCalendar | None = None) -> datetime.date:
    return (calendar or WorkingCalendar.load()).add_working_days(day, n)


def working_days_between(
    start: datetime.date, end: datetime.date, calendar: WorkingCalendar | None = None
) -> int:
    return (calendar or WorkingCalendar.load()).working_days_between(start, end)
