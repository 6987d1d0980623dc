"""The reminder rules as pure functions, with the calendar around Tết, weekends and make-up Saturdays."""

import datetime

import pytest

from reminders import rules
from reminders.calendar import WorkingCalendar
from reminders.rules import Rules, deadline_notice

D = datetime.date
CAL = WorkingCalendar()
DEFAULT = Rules()


def each_day(start, end):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def schedule(deadline, start, end, cal=CAL, the_rules=DEFAULT):
    """What a scan running every day from start to end would send about `deadline`."""
    return [
        (notice.fire_on, notice.kind, notice.step)
        for day in each_day(start, end)
        if (notice := deadline_notice(deadline, day, day, cal, the_rules))
    ]


def test_a_deadline_on_an_ordinary_friday():
    # 7 working days before Friday 04/12/2026 skips Ngày Văn hóa Việt Nam (24/11).
    assert schedule(D(2026, 12, 4), D(2026, 11, 1), D(2026, 12, 31)) == [
        (D(2026, 11, 25), "before", 7),
        (D(2026, 12, 1), "before", 3),
        (D(2026, 12, 3), "before", 1),
        (D(2026, 12, 4), "due", 0),
        (D(2026, 12, 7), "overdue", 0),  # the first working day after
        (D(2026, 12, 14), "overdue", 1),  # then every 7 days
        (D(2026, 12, 21), "overdue", 2),
        (D(2026, 12, 28), "overdue", 3),
    ]


def test_a_deadline_just_after_tet_2025():
    # Tết Ất Tỵ: no working day from Saturday 25/01 to Sunday 02/02/2025.
    assert schedule(D(2025, 2, 5), D(2025, 1, 1), D(2025, 2, 12)) == [
        (D(2025, 1, 20), "before", 7),
        (D(2025, 1, 24), "before", 3),
        (D(2025, 2, 4), "before", 1),
        (D(2025, 2, 5), "due", 0),
        (D(2025, 2, 6), "overdue", 0),
    ]


def test_a_deadline_inside_tet_is_announced_on_the_last_working_day_before_it():
    # 29/01/2025 is Tết: "due" moves to Friday 24/01, where it meets "before 1" and wins.
    assert schedule(D(2025, 1, 29), D(2025, 1, 1), D(2025, 2, 8)) == [
        (D(2025, 1, 16), "before", 7),
        (D(2025, 1, 22), "before", 3),
        (D(2025, 1, 24), "due", 0),
        (D(2025, 2, 3), "overdue", 0),
    ]


def test_a_weekly_overdue_notice_falling_in_tet_2024_moves_to_the_first_working_day_after():
    notices = schedule(D(2024, 1, 29), D(2024, 1, 30), D(2024, 2, 21))
    assert notices == [
        (D(2024, 1, 30), "overdue", 0),
        (D(2024, 2, 6), "overdue", 1),
        (D(2024, 2, 15), "overdue", 2),  # 13/02 is Tết
        (D(2024, 2, 20), "overdue", 3),
    ]


def test_a_deadline_on_a_sunday():
    assert schedule(D(2026, 11, 29), D(2026, 11, 25), D(2026, 12, 1)) == [
        (D(2026, 11, 25), "before", 3),  # three working days before: 25, 26, 27/11
        (D(2026, 11, 27), "due", 0),  # Friday: "before 1" and "due" fall together
        (D(2026, 11, 30), "overdue", 0),
    ]


def test_a_make_up_saturday_added_by_the_office_is_a_working_day_for_the_rules():
    saturday = D(2026, 11, 28)
    cal = WorkingCalendar(working_days=[saturday])
    assert schedule(D(2026, 11, 30), D(2026, 11, 25), D(2026, 12, 1), cal=cal) == [
        (D(2026, 11, 26), "before", 3),
        (D(2026, 11, 28), "before", 1),  # the make-up Saturday
        (D(2026, 11, 30), "due", 0),
        (D(2026, 12, 1), "overdue", 0),
    ]
    # Without it, "before 1" is the Friday.
    assert (D(2026, 11, 27), "before", 1) in schedule(D(2026, 11, 30), D(2026, 11, 25), D(2026, 12, 1))


