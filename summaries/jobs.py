"""Plain functions the Celery tasks call, so tests call them directly with a frozen clock."""

import datetime

from django.utils import timezone

from tracking.permissions import SYSTEM

from .periods import kinds_ending_on, last_cutoff
from .services import ensure_summary


def produce_due_summaries(now: datetime.datetime) -> int:
    """Produce the summaries missing for the latest cut-off that is over (the month always; the
    quarter, 6 months, 9 months and year when that cut-off ends one). Idempotent: run every hour,
    it produces them on the first run of the day after the cut-off and then finds nothing to do."""
    cut_off = last_cutoff(timezone.localdate(now))
    return sum(1 for kind in kinds_ending_on(cut_off) if ensure_summary(kind, cut_off, actor=SYSTEM)[1])
