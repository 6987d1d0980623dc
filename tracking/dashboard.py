"""The dashboard's figures, aggregated in the database with GROUP BY (agency, class).

Every figure comes from `tracking.classification.with_status`, so the dashboard, its JSON and CSV
exports and the task list always agree.
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from core.dates import format_day
from directives.models import Agency, Assignment

from .classification import OVERDUE_STATUSES, Status, status_counts, with_status, with_status_parts

LIST_LIMIT = 50
DUE_SOON_DAYS = 7


@dataclasses.dataclass
class Row:
    """One row of the standard table (or its total)."""

    agency_id: int | None
    code: str
    name: str
    short_name: str
    counts: dict[str, int] = dataclasses.field(default_factory=dict)

    def _n(self, *statuses) -> int:
        return sum(self.counts.get(s, 0) for s in statuses)

    @property
    def done_on_time(self) -> int:
        return self._n(Status.DONE_ON_TIME)

    @property
    def done_late(self) -> int:
        return self._n(Status.DONE_LATE)

    @property
    def in_progress(self) -> int:
        return self._n(Status.IN_PROGRESS)

    @property
    def overdue(self) -> int:
        return self._n(*OVERDUE_STATUSES)

    @property
    def overdue_long(self) -> int:
        return self._n(Status.OVERDUE_LONG)

    @property
    def no_deadline(self) -> int:
        return self._n(Status.NO_DEADLINE)

    @property
    def paused(self) -> int:
        return self._n(Status.PAUSED)

    @property
    def cancelled(self) -> int:
        return self._n(Status.CANCELLED)

    @property
    def total(self) -> int:
        """Tổng số: the five standard classes; paused and cancelled work is counted apart."""
        return self.done_on_time + self.done_late + self.in_progress + self.overdue + self.no_deadline

    @property
    def on_time_rate(self) -> Decimal | None:
        """Tỷ lệ hoàn thành đúng hạn = hoàn thành đúng hạn / tổng số, in percent with one decimal."""
        if not self.total:
            return None
        rate = Decimal(100 * self.done_on_time) / Decimal(self.total)
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "short_name": self.short_name,
            "total": self.total,
            "done_on_time": self.done_on_time,
            "done_late": self.done_late,
            "in_progress": self.in_progress,
            "overdue": self.overdue,
            "overdue_over_30_days": self.overdue_long,
            "no_deadline": self.no_deadline,
            "paused": self.paused,
            "cancelled": self.cancelled,
            "on_time_rate": float(self.on_time_rate) if self.on_time_rate is not None else None,
        }


@dataclasses.dataclass
class Dashboard:
    as_of: datetime.date
    rows: list[Row]
    total: Row
    due_soon: list
    overdue: list
    overdue_count: int


def agency_table(assignments, as_of: datetime.date) -> tuple[list[Row], Row]:
    """The standard per-agency table: one grouped query, pivoted into rows (one per agency).

    It groups by (agency id, class) only (`classification.status_counts`), which PostgreSQL hashes
    in one pass; the agencies' names come from a second small query (grouping by the names too made
    it sort the rows)."""
    counts = status_counts(assignments, as_of, "agency_id")
    total = Row(None, "", "", "")
    for by_status in counts.values():
        for status, n in by_status.items():
            total.counts[status] = total.counts.get(status, 0) + n
    agencies = Agency.objects.filter(pk__in=counts).values_list("pk", "code", "name", "short_name")
    rows = [Row(pk, code, name, short_name, counts[pk]) for pk, code, name, short_name in agencies]
    rows.sort(key=lambda r: (-r.total, r.name))
    return rows, total


def _first_ids(annotated, condition: Q, limit: int):
    """The ids of the first `limit` rows meeting `condition`, by deadline in force, as a subquery."""
    ids = annotated.filter(condition).order_by("effective_deadline", "id").values("id")[:limit]
    return Assignment.objects.filter(pk__in=ids).order_by().values("id")


def first_rows(assignments, as_of: datetime.date, lists: dict, limit: int = LIST_LIMIT) -> dict:
    """The first `limit` assignments of each list ({name: (condition, the same test in Python)}), by
    deadline in force, loaded with their task, directive and agency: one query for all the lists.

    Each list's ids are picked in a subquery over the assignments alone, in each part of
    `with_status_parts` (the large part reads the deadline index in order), and the rows are loaded
    for the union of those ids (joining the task, directive and agency for the whole scan made
    PostgreSQL plan nested loops). Python keeps each list's first `limit`."""
    parts = with_status_parts(assignments, as_of)
    picked = [_first_ids(part, condition, limit) for condition, _test in lists.values() for part in parts]
    loaded = (
        with_status(Assignment.objects.filter(pk__in=picked[0].union(*picked[1:], all=True)), as_of)
        .select_related("task__directive", "agency")
        .order_by("effective_deadline", "id")
    )
    rows = list(loaded)
    return {name: [a for a in rows if test(a)][:limit] for name, (_condition, test) in lists.items()}


def dashboard_lists(as_of: datetime.date) -> dict:
    """The dashboard's two lists: (condition for the database, the same test in Python). The bounds
    on the deadline repeat what the class implies, so that the database reads the deadline index
    from the right place."""
    soon = as_of + datetime.timedelta(days=DUE_SOON_DAYS)
    return {
        "due_soon": (
            Q(status=Status.IN_PROGRESS, effective_deadline__gte=as_of, effective_deadline__lte=soon),
            lambda a: a.status == Status.IN_PROGRESS and a.effective_deadline <= soon,
        ),
        "overdue": (
            Q(status__in=OVERDUE_STATUSES, effective_deadline__lt=as_of),
            lambda a: a.status in OVERDUE_STATUSES,
        ),
    }


def build(assignments, as_of: datetime.date) -> Dashboard:
    """Three queries: the table, its agencies' names, the two lists."""
    rows, total = agency_table(assignments, as_of)
    lists = first_rows(assignments, as_of, dashboard_lists(as_of))
    return Dashboard(
        as_of=as_of,
        rows=rows,
        total=total,
        due_soon=lists["due_soon"],
        overdue=lists["overdue"],
        overdue_count=total.overdue,
    )


def assignment_brief(assignment) -> dict:
    """The JSON form of one listed assignment."""
    task = assignment.task
    deadline = assignment.effective_deadline
    return {
        "task_id": task.id,
        "directive": task.directive.number or task.directive.reference,
        "clause": task.clause_display,
        "text": task.text,
        "agency": assignment.agency.code,
        "agency_name": assignment.agency_name,
        "deadline": format_day(deadline) if deadline else None,
        "original_deadline": format_day(task.deadline) if task.deadline else None,
        "extended": bool(assignment.is_extended),
        "status": assignment.status,
        "percent": assignment.percent,
        "simulated": task.is_simulated or assignment.is_simulated,
    }
