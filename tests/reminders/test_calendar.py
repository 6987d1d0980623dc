"""Working days: Vietnam's weekends and holidays (Tết included) and the days the office adds."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from reminders import services
from reminders.calendar import WorkingCalendar, add_working_days, is_working_day, working_days_between
from reminders.models import OfficeDay

D = datetime.date
CAL = WorkingCalendar()


@pytest.mark.parametrize(
    "day",
    [
        # Tết Giáp Thìn 2024: 08/02 (29 Tết) to 14/02 (mùng 5).
        *[D(2024, 2, n) for n in range(8, 15)],
        # Tết Ất Tỵ 2025: 27/01 (29 Tết) to 31/01 (mùng 3), with the weekends around it.
        *[D(2025, 1, n) for n in range(25, 32)],
        D(2025, 2, 1),
        D(2025, 2, 2),
        D(2024, 4, 29),  # the day off given in exchange for Saturday 04/05/2024
        D(2026, 9, 2),  # Quốc khánh
        D(2026, 11, 22),  # a Sunday (the tests' NOW)
        D(2026, 11, 24),  # Ngày Văn hóa Việt Nam
    ],
)
def test_days_off(day):
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2024, 2, 7),  # the last working day before Tết 2024
        D(2024, 2, 15),  # the first one after it
        D(2025, 2, 3),  # the first one after Tết 2025
        D(2024, 5, 4),  # a Saturday worked to make up for 29/04/2024
        D(2025, 4, 26),  # idem for 02/05/2025
        D(2026, 11, 23),  # a Monday
    ],
)
def test_working_days(day):
    assert CAL.is_working_day(day)


def test_counting_working_days_jumps_over_weekends_and_tet():
    assert CAL.add_working_days(D(2024, 2, 7), 1) == D(2024, 2, 15)
    assert CAL.add_working_days(D(2024, 2, 15), -1) == D(2024, 2, 7)
    assert CAL.add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday → Monday
    assert CAL.add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)  # over Ngày Văn hóa Việt Nam
    assert CAL.add_working_days(D(2026, 11, 23), -1) == D(2026, 11, 20)
    assert CAL.add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)
    assert CAL.working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1
    assert CAL.working_days_between(D(2024, 2, 7), D(2024, 2, 15)) == 1
    assert CAL.working_days_between(D(2024, 2, 15), D(2024, 2, 7)) == -1
    assert CAL.working_days_between(D(2026, 11, 2), D(2026, 11, 30)) == 19  # 20 weekdays, one holiday


def test_next_and_previous_working_day():
    assert CAL.next_working_day(D(2025, 1, 25)) == D(2025, 2, 3)
    assert CAL.next_working_day(D(2025, 2, 3)) == D(2025, 2, 3)
    assert CAL.next_working_day(D(2025, 2, 3), strictly_after=True) == D(2025, 2, 4)
    assert CAL.previous_working_day(D(2025, 2, 2)) == D(2025, 1, 24)
    assert CAL.previous_working_day(D(2025, 1, 24), strictly_before=True) == D(2025, 1, 23)


@pytest.mark.django_db
def test_the_office_adds_a_make_up_saturday_and_a_day_off():
    saturday, friday = D(2026, 11, 28), D(2026, 11, 27)
    assert is_working_day(friday) and not is_working_day(saturday)
    services.set_office_day(saturday, OfficeDay.Kind.WORKING_DAY, "Làm bù cho ngày 02/01/2027")
    services.set_office_day(friday, OfficeDay.Kind.DAY_OFF, "Nghỉ theo quyết định của UBND tỉnh")
    assert is_working_day(saturday) and not is_working_day(friday)
    assert add_working_days(D(2026, 11, 26), 1) == saturday
    assert working_days_between(D(2026, 11, 26), D(2026, 11, 30)) == 2
    # The office's row wins over the package's calendar, both ways.
    services.set_office_day(D(2024, 2, 15), OfficeDay.Kind.DAY_OFF)
    services.set_office_day(D(2024, 2, 10), OfficeDay.Kind.WORKING_DAY)
    cal = WorkingCalendar.load()
    assert not cal.is_working_day(D(2024, 2, 15)) and cal.is_working_day(D(2024, 2, 10))
    # Changing a day's kind updates the same row.
    services.set_office_day(saturday, OfficeDay.Kind.DAY_OFF)
    assert OfficeDay.objects.filter(day=saturday).count() == 1
    assert not is_working_day(saturday)


@pytest.mark.django_db
def test_a_bad_kind_of_office_day_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError) as error:
        services.set_office_day(D(2026, 11, 28), "holiday")
    assert "Loại ngày không hợp lệ" in str(error.value)
    assert not OfficeDay.objects.exists()
