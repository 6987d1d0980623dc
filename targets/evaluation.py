"""The targets judged on a date, read from the database in three queries whatever their number
(the rules are in targets/progress.py, which reads no table)."""

import datetime

from django.db.models import Prefetch

from .models import Actual, Target
from .progress import Evaluated, evaluate_one


def evaluate_targets(targets, as_of: datetime.date) -> list[Evaluated]:
    """Evaluate a queryset of targets with three queries whatever their number (targets, milestones,
    values), in the queryset's order."""
    rows = targets.select_related("responsible_agency").prefetch_related(
        "milestones", Prefetch("actuals", queryset=Actual.objects.order_by("period_end"))
    )
    return [evaluate_one(t, t.actuals.all(), t.milestones.all(), as_of) for t in rows]


def targets_at_risk(as_of: datetime.date, targets=None) -> list[dict]:
    """The targets that are chậm tiến độ or khó đạt on `as_of`, as plain data (for the dashboard and
    for the monthly summary to store). Three queries."""
    queryset = Target.objects.all() if targets is None else targets
    result = []
    for item in evaluate_targets(queryset.order_by("order", "id"), as_of):
        if not item.progress.at_risk:
            continue
        target, progress = item.target, item.progress
        result.append(
            {
                "id": target.id,
                "code": target.code,
                "name": target.name,
                "unit": target.unit,
                "agency": target.responsible_agency.code,
                "agency_name": target.responsible_agency.name,
                "agency_short_name": target.responsible_agency.short_name,
                "period": target.period_label,
                "status": str(progress.status.value),
                "status_label": str(progress.status.label),
                "reason": progress.reason,
                "goal": progress.goal,
                "latest_value": progress.latest.value if progress.latest else None,
                "latest_period_end": progress.latest.day.isoformat() if progress.latest else None,
                "expected": progress.expected,
                "percent": progress.percent,
                "forecast": progress.forecast,
                "pace_needed": progress.pace_needed,
                "periods_left": progress.periods_left,
                "simulated": target.is_simulated or any(a.is_simulated for a in item.series),
                "as_of": as_of.isoformat(),
            }
        )
    return result
