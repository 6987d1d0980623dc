"""What a scan would create on a day, read from the database; nothing is written here.

The scan (services.run_scan) and the dry run (`manage.py remind --dry-run`) both call `plan()`, so
the office checks exactly what the job does. Status and deadline come only from
tracking.classification.with_status. The work is done by a few queries whose number does not
grow with the data:
1. deadlines: the rules list the deadlines that have a notice in the window; the database returns
   the open assignments whose effective deadline is one of them and that have had no notice about
   that deadline since the window began;
2. escalations: open assignments late by more than the policy's days, not yet escalated for
   their current deadline;
3. no report: open work without a deadline, quiet for the policy's days, not flagged since its
   last report;
4. recurring tasks: their occurrences are computed in Python (they are few), with their lead
   agency's report dates read in one query.
The window starts the day after the last completed scan (today if it already ran today), so
days the jobs missed (Redis down, workers stopped) are caught up on the next run.
"""

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from directives.models import Assignment, Task
from tracking.classification import OPEN_STATUSES, OVERDUE_STATUSES, Status, with_status
from tracking.models import ProgressReport

from . import rules
from .calendar import WorkingCalendar
from .models import Reminder

DEADLINE_KINDS = (rules.BEFORE, rules.DUE, rules.OVERDUE)
# Above this many deadlines the query asks for their range and Python keeps the listed ones.
MAX_LISTED_DEADLINES = 300
VALUES = ("id", "agency_id", "task_id", "task__leader_id")


@dataclasses.dataclass(frozen=True)
class PlannedReminder:
    assignment_id: int
    agency_id: int
    task_id: int
    leader_id: int | None
    notice: rules.Notice


@dataclasses.dataclass
class Plan:
    today: datetime.date
    window_start: datetime.date
    working_day: bool
    rules: rules.Rules
    reminders: list[PlannedReminder]


def window_start_for(today: datetime.date, last_completed_on: datetime.date | None) -> datetime.date:
    """The first day whose notices this run must cover: the day after the last completed scan."""
    if last_completed_on is None or last_completed_on >= today:
        return today
    return last_completed_on + datetime.timedelta(days=1)


def _without(assignments, reminders):
    """The assignments that have none of `reminders` (correlated on the assignment) yet.

    A scalar subquery rather than NOT EXISTS on purpose: PostgreSQL runs it as one probe of the
    unique key's index per candidate, whereas the anti-join it plans from the badly estimated
    status filter compared every candidate with every reminder (7 s instead of 0.1 s at 100,000
    tasks)."""
    return assignments.annotate(known_reminder=Subquery(reminders.values("pk")[:1])).filter(
        known_reminder__isnull=True
    )


def _planned(row: dict, notice: rules.Notice) -> PlannedReminder:
    return PlannedReminder(row["id"], row["agency_id"], row["task_id"], row["task__leader_id"], notice)


def plan(
    today: datetime.date,
    cal: WorkingCalendar,
    policy,
    *,
    last_completed_on: datetime.date | None = None,
    window_start: datetime.date | None = None,
    assignments=None,
    earliest: datetime.date | None = None,
) -> Plan:
    """The reminders a scan on `today` would create. Nothing on a day off: the next working day
    catches up, because the window then starts after the last completed scan. `assignments`
    narrows it to some rows (the scan plans its batches by ranges of ids); `earliest`, the earliest
    deadline of all open work (`earliest_deadline`), then saves each batch looking it up."""
    the_rules = rules.Rules.from_policy(policy)
    start = window_start or window_start_for(today, last_completed_on)
    result = Plan(today, start, cal.is_working_day(today), the_rules, [])
    if not result.working_day:
        return result
    open_work = (Assignment.objects.all() if assignments is None else assignments).filter(
        state=Assignment.State.OPEN
    )
    dated = open_work.exclude(task__deadline_kind=Task.DeadlineKind.RECURRING)
    earliest = earliest or earliest_deadline(dated)
    result.reminders += _deadline_notices(dated, today, start, cal, the_rules, earliest)
    result.reminders += _escalations(dated, today, the_rules)
    result.reminders += _no_report_flags(dated, today, the_rules)
    recurring = open_work.filter(task__deadline_kind=Task.DeadlineKind.RECURRING)
    result.reminders += _recurring_notices(recurring, today, start, cal, the_rules)
    return result


def earliest_deadline(dated=None) -> datetime.date | None:
    """The earliest deadline, in force or original, of the open dated work: where the deadlines that
    may have a notice in the window begin."""
    if dated is None:
        dated = Assignment.objects.filter(state=Assignment.State.OPEN).exclude(
            task__deadline_kind=Task.DeadlineKind.RECURRING
        )
    earliest = dated.aggregate(column=Min("deadline"), task=Min("task__deadline"))
    known = [day for day in earliest.values() if day is not None]
    return min(known) if known else None


