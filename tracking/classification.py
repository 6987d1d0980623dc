"""The one rule that classifies an assignment as of a date (docs/domain.md, "How assignments are counted").

`with_status(queryset, as_of)` annotates assignments with `effective_deadline` and `status`.
It is a database expression, so the dashboard counts with GROUP BY instead of loading rows,
and every page, export and test goes through this same function. Classifying as of a past
date only looks at what was known on that date: completions, pauses, cancellations and
approved extensions dated after it are ignored, and assignments given after it are excluded.
"""

import datetime

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from directives.models import Assignment, Task

from .models import Extension

OVERDUE_LONG_DAYS = 30


class Status(models.TextChoices):
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    IN_PROGRESS = "in_progress", _("Đang thực hiện trong hạn")
    OVERDUE = "overdue", _("Quá hạn")
    OVERDUE_LONG = "overdue_long", _("Quá hạn trên 30 ngày")
    NO_DEADLINE = "no_deadline", _("Không thời hạn")
    PAUSED = "paused", _("Tạm dừng")
    CANCELLED = "cancelled", _("Hủy bỏ")


# Classes that the standard table's "Quá hạn" column adds up.
OVERDUE_STATUSES = (Status.OVERDUE, Status.OVERDUE_LONG)
DONE_STATUSES = (Status.DONE_ON_TIME, Status.DONE_LATE)
OPEN_STATUSES = (Status.IN_PROGRESS, Status.OVERDUE, Status.OVERDUE_LONG, Status.NO_DEADLINE)


def _approved_extensions(as_of: datetime.date | None = None):
    extensions = Extension.objects.filter(assignment=OuterRef("pk"), status=Extension.Status.APPROVED)
    if as_of is not None:
        extensions = extensions.filter(decided_on__lte=as_of)
    return extensions.order_by("-decided_on", "-id")


def _task_deadline():
    return Subquery(Task.objects.filter(pk=OuterRef("task_id")).order_by().values("deadline")[:1])


def effective_deadline(as_of: datetime.date):
    """The deadline in force on `as_of`: the latest extension approved by then, else the original.

    Assignment.deadline already holds the deadline in force today and Assignment.extended_on the day
    its latest extension was decided. When that day is on or before `as_of` (always, for today's
    figures) the column is the answer; only for the rare rows extended after a past `as_of` does the
    database look the extensions up. This keeps the dashboard one scan over the assignments.
    """
    as_of_deadline = Coalesce(
        Subquery(_approved_extensions(as_of).values("new_deadline")[:1], output_field=models.DateField()),
        _task_deadline(),
    )
    return Case(
        When(Q(extended_on__isnull=True) | Q(extended_on__lte=as_of), then=F("deadline")),
        default=as_of_deadline,
        output_field=models.DateField(),
    )


def is_extended(as_of: datetime.date):
    """Whether an extension approved by `as_of` is in force (the task's original deadline is kept)."""
    return Case(
        When(extended_on__isnull=True, then=Value(False)),
        When(extended_on__lte=as_of, then=Value(True)),
        default=Exists(_approved_extensions(as_of)),
        output_field=models.BooleanField(),
    )


def refresh_deadlines(assignments=None) -> int:
    """Recompute Assignment.deadline and .extended_on from the task and its approved extensions.

    Called explicitly, never from a save(): by the services after an extension is decided and after a
    task is edited (tracking.services.decide_extension, update_task), and after bulk writes (loader,
    simulation). Bulk and single writes therefore take the same path.
    """
    queryset = Assignment.objects.all() if assignments is None else assignments
    latest = _approved_extensions()
    return queryset.update(
        deadline=Coalesce(
            Subquery(latest.values("new_deadline")[:1], output_field=models.DateField()), _task_deadline()
        ),
        extended_on=Subquery(latest.values("decided_on")[:1], output_field=models.DateField()),
    )


