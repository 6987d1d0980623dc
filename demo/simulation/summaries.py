"""Summaries for the demo: what the beat would have produced over the year, so `make run` has some."""

import datetime

from django.utils import timezone

from summaries.periods import Kind, kinds_ending_on, last_cutoff, months_of_year, period_ending
from summaries.services import ensure_summary
from tracking.permissions import SYSTEM


def produce_demo_summaries(today: datetime.date | None = None) -> int:
    """The monthly summaries of the current reporting year up to the last cut-off (oldest first, so
    each is compared with the stored one before it) and the last quarter's. Idempotent."""
    today = today or timezone.localdate()
    cut_off = last_cutoff(today)
    produced = 0
    for period in months_of_year(cut_off.year, cut_off):
        produced += ensure_summary(Kind.MONTH, period.end, actor=SYSTEM)[1]
    quarter_month = (cut_off.month // 3) * 3
    if quarter_month:
        quarter = period_ending(Kind.QUARTER, cut_off.year, quarter_month)
    else:
        quarter = period_ending(Kind.QUARTER, cut_off.year - 1, 12)
    produced += ensure_summary(Kind.QUARTER, quarter.end, actor=SYSTEM)[1]
    for kind in kinds_ending_on(cut_off):
        produced += ensure_summary(kind, cut_off, actor=SYSTEM)[1]
    return produced
