"""The dashboard's figures, aggregated in the database with GROUP BY (agency, class).

Every figure comes from `tracking.classification.with_status`, so the dashboard, its JSON and CSV
exports and the task list always agree.
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from core.dates import format_day
from directives.models import Agency, Assignment

from .classification import OVERDUE_STATUSES, Status, with_status

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

    It groups by (agency id, class) only, which PostgreSQL hashes in one pass; the agencies' names
    come from a second small query (grouping by the names too made it sort 100k rows).
    """
    grouped = with_status(assignments, as_of).values("agency_id", "status").annotate(n=Count("id")).order_by()
    counts: dict[int, dict[str, int]] = {}
    total = Row(None, "", "", "")
    for item in grouped:
        by_status = counts.setdefault(item["agency_id"], {})
        by_status[item["status"]] = by_status.get(item["status"], 0) + item["n"]
        total.counts[item["status"]] = total.counts.get(item["status"], 0) + item["n"]
    agencies = Agency.objects.filter(pk__in=counts).values_list("pk", "code", "name", "short_name")
    rows = [Row(pk, code, name, short_name, counts[pk]) for pk, code, name, short_name in agencies]
    rows.sort(key=lambda r: (-r.total, r.name))
    return rows, total


def first_rows(annotated, as_of: datetime.date, limit: int = LIST_LIMIT) -> list:
    """The first `limit` assignments of an annotated, filtered queryset, by deadline.

    Two steps: pick the ids scanning the assignments alone, then load those few rows with their task,
    directive and agency (joining them for the whole scan made PostgreSQL plan nested loops).
    """
    ids = list(annotated.order_by("effective_deadline", "id").values_list("id", flat=True)[:limit])
    loaded = with_status(Assignment.objects.filter(pk__in=ids), as_of).select_related(
        "task__directive", "agency"
    )
    by_id = {a.pk: a for a in loaded}
    return [by_id[pk] for pk in ids]


def build(assignments, as_of: datetime.date) -> Dashboard:
    rows, total = agency_table(assignments, as_of)
    annotated = with_status(assignments, as_of)
    due_soon = first_rows(
        annotated.filter(
            status=Status.IN_PROGRESS,
            effective_deadline__lte=as_of + datetime.timedelta(days=DUE_SOON_DAYS),
        ),
        as_of,
    )
    overdue = first_rows(annotated.filter(status__in=OVERDUE_STATUSES), as_of)
    return Dashboard(
        as_of=as_of,
        rows=rows,
        total=total,
        due_soon=due_soon,
        overdue=overdue,
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
