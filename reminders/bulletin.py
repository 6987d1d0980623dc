"""The office's daily bulletin (bảng tin đôn đốc) and the agency's recent reminders: read-only,
aggregated in the database, a fixed number of queries whatever the amount of data."""

import dataclasses
import datetime

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from directives.models import Assignment
from tracking.classification import OVERDUE_STATUSES, Status, with_status

from . import rules, texts
from .models import DigestLine, DigestOutbox, Reminder, ScanState

TODAY_LIST_LIMIT = 12
AGENCY_ROWS = 12
ESCALATION_DAYS = 7
ESCALATION_LIMIT = 20
AGENCY_REMINDERS_LIMIT = 20
BULLETIN_ORDER = (rules.DUE, rules.ESCALATION, rules.OVERDUE, rules.BEFORE, rules.NO_REPORT)


@dataclasses.dataclass
class AgencyRow:
    agency_id: int
    code: str
    name: str
    short_name: str
    overdue: int
    overdue_long: int
    reminded_today: int = 0
    digest: dict | None = None


@dataclasses.dataclass
class Bulletin:
    today: datetime.date
    last_scan_at: datetime.datetime | None
    counts: dict[str, int]
    total_today: int
    today_items: list
    agency_rows: list[AgencyRow]
    escalations: list


def urgency_order(prefix: str = ""):
    """Today's deadlines first, then what was escalated, what is late, what is coming, the quiet ones."""
    return Case(
        *[When(**{f"{prefix}kind": kind}, then=Value(rank)) for rank, kind in enumerate(BULLETIN_ORDER)],
        output_field=IntegerField(),
    )


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def _with_text(reminders) -> list:
    for reminder in reminders:
        reminder.text = texts.describe_reminder(reminder)
    return reminders


def build(today: datetime.date | None = None) -> Bulletin:
    """Seven queries: scan state, today's counts by kind, today's list, overdue by agency,
    reminders today by agency, today's digests, recent escalations."""
    today = today or timezone.localdate()
    start, end = day_bounds(today)
    state = ScanState.objects.filter(pk=1).values_list("last_run_at", flat=True).first()
    todays = Reminder.objects.filter(created_at__gte=start, created_at__lt=end)
    counts = {row["kind"]: row["n"] for row in todays.values("kind").annotate(n=Count("id")).order_by()}
    urgency = urgency_order()
    today_items = _with_text(
        list(
            todays.select_related("assignment__task__directive", "agency").order_by(
                urgency, "-created_at", "agency__name", "id"
            )[:TODAY_LIST_LIMIT]
        )
    )
    overdue = (
        with_status(Assignment.objects.all(), today)
        .filter(status__in=OVERDUE_STATUSES)
        .values("agency_id", "agency__code", "agency__name", "agency__short_name")
        .annotate(n=Count("id"), long=Count("id", filter=Q(status=Status.OVERDUE_LONG)))
        .order_by("-n", "agency__name")[:AGENCY_ROWS]
    )
    agency_rows = [
        AgencyRow(
            row["agency_id"],
            row["agency__code"],
            row["agency__name"],
            row["agency__short_name"],
            row["n"],
            row["long"],
        )
        for row in overdue
    ]
    reminded = dict(todays.values_list("agency_id").annotate(n=Count("id")).order_by())
    digests = {
        agency_id: {"sent_at": sent_at, "outcome": outcome, "claimed_at": claimed_at}
        for agency_id, sent_at, outcome, claimed_at in DigestOutbox.objects.filter(
            day=today, agency__isnull=False
        ).values_list("agency_id", "sent_at", "outcome", "claimed_at")
    }
    for row in agency_rows:
        row.reminded_today = reminded.get(row.agency_id, 0)
        row.digest = digests.get(row.agency_id)
    escalations = _with_text(
        list(
            Reminder.objects.filter(
                kind=rules.ESCALATION, created_at__gte=start - datetime.timedelta(days=ESCALATION_DAYS)
            )
            .select_related("assignment__task__directive", "assignment__task__leader", "agency")
            .order_by("-created_at", "-days", "id")[:ESCALATION_LIMIT]
        )
    )
    return Bulletin(
        today=today,
        last_scan_at=state,
        counts=counts,
        total_today=sum(counts.values()),
        today_items=today_items,
        agency_rows=agency_rows,
        escalations=escalations,
    )


def agency_reminders(agency, limit: int = AGENCY_REMINDERS_LIMIT) -> list:
    """What the agency was told lately, as lead or as supporting agency (one query)."""
    lines = list(
        DigestLine.objects.filter(digest__agency=agency)
        .select_related("reminder__assignment__task__directive", "digest")
        .order_by("-reminder__created_at", "-id")[:limit]
    )
    for line in lines:
        line.text = texts.describe_reminder(line.reminder, line.level)
    return lines