def test_the_governments_make_up_saturday_of_2024():
    # 29/04/2024 was given off in exchange for working Saturday 04/05/2024.
    assert schedule(D(2024, 5, 6), D(2024, 4, 20), D(2024, 5, 6)) == [
        (D(2024, 4, 23), "before", 7),  # 27/04 to 01/05 are days off
        (D(2024, 5, 2), "before", 3),
        (D(2024, 5, 4), "before", 1),
        (D(2024, 5, 6), "due", 0),
    ]


def test_the_office_changes_the_numbers():
    the_rules = Rules(before_days=(5,), on_due_day=False, overdue_repeat_days=0)
    assert schedule(D(2026, 12, 4), D(2026, 11, 1), D(2026, 12, 31), the_rules=the_rules) == [
        (D(2026, 11, 27), "before", 5),
        (D(2026, 12, 7), "overdue", 0),
    ]


def test_a_late_run_sends_the_most_urgent_notice_once():
    # The jobs did not run from 01/12 to 03/12: on 04/12 the agency is told "due", not three notices.
    notice = deadline_notice(D(2026, 12, 4), D(2026, 12, 1), D(2026, 12, 4), CAL, DEFAULT)
    assert (notice.kind, notice.fire_on) == ("due", D(2026, 12, 4))
    # Nothing ran on 03/12 alone: the next run on 03/12 still tells "before 1".
    notice = deadline_notice(D(2026, 12, 4), D(2026, 12, 2), D(2026, 12, 3), CAL, DEFAULT)
    assert (notice.kind, notice.step) == ("before", 1)
    # Two weeks of silence while late: one notice, the latest weekly one.
    notice = deadline_notice(D(2026, 12, 4), D(2026, 12, 8), D(2026, 12, 22), CAL, DEFAULT)
    assert (notice.kind, notice.step, notice.fire_on) == ("overdue", 2, D(2026, 12, 21))
    assert notice.days == 17


def test_deadlines_firing_lists_exactly_the_deadlines_with_a_notice_in_the_window():
    today = D(2026, 11, 23)
    for window_start in (today, D(2026, 11, 18), D(2026, 11, 2)):
        firing = rules.deadlines_firing(window_start, today, D(2024, 1, 1), CAL, DEFAULT)
        for deadline in each_day(D(2024, 1, 1), D(2027, 1, 31)):
            assert (deadline in firing) == bool(deadline_notice(deadline, window_start, today, CAL, DEFAULT))
        assert all(window_start <= n.fire_on <= today for n in firing.values())
    # A one-day window on a Monday: late deadlines whose weekly cycle falls on Mondays, i.e. those
    # that fell on a Friday, Saturday or Sunday (first working day after: a Monday), about 3 in 7.
    firing = rules.deadlines_firing(today, today, D(2024, 1, 1), CAL, DEFAULT)
    late = [d for d in firing if d < today]
    assert 0.38 < len(late) / (today - D(2024, 1, 1)).days < 0.48
    assert sum(d.weekday() in (4, 5, 6) for d in late) / len(late) > 0.9


def test_escalation_after_more_than_30_days():
    assert rules.escalation_notice(D(2026, 10, 23), D(2026, 11, 22), DEFAULT) is None  # 30 days late
    notice = rules.escalation_notice(D(2026, 10, 22), D(2026, 11, 23), DEFAULT)
    assert (notice.kind, notice.days, notice.due_date) == ("escalation", 32, D(2026, 10, 22))


def test_no_report_after_90_days():
    assert rules.no_report_notice(D(2026, 8, 26), D(2026, 11, 23), DEFAULT) is None  # 89 days
    notice = rules.no_report_notice(D(2026, 8, 25), D(2026, 11, 23), DEFAULT)
    assert (notice.kind, notice.days, notice.due_date, notice.fire_on) == (
        "no_report",
        90,
        D(2026, 8, 25),
        D(2026, 11, 23),
    )