def _classified(queryset, as_of: datetime.date, deadline, extended):
    """Annotate `effective_deadline` (the expression `deadline`), `status` and `is_extended`."""
    long_overdue_before = as_of - datetime.timedelta(days=OVERDUE_LONG_DAYS)
    return (
        queryset.filter(Q(assigned_on__isnull=True) | Q(assigned_on__lte=as_of))
        .annotate(effective_deadline=deadline)
        .annotate(
            status=Case(
                When(cancelled_on__lte=as_of, then=Value(Status.CANCELLED)),
                When(
                    Q(completed_on__lte=as_of)
                    & (Q(effective_deadline__isnull=True) | Q(completed_on__lte=F("effective_deadline"))),
                    then=Value(Status.DONE_ON_TIME),
                ),
                When(completed_on__lte=as_of, then=Value(Status.DONE_LATE)),
                When(
                    Q(paused_on__lte=as_of) & (Q(resumed_on__isnull=True) | Q(resumed_on__gt=as_of)),
                    then=Value(Status.PAUSED),
                ),
                When(effective_deadline__isnull=True, then=Value(Status.NO_DEADLINE)),
                When(effective_deadline__gte=as_of, then=Value(Status.IN_PROGRESS)),
                When(effective_deadline__lt=long_overdue_before, then=Value(Status.OVERDUE_LONG)),
                default=Value(Status.OVERDUE),
                output_field=models.CharField(),
            ),
            is_extended=extended,
        )
    )


def with_status(queryset, as_of: datetime.date):
    """Annotate assignments with `effective_deadline`, `is_extended` and `status` as of `as_of`.

    Order of the rules matters:
    1. cancelled on or before as_of → cancelled;
    2. completed on or before as_of → done on time if no deadline or completed_on ≤ deadline, else late;
    3. paused on or before as_of and not resumed by then → paused;
    4. no deadline → no deadline;
    5. as_of ≤ deadline → in progress on time (a task due today is still on time);
    6. deadline more than 30 days before as_of → overdue more than 30 days; otherwise overdue.
    """
    return _classified(queryset, as_of, effective_deadline(as_of), is_extended(as_of))


def settled_on(as_of: datetime.date) -> Q:
    """The rows whose deadline in force on `as_of` is the column Assignment.deadline: never
    extended, or extended on or before `as_of` (every row, for today's figures)."""
    return Q(extended_on__isnull=True) | Q(extended_on__lte=as_of)


def with_status_parts(queryset, as_of: datetime.date) -> tuple:
    """`with_status(queryset, as_of)` split in two querysets that together hold the same rows with
    the same annotations: the settled rows (`settled_on`), classified on the plain column, and the
    few rows extended after `as_of`, whose deadline then is looked up.

    For the large part the database then sees columns, not a CASE holding subqueries: it estimates
    the groups and hashes them, and reads an index on the deadline in order for the lists (the
    dashboard at 1,000,000 assignments: 1 s → 0.3 s for the table). The parts are combined with
    UNION ALL by the callers, one query each (tracking.dashboard)."""
    settled = _classified(
        queryset.filter(settled_on(as_of)),
        as_of,
        F("deadline"),
        Case(When(extended_on__isnull=True, then=Value(False)), default=Value(True)),
    )
    later = with_status(queryset.filter(extended_on__gt=as_of), as_of)
    return settled, later


def status_counts(queryset, as_of: datetime.date, key: str) -> dict:
    """{key value: {status: n}} as of `as_of`, grouped in the database by `key` and the class: one
    query, the UNION ALL of the two parts of `with_status_parts`."""
    settled, later = (
        part.values(key, "status").annotate(n=Count("id")).order_by()
        for part in with_status_parts(queryset, as_of)
    )
    counts: dict = {}
    for item in settled.union(later, all=True):
        by_status = counts.setdefault(item[key], {})
        by_status[item["status"]] = by_status.get(item["status"], 0) + item["n"]
    return counts


def classify(assignment, as_of: datetime.date) -> Status | None:
    """The class of one assignment as of a date, or None if it was not yet assigned then."""
    value = (
        with_status(Assignment.objects.filter(pk=assignment.pk), as_of)
        .values_list("status", flat=True)
        .first()
    )
    return Status(value) if value else None
