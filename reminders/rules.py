"""The reminder rules, as pure functions of a deadline, the calendar, the office's policy and a day.

A deadline D gets, by default (the office changes the numbers in the admin):
1. "before" notices 7, 3 and 1 working days before D (`step` = that number);
2. a "due" notice on D, or on the last working day before D when D is a day off;
3. an "overdue" notice on the first working day after D (`step` 0), then one every 7 days
   (`step` 1, 2, …; moved to the next working day when it falls on a day off) while it stays late;
4. an "escalation" to the leader in charge and the office once it is more than 30 days late.
When two notices of the same deadline fall on the same day the more urgent one is kept.

Work without a deadline gets a "no_report" flag after 90 days without a progress report.

A recurring task (a report due each month, quarter, half year or year) has one deadline per
occurrence, reminded like any other. Occurrence due dates: the last day of each period
(31/01, 28/02 …; 31/03, 30/06 …; 30/06, 31/12; 31/12), or, when the task has a deadline, the
same month-of-period and day as that deadline (deadline 20/01 monthly → the 20th of each month,
cut to the month's last day; quarterly with 15/02 → 15/02, 15/05, 15/08, 15/11).
Which occurrence a progress report answers: reports fill the oldest unanswered occurrence first,
so the latest past occurrence P is answered by any lead report after the occurrence before it,
and the coming one by a report after P only once P has its own.
"""

import calendar as std_calendar
import dataclasses
import datetime
from collections.abc import Sequence

from core.dates import month_end

from .calendar import WorkingCalendar

BEFORE, DUE, OVERDUE, ESCALATION, NO_REPORT = "before", "due", "overdue", "escalation", "no_report"
# Notices whose reminders supporting agencies also receive (the "lighter notice").
SUPPORT_NOTICES = {(DUE, 0), (OVERDUE, 0)}
# How far a scheduled day can move to reach a working day (Tết with its weekends is ~10 days).
MAX_SHIFT_DAYS = 20
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


@dataclasses.dataclass(frozen=True)
class Rules:
    """A snapshot of the office's policy, so the rules stay pure."""

    before_days: tuple[int, ...] = (7, 3, 1)
    on_due_day: bool = True
    overdue_repeat_days: int = 7
    escalate_after_days: int = 30
    no_report_days: int = 90

    @classmethod
    def from_policy(cls, policy) -> "Rules":
        return cls(
            before_days=policy.before_days,
            on_due_day=policy.remind_on_due_day,
            overdue_repeat_days=policy.overdue_repeat_days,
            escalate_after_days=policy.escalate_after_days,
            no_report_days=policy.no_report_days,
        )

    @property
    def lookahead_days(self) -> int:
        """Calendar days before a deadline that its first notice can fire (generous)."""
        return 2 * max(self.before_days, default=0) + MAX_SHIFT_DAYS


@dataclasses.dataclass(frozen=True)
class Notice:
    kind: str
    step: int
    due_date: datetime.date
    fire_on: datetime.date
    days: int
    is_occurrence: bool = False

    @property
    def rank(self) -> tuple:
        """Urgency among notices of one deadline: before (far → near) < due < overdue (0, 1, …)."""
        order = {BEFORE: 0, DUE: 1, OVERDUE: 2, ESCALATION: 3, NO_REPORT: 4}[self.kind]
        return (order, -self.step if self.kind == BEFORE else self.step)

    @property
    def for_supporters(self) -> bool:
        return (self.kind, self.step) in SUPPORT_NOTICES


def _in(day: datetime.date, start: datetime.date, end: datetime.date) -> bool:
    return start <= day <= end


