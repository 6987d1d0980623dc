"""Queries behind the agency workspace ("Việc của đơn vị") and the office's review queue.

Each is a fixed number of queries whatever the number of tasks (asserted in tests/test_workflow_pages.py).
"""

import datetime

from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When

from directives.models import Assignment, Task

from .classification import OVERDUE_STATUSES, Status, with_status
from .dashboard import DUE_SOON_DAYS, agency_table
from .models import Comment, Extension, ProgressReport, Urging

RECENT = 20
SUPPORTED_LIMIT = 100
QUEUE_LIMIT = 100


def annotate_rows(assignments, today: datetime.date):
    """Assignments with status, ordered: overdue first, then due within 7 days, then the rest."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return (
        with_status(assignments, today)
        .select_related("task__directive", "agency")
        .annotate(
            urgency=Case(
                When(status__in=OVERDUE_STATUSES, then=Value(0)),
                When(Q(status=Status.IN_PROGRESS) & Q(effective_deadline__lte=soon), then=Value(1)),
                When(state=Assignment.State.PROPOSED, then=Value(2)),
                When(status__in=[Status.IN_PROGRESS, Status.NO_DEADLINE], then=Value(3)),
                default=Value(4),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", F("effective_deadline").asc(nulls_last=True), "task_id")
    )


def agency_workspace(agency, today: datetime.date) -> dict:
    """What the workspace shows for one agency (the lists are querysets the page paginates)."""
    lead = Assignment.objects.filter(agency=agency)
    rows, total = agency_table(lead, today)
    supported = (
        Task.objects.filter(supporting_agencies=agency)
        .select_related("directive")
        .prefetch_related(
            Prefetch("assignments", queryset=with_status(Assignment.objects.select_related("agency"), today))
        )
        .order_by("deadline", "id")
    )
    urgings = Urging.objects.filter(assignment__agency=agency).select_related(
        "assignment__task__directive", "urged_by"
    )[:RECENT]
    comments = (
        Comment.objects.filter(Q(task__assignments__agency=agency) | Q(task__supporting_agencies=agency))
        .distinct()
        .select_related("task__directive", "author")[:RECENT]
    )
    return {
        "counts": total,
        "lead": annotate_rows(lead, today),
        "supported": supported,
        "urgings": list(urgings),
        "comments": list(comments),
    }


def review_queue(today: datetime.date) -> dict:
    """Proposed completions and pending extension requests, oldest first."""
    proposals = (
        with_status(Assignment.objects.filter(state=Assignment.State.PROPOSED), today)
        .select_related("task__directive", "agency")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.filter(proposes_completion=True).select_related("author"),
                to_attr="proposals",
            )
        )
        .order_by("proposed_on", "id")
    )
    extensions = (
        Extension.objects.filter(status=Extension.Status.PENDING)
        .select_related("assignment__task__directive", "assignment__agency", "requested_by")
        .order_by("requested_on", "id")
    )
    return {"proposals": proposals, "extensions": extensions}
