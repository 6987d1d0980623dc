"""Plain functions the Celery tasks call, so tests call them directly with a frozen clock."""

import datetime

from django.db.models import Min
from django.utils import timezone

from directives.models import Assignment
from tracking.permissions import SYSTEM

from .models import Summary
from .periods import kinds_ending_on, last_cutoff, month_cutoff, reporting_month
from .services import ensure_summary

# Summaries of earlier cut-offs produced per run when the history is filled in (at most; the hourly
# runs that follow go on where this one stopped). At a million assignments one takes a few seconds.
BACKFILL_PER_RUN = 12


def due_summaries(today: datetime.date) -> list[tuple[str, datetime.date]]:
    """Every (kind, cut-off) that should exist on `today`: from the reporting month of the first
    assignment to the latest cut-off that is over, each month's kinds (the month always; the quarter,
    6 months, 9 months and year when it ends one). Oldest first."""
    first = Assignment.objects.aggregate(first=Min("assigned_on"))["first"]
    latest = last_cutoff(today)
    if first is None or first > latest:
        return []
    year, month = reporting_month(first)
    due = []
    while (cut_off := month_cutoff(year, month)) <= latest:
        due += [(kind, cut_off) for kind in kinds_ending_on(cut_off)]
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return due


def produce_due_summaries(now: datetime.datetime) -> int:
    """Produce the summaries that are due and missing: first those of the latest cut-off (what leaders
    read next), then the earlier ones oldest first, at most BACKFILL_PER_RUN of them, so that a new
    installation fills in its history over a few hourly runs. Idempotent: once everything exists it
    finds nothing to do."""
    due = due_summaries(timezone.localdate(now))
    if not due:
        return 0
    existing = set(
        Summary.objects.filter(is_current=True, cut_off__gte=due[0][1]).values_list("kind", "cut_off")
    )
    missing = [item for item in due if item not in existing]
    latest = due[-1][1]
    order = [item for item in missing if item[1] == latest]
    order += [item for item in missing if item[1] != latest][:BACKFILL_PER_RUN]
    return sum(1 for kind, cut_off in order if ensure_summary(kind, cut_off, actor=SYSTEM)[1])