def deadline_notice(
    deadline: datetime.date,
    window_start: datetime.date,
    today: datetime.date,
    cal: WorkingCalendar,
    rules: Rules,
    *,
    is_occurrence: bool = False,
    before_part: bool = True,
    overdue_part: bool = True,
) -> Notice | None:
    """The most urgent before/due/overdue notice of `deadline` that fires in [window_start, today].

    Only one per run: a notice overtaken by a more urgent one before it could go out (the jobs
    did not run for days) is folded into the later one, so the agency is told once, up to date.
    """
    found: list[Notice] = []

    def add(kind, step, fire, days):
        if _in(fire, window_start, today):
            found.append(Notice(kind, step, deadline, fire, days, is_occurrence))

    if before_part and deadline >= window_start and deadline >= today:
        for n in rules.before_days:
            add(BEFORE, n, cal.add_working_days(deadline, -n), n)
        if rules.on_due_day:
            add(DUE, 0, cal.previous_working_day(deadline), 0)
    if overdue_part and deadline < today:
        first = cal.next_working_day(deadline, strictly_after=True)
        add(OVERDUE, 0, first, (first - deadline).days)
        repeat = rules.overdue_repeat_days
        if repeat:
            lowest = window_start - datetime.timedelta(days=MAX_SHIFT_DAYS)
            k = max(1, (lowest - first).days // repeat)
            while (base := first + datetime.timedelta(days=k * repeat)) <= today:
                fire = cal.next_working_day(base)
                add(OVERDUE, k, fire, (fire - deadline).days)
                k += 1
    if not found:
        return None
    return max(found, key=lambda notice: (notice.fire_on, notice.rank))


def deadlines_firing(
    window_start: datetime.date,
    today: datetime.date,
    earliest_deadline: datetime.date | None,
    cal: WorkingCalendar,
    rules: Rules,
) -> dict[datetime.date, Notice]:
    """Every deadline that has a notice in [window_start, today], with that notice.

    The scan then asks the database only for assignments with these deadlines.
    """
    result: dict[datetime.date, Notice] = {}
    start = min(window_start, today)
    if earliest_deadline is not None:
        start = min(start, earliest_deadline)
    end = today + datetime.timedelta(days=rules.lookahead_days)
    day = start
    while day <= end:
        notice = deadline_notice(day, window_start, today, cal, rules)
        if notice is not None:
            result[day] = notice
        day += datetime.timedelta(days=1)
    return result


def escalation_notice(deadline: datetime.date, today: datetime.date, rules: Rules, **extra) -> Notice | None:
    """Escalate once a deadline is more than `escalate_after_days` behind (once per deadline)."""
    late = (today - deadline).days
    if late > rules.escalate_after_days:
        return Notice(ESCALATION, 0, deadline, today, late, **extra)
    return None


def no_report_notice(quiet_since: datetime.date, today: datetime.date, rules: Rules) -> Notice | None:
    """Flag work without a deadline that has had no progress report for `no_report_days` days.

    Its key date is the day the silence began (the last report, else the assignment), so each
    silent stretch is flagged once, and a new report starts a new one."""
    quiet = (today - quiet_since).days
    if quiet >= rules.no_report_days:
        return Notice(NO_REPORT, 0, quiet_since, today, quiet)
    return None


# Recurring tasks -------------------------------------------------------------------------------


def occurrence(period_index: int, recurrence: str, anchor: datetime.date | None) -> datetime.date:
    """The due date of period number `period_index` (periods counted from year 0)."""
    months = PERIOD_MONTHS[recurrence]
    per_year = 12 // months
    year, first_month = divmod(period_index, per_year)
    first_month = first_month * months + 1
    if anchor is None:
        return month_end(year, first_month + months - 1)
    month = first_month + (anchor.month - 1) % months
    return datetime.date(year, month, min(anchor.day, std_calendar.monthrange(year, month)[1]))


def occurrences_around(
    day: datetime.date, recurrence: str, anchor: datetime.date | None
) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(the occurrence before the previous one, the previous one (< day), the next one (≥ day))."""
    months = PERIOD_MONTHS[recurrence]
    index = day.year * (12 // months) + (day.month - 1) // months
    current = occurrence(index, recurrence, anchor)
    if current >= day:
        return occurrence(index - 2, recurrence, anchor), occurrence(index - 1, recurrence, anchor), current
    return occurrence(index - 1, recurrence, anchor), current, occurrence(index + 1, recurrence, anchor)


def recurring_notices(
    recurrence: str,
    anchor: datetime.date | None,
    started_on: datetime.date | None,
    report_dates: Sequence[datetime.date],
    window_start: datetime.date,
    today: datetime.date,
    cal: WorkingCalendar,
    rules: Rules,
) -> list[Notice]:
    """The notices a recurring assignment has in [window_start, today] (escalation: windowless).

    The latest past occurrence P is answered by a report after the occurrence before it; the
    coming occurrence U by a report after P, once P has its own (two reports since then).
    """
    before_previous, previous, upcoming = occurrences_around(today, recurrence, anchor)
    reports = [d for d in report_dates if d <= today]
    notices: list[Notice] = []
    previous_applies = started_on is None or previous >= started_on
    if previous_applies:
        since_before_previous = [d for d in reports if d > before_previous]
        previous_answered = bool(since_before_previous)
        upcoming_answered = len(since_before_previous) >= 2 and any(d > previous for d in reports)
        if not previous_answered:
            late = deadline_notice(
                previous, window_start, today, cal, rules, is_occurrence=True, before_part=False
            )
            if late:
                notices.append(late)
            escalation = escalation_notice(previous, today, rules, is_occurrence=True)
            if escalation:
                notices.append(escalation)
    else:
        upcoming_answered = any(d > previous for d in reports)
    if not upcoming_answered and (started_on is None or upcoming >= started_on):
        soon = deadline_notice(
            upcoming, window_start, today, cal, rules, is_occurrence=True, overdue_part=False
        )
        if soon:
            notices.append(soon)
    return notices