@pytest.mark.parametrize(
    "recurrence, anchor, day, expected",
    [
        ("monthly", None, D(2026, 11, 23), (D(2026, 9, 30), D(2026, 10, 31), D(2026, 11, 30))),
        ("monthly", None, D(2026, 11, 30), (D(2026, 9, 30), D(2026, 10, 31), D(2026, 11, 30))),
        ("monthly", None, D(2026, 12, 1), (D(2026, 10, 31), D(2026, 11, 30), D(2026, 12, 31))),
        ("monthly", D(2023, 1, 31), D(2024, 3, 1), (D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31))),
        ("monthly", D(2023, 1, 20), D(2026, 11, 23), (D(2026, 10, 20), D(2026, 11, 20), D(2026, 12, 20))),
        ("quarterly", None, D(2026, 11, 23), (D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 31))),
        ("quarterly", D(2023, 2, 15), D(2026, 11, 23), (D(2026, 8, 15), D(2026, 11, 15), D(2027, 2, 15))),
        ("half_yearly", None, D(2026, 11, 23), (D(2025, 12, 31), D(2026, 6, 30), D(2026, 12, 31))),
        ("yearly", D(2023, 3, 20), D(2026, 11, 23), (D(2025, 3, 20), D(2026, 3, 20), D(2027, 3, 20))),
        ("yearly", None, D(2027, 1, 1), (D(2025, 12, 31), D(2026, 12, 31), D(2027, 12, 31))),
    ],
)
def test_occurrences_of_a_recurring_task(recurrence, anchor, day, expected):
    assert rules.occurrences_around(day, recurrence, anchor) == expected


ASSIGNED = D(2023, 1, 19)


def recurring(reports, today, started=ASSIGNED, recurrence="monthly"):
    notices = rules.recurring_notices(recurrence, None, started, reports, today, today, CAL, DEFAULT)
    return [(n.kind, n.step, n.due_date) for n in notices]


def test_a_recurring_report_not_sent_is_urged_like_any_late_deadline():
    # Monthly, due 31/10/2026 (Saturday); no report since: overdue from Monday 02/11, weekly after.
    assert recurring([D(2026, 9, 28)], D(2026, 11, 2)) == [("overdue", 0, D(2026, 10, 31))]
    assert recurring([D(2026, 9, 28)], D(2026, 11, 9)) == [("overdue", 1, D(2026, 10, 31))]
    assert recurring([D(2026, 9, 28)], D(2026, 11, 10)) == []  # no notice on that day
    # The coming occurrence (30/11) has its own "before" notices at the same time.
    assert recurring([D(2026, 9, 28)], D(2026, 11, 25)) == [("before", 3, D(2026, 11, 30))]


def test_which_occurrence_a_report_answers():
    today = D(2026, 11, 25)  # three working days before 30/11
    # October's report on time, November's not yet: remind November.
    assert recurring([D(2026, 10, 30)], today) == [("before", 3, D(2026, 11, 30))]
    # October's report sent late (in November): it answers October; November is still due.
    assert recurring([D(2026, 11, 3)], today) == [("before", 3, D(2026, 11, 30))]
    # October on time and November early: nothing to remind.
    assert recurring([D(2026, 10, 30), D(2026, 11, 20)], today) == []
    # Nothing at all since September: October is late (no notice today) and November is coming.
    assert recurring([], D(2026, 11, 2)) == [("overdue", 0, D(2026, 10, 31))]


def test_a_recurring_task_is_not_reminded_before_it_was_assigned():
    assert recurring([], D(2026, 11, 2), started=D(2026, 11, 1)) == []
    assert recurring([], D(2026, 11, 25), started=D(2026, 11, 1)) == [("before", 3, D(2026, 11, 30))]


def test_a_quarterly_report_late_for_more_than_30_days_is_escalated():
    notices = rules.recurring_notices(
        "quarterly", None, D(2023, 1, 1), [], D(2026, 11, 23), D(2026, 11, 23), CAL, DEFAULT
    )
    kinds = {(n.kind, n.due_date) for n in notices}
    assert ("escalation", D(2026, 9, 30)) in kinds
    assert all(n.is_occurrence for n in notices)