def _deadline_notices(dated, today, start, cal, the_rules, earliest) -> list[PlannedReminder]:
    # Assignment.deadline is the deadline in force today (tracking.classification keeps it), so it
    # narrows the rows cheaply; effective_deadline stays the judge (an extension decided "after
    # today" is the one case where they differ).
    firing = rules.deadlines_firing(start, today, earliest, cal, the_rules)
    if not firing:
        return []
    deadlines = sorted(firing)
    if len(deadlines) <= MAX_LISTED_DEADLINES:
        narrow, in_window = Q(deadline__in=deadlines), Q(effective_deadline__in=deadlines)
    else:
        narrow = Q(deadline__gte=deadlines[0], deadline__lte=deadlines[-1])
        in_window = Q(effective_deadline__gte=deadlines[0], effective_deadline__lte=deadlines[-1])
    dated = dated.filter(narrow | Q(extended_on__gt=today))
    told_since_window = Reminder.objects.filter(
        assignment=OuterRef("pk"),
        due_date=OuterRef("effective_deadline"),
        kind__in=DEADLINE_KINDS,
        fire_on__gte=start,
    )
    rows = (
        _without(
            with_status(dated, today).filter(in_window, status__in=(Status.IN_PROGRESS, *OVERDUE_STATUSES)),
            told_since_window,
        )
        .values(*VALUES, "effective_deadline")
        .order_by("agency_id", "id")
    )
    return [
        _planned(row, firing[row["effective_deadline"]])
        for row in rows
        if row["effective_deadline"] in firing
    ]


def _escalations(dated, today, the_rules) -> list[PlannedReminder]:
    escalated = Reminder.objects.filter(
        assignment=OuterRef("pk"), due_date=OuterRef("effective_deadline"), kind=rules.ESCALATION
    )
    threshold = today - datetime.timedelta(days=the_rules.escalate_after_days)
    rows = (
        _without(
            with_status(dated.filter(Q(deadline__lt=threshold) | Q(extended_on__gt=today)), today).filter(
                status__in=OVERDUE_STATUSES, effective_deadline__lt=threshold
            ),
            escalated,
        )
        .values(*VALUES, "effective_deadline")
        .order_by("agency_id", "id")
    )
    result = []
    for row in rows:
        notice = rules.escalation_notice(row["effective_deadline"], today, the_rules)
        if notice:
            result.append(_planned(row, notice))
    return result


def _no_report_flags(dated, today, the_rules) -> list[PlannedReminder]:
    flagged = Reminder.objects.filter(
        assignment=OuterRef("pk"), kind=rules.NO_REPORT, due_date=OuterRef("quiet_since")
    )
    # Assignment.deadline is empty for work without a deadline (unless extended "after today").
    quiet = (
        with_status(dated.filter(Q(deadline__isnull=True) | Q(extended_on__gt=today)), today)
        .filter(status=Status.NO_DEADLINE)
        .annotate(quiet_since=Coalesce("last_report_on", "assigned_on", "task__directive__issue_date"))
        .filter(quiet_since__lte=today - datetime.timedelta(days=the_rules.no_report_days))
    )
    rows = _without(quiet, flagged).values(*VALUES, "quiet_since").order_by("agency_id", "id")
    result = []
    for row in rows:
        notice = rules.no_report_notice(row["quiet_since"], today, the_rules)
        if notice:
            result.append(_planned(row, notice))
    return result


def _recurring_notices(recurring, today, start, cal, the_rules) -> list[PlannedReminder]:
    rows = list(
        with_status(recurring, today)
        .filter(status__in=OPEN_STATUSES)
        .exclude(task__recurrence="")
        .values(*VALUES, "task__recurrence", "task__deadline", "assigned_on", "task__directive__issue_date")
        .order_by("agency_id", "id")
    )
    if not rows:
        return []
    reports = defaultdict(list)
    for assignment_id, day in ProgressReport.objects.filter(
        assignment__in=recurring, agency_id=F("assignment__agency_id"), reported_on__lte=today
    ).values_list("assignment_id", "reported_on"):
        reports[assignment_id].append(day)
    candidates = []
    for row in rows:
        if row["task__recurrence"] not in rules.PERIOD_MONTHS:
            continue
        notices = rules.recurring_notices(
            row["task__recurrence"],
            row["task__deadline"],
            row["assigned_on"] or row["task__directive__issue_date"],
            sorted(reports[row["id"]]),
            start,
            today,
            cal,
            the_rules,
        )
        candidates += [_planned(row, notice) for notice in notices]
    if not candidates:
        return []
    earliest = min(c.notice.due_date for c in candidates)
    existing = Reminder.objects.filter(assignment__in=recurring, due_date__gte=earliest).values_list(
        "assignment_id", "kind", "due_date", "fire_on"
    )
    escalated, told = set(), set()
    for assignment_id, kind, due_date, fire_on in existing:
        if kind == rules.ESCALATION:
            escalated.add((assignment_id, due_date))
        elif kind in DEADLINE_KINDS and fire_on >= start:
            told.add((assignment_id, due_date))
    return [
        c
        for c in candidates
        if (c.assignment_id, c.notice.due_date)
        not in (escalated if c.notice.kind == rules.ESCALATION else told)
    ]
