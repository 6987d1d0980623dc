"""The figures of a summary as of its cut-off, from the project's one classification.

Every count comes from `tracking.classification.with_status` — the per-agency table through
`tracking.dashboard.agency_table`, the tables by priority group and by leader in charge with the
same GROUP BY (class) over the Task.groups through-table and Task.leader — so a summary agrees with
the dashboard as of the same date. Every query is an aggregate or a bounded list; the number of
queries does not depend on the amount of data.

Besides the figures, `compute` returns for drill-down the ids of the assignments behind every
number (`drill`), and the lists a leader reads (`lists`), as plain JSON-ready data to be frozen.
"""

import dataclasses
import datetime
import json

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from directives.models import Assignment, PriorityGroup, Task
from tracking.classification import DONE_STATUSES, OPEN_STATUSES, OVERDUE_STATUSES, Status, with_status
from tracking.dashboard import Row, agency_table
from tracking.models import Extension, ProgressReport, Urging

from .periods import Period

# How many rows of each list are stored with their details (all the ids are stored, for drill-down).
DETAIL_LIMIT = 300
TEXT_LIMIT = 400
NONE_KEY = "-"

# The columns of the standard table and the classes each adds up.
COLUMNS = {
    "total": (
        Status.DONE_ON_TIME,
        Status.DONE_LATE,
        Status.IN_PROGRESS,
        Status.OVERDUE,
        Status.OVERDUE_LONG,
        Status.NO_DEADLINE,
    ),
    "done_on_time": (Status.DONE_ON_TIME,),
    "done_late": (Status.DONE_LATE,),
    "in_progress": (Status.IN_PROGRESS,),
    "overdue": OVERDUE_STATUSES,
    "overdue_long": (Status.OVERDUE_LONG,),
    "no_deadline": (Status.NO_DEADLINE,),
    "paused": (Status.PAUSED,),
    "cancelled": (Status.CANCELLED,),
}
COUNT_COLUMNS = tuple(COLUMNS)
# The lists' counts, compared with the previous period like every other figure.
LIST_FIGURES = (
    "completed",
    "completed_on_time",
    "completed_late",
    "became_overdue",
    "overdue_long",
    "extensions",
    "urgings",
    "reminders",
    "targets_at_risk",
    "agencies_expected",
    "agencies_reported",
)
GROUP_KIND_ORDER = {kind: index for index, kind in enumerate(PriorityGroup.Kind.values)}


def row_figures(row: Row, key: str, **extra) -> dict:
    figures = {"key": key, "name": row.name, "short_name": row.short_name or row.name, **extra}
    for column in COUNT_COLUMNS:
        figures[column] = getattr(row, column)
    rate = row.on_time_rate
    figures["on_time_rate"] = float(rate) if rate is not None else None
    return figures


def _grouped(assignments, as_of: datetime.date, key_field: str) -> dict:
    """{key: {status: n}} grouped in the database by `key_field` and the class."""
    grouped = with_status(assignments, as_of).values(key_field, "status").annotate(n=Count("id")).order_by()
    counts: dict = {}
    for item in grouped:
        by_status = counts.setdefault(item[key_field], {})
        by_status[item["status"]] = by_status.get(item["status"], 0) + item["n"]
    return counts


def group_table(assignments, as_of: datetime.date) -> list[dict]:
    """The standard table by priority group (Task.groups), one GROUP BY over the through-table.

    An assignment whose task is in several groups counts once in each; tasks in no group make the
    row "Chưa gắn nhóm"."""
    counts = _grouped(assignments, as_of, "task__groups")
    groups = {
        pk: (code, name, kind, order)
        for pk, code, name, kind, order in PriorityGroup.objects.filter(
            pk__in=[k for k in counts if k]
        ).values_list("pk", "code", "name", "kind", "order")
    }
    labels = dict(PriorityGroup.Kind.choices)
    result = []
    for pk, by_status in counts.items():
        if pk is None:
            row = Row(None, NONE_KEY, _("Chưa gắn nhóm nhiệm vụ"), "", by_status)
            result.append(row_figures(row, NONE_KEY, kind="", kind_label="", sort=(99, 0, "")))
            continue
        code, name, kind, order = groups[pk]
        row = Row(None, code, name, code, by_status)
        result.append(
            row_figures(
                row, code, kind=kind, kind_label=str(labels[kind]), sort=(GROUP_KIND_ORDER[kind], order, code)
            )
        )
    result.sort(key=lambda r: r.pop("sort"))
    return result


def leader_table(assignments, as_of: datetime.date) -> list[dict]:
    """The standard table by leader in charge (Task.leader)."""
    counts = _grouped(assignments, as_of, "task__leader")
    leaders = {
        u.pk: u
        for u in User.objects.filter(pk__in=[k for k in counts if k]).only(
            "username", "display_name", "position"
        )
    }
    result = []
    for pk, by_status in counts.items():
        if pk is None:
            row = Row(None, NONE_KEY, _("Chưa phân công lãnh đạo phụ trách"), "", by_status)
            result.append(row_figures(row, NONE_KEY, position=""))
            continue
        user = leaders[pk]
        name = user.display_name or user.username
        row = Row(None, str(pk), name, name, by_status)
        result.append(row_figures(row, str(pk), position=user.position))
    result.sort(key=lambda r: (r["key"] == NONE_KEY, -r["total"], r["name"]))
    return result


def _local_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, the day after end 00:00) in Cà Mau's time, for timestamps."""
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    stop = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return begin, stop


def _plain(value):
    """JSON-ready plain data (dates as ISO strings, lazy texts as text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _clause(clause: str, item: int) -> str:
    return _("%(clause)s, ý %(item)s") % {"clause": clause, "item": item} if item else clause


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


@dataclasses.dataclass
class Computed:
    figures: dict
    drill: dict
    lists: dict


def _targets_at_risk(as_of: datetime.date) -> list[dict] | None:
    """The targets app's plain data, when the app is installed (the summary works without it)."""
    if not apps.is_installed("targets"):
        return None
    try:
        from targets.progress import targets_at_risk
    except ImportError:
        return None
    return _plain(targets_at_risk(as_of))


def _reminder_model():
    if not apps.is_installed("reminders"):
        return None
    try:
        from reminders.models import Reminder
    except ImportError:
        return None
    return Reminder


def compute(period: Period, details: bool = True) -> Computed:
    """The figures of `period` as of its cut-off; with `details`, also the ids and the lists.

    1. The standard table by agency, by priority group, by leader in charge (GROUP BY class).
    2. Completed in the period (completed_on in [start, cut-off]), became overdue in it (deadline in
       force in [start − 1 day, cut-off − 1 day] and still not done at the cut-off), overdue more
       than 30 days at the cut-off.
    3. Extensions approved in the period (decided_on), urgings sent in it (Urging.at, Cà Mau time)
       and, when the reminders app is installed, automatic reminders created in it.
    4. Targets at risk at the cut-off (targets.progress.targets_at_risk), when the app is installed.
    5. Reporting discipline: every lead agency with open assignments at the cut-off (in progress,
       overdue or without deadline) is expected to have sent at least one progress report on an
       assignment it leads dated within the period (ProgressReport.reported_on in [start, cut-off]);
       it "reported" when it did. The number of its assignments reported on is shown beside it.
    """
    start, as_of = period.start, period.cut_off
    everything = Assignment.objects.all()
    agency_rows, total = agency_table(everything, as_of)
    agencies = [row_figures(row, row.code) for row in agency_rows]
    groups = group_table(everything, as_of)
    leaders = leader_table(everything, as_of)

    annotated = with_status(everything, as_of)
    completed = annotated.filter(completed_on__gte=start, completed_on__lte=as_of, status__in=DONE_STATUSES)
    became_overdue = annotated.filter(
        status__in=OVERDUE_STATUSES,
        effective_deadline__gte=start - datetime.timedelta(days=1),
        effective_deadline__lte=as_of - datetime.timedelta(days=1),
    )
    completed_counts = dict(
        completed.values("status").annotate(n=Count("id")).order_by().values_list("status", "n")
    )
    extensions = Extension.objects.filter(
        status=Extension.Status.APPROVED, decided_on__gte=start, decided_on__lte=as_of
    )
    begin, stop = _local_bounds(start, as_of)
    urgings = Urging.objects.filter(at__gte=begin, at__lt=stop)
    urged_by_agency = dict(
        urgings.values("assignment__agency__code")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("assignment__agency__code", "n")
    )
    reminder_model = _reminder_model()
    reminded_by_agency = None
    if reminder_model is not None:
        reminded_by_agency = dict(
            reminder_model.objects.filter(created_at__gte=begin, created_at__lt=stop)
            .values("agency__code")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("agency__code", "n")
        )
    reported = {
        item["agency_id"]: item
        for item in ProgressReport.objects.filter(
            reported_on__gte=start, reported_on__lte=as_of, agency_id=F("assignment__agency_id")
        )
        .values("agency_id")
        .annotate(reports=Count("id"), tasks=Count("assignment_id", distinct=True), last=Max("reported_on"))
        .order_by()
    }
    discipline = []
    for row in agency_rows:
        open_count = sum(row.counts.get(s, 0) for s in OPEN_STATUSES)
        if not open_count:
            continue
        sent = reported.get(row.agency_id)
        discipline.append(
            {
                "key": row.code,
                "name": row.name,
                "short_name": row.short_name or row.name,
                "open": open_count,
                "reports": sent["reports"] if sent else 0,
                "tasks_reported": sent["tasks"] if sent else 0,
                "last": _iso(sent["last"]) if sent else None,
                "on_time": bool(sent),
            }
        )
    discipline.sort(key=lambda d: (d["on_time"], d["name"]))
    at_risk = _targets_at_risk(as_of)

    became_overdue_count = became_overdue.count()
    extension_count = extensions.count()
    figures = {
        "totals": row_figures(total, "", name=_("Tổng cộng")),
        "agencies": agencies,
        "groups": groups,
        "leaders": leaders,
        "lists": {
            "completed": sum(completed_counts.values()),
            "completed_on_time": completed_counts.get(Status.DONE_ON_TIME, 0),
            "completed_late": completed_counts.get(Status.DONE_LATE, 0),
            "became_overdue": became_overdue_count,
            "overdue_long": total.overdue_long,
            "extensions": extension_count,
            "urgings": sum(urged_by_agency.values()),
            "reminders": sum(reminded_by_agency.values()) if reminded_by_agency is not None else None,
            "targets_at_risk": len(at_risk) if at_risk is not None else None,
            "agencies_expected": len(discipline),
            "agencies_reported": sum(1 for d in discipline if d["on_time"]),
        },
    }
    if not details:
        return Computed(figures=figures, drill={}, lists={})

    # Drill-down: the ids behind every cell, frozen with the figures.
    ids = list(
        annotated.order_by(F("effective_deadline").asc(nulls_last=True), "id").values_list(
            "id", "agency_id", "task_id", "task__leader_id", "status"
        )
    )
    code_of = {row.agency_id: row.code for row in agency_rows}
    group_code = dict(PriorityGroup.objects.values_list("pk", "code"))
    groups_of: dict[int, list[str]] = {}
    for task_id, group_id in Task.groups.through.objects.values_list("task_id", "prioritygroup_id"):
        groups_of.setdefault(task_id, []).append(group_code[group_id])
    drill = {"total": {}, "agency": {}, "group": {}, "leader": {}, "list": {}}
    for pk, agency_id, task_id, leader_id, status in ids:
        drill["total"].setdefault(status, []).append(pk)
        drill["agency"].setdefault(code_of[agency_id], {}).setdefault(status, []).append(pk)
        drill["leader"].setdefault(str(leader_id) if leader_id else NONE_KEY, {}).setdefault(
            status, []
        ).append(pk)
        for code in groups_of.get(task_id) or [NONE_KEY]:
            drill["group"].setdefault(code, {}).setdefault(status, []).append(pk)

    order = (F("effective_deadline").asc(nulls_last=True), "id")
    completed_ids = list(completed.order_by("completed_on", "id").values_list("id", flat=True))
    became_overdue_ids = list(became_overdue.order_by(*order).values_list("id", flat=True))
    overdue_long_ids = drill["total"].get(Status.OVERDUE_LONG, [])
    drill["list"] = {
        "completed": completed_ids,
        "completed_on_time": [],
        "completed_late": [],
        "became_overdue": became_overdue_ids,
        "overdue_long": overdue_long_ids,
        "extensions": [],
        "urgings": [],
    }
    wanted = set(
        completed_ids[:DETAIL_LIMIT] + became_overdue_ids[:DETAIL_LIMIT] + overdue_long_ids[:DETAIL_LIMIT]
    )
    rows = {
        item["id"]: item
        for item in with_status(Assignment.objects.filter(pk__in=wanted), as_of).values(
            "id",
            "task_id",
            "task__clause",
            "task__item",
            "task__text",
            "task__directive__number",
            "task__directive__reference",
            "task__deadline",
            "agency__code",
            "agency_name",
            "effective_deadline",
            "completed_on",
            "status",
            "is_extended",
        )
    }
    completed_set = set(completed_ids)
    completed_status = {pk: status for pk, _a, _t, _l, status in ids if pk in completed_set}
    drill["list"]["completed_on_time"] = [
        pk for pk in completed_ids if completed_status.get(pk) == Status.DONE_ON_TIME
    ]
    drill["list"]["completed_late"] = [
        pk for pk in completed_ids if completed_status.get(pk) == Status.DONE_LATE
    ]

    def brief(pk: int) -> dict:
        item = rows[pk]
        deadline = item["effective_deadline"]
        return {
            "id": pk,
            "task_id": item["task_id"],
            "directive": item["task__directive__number"] or item["task__directive__reference"],
            "clause": _clause(item["task__clause"], item["task__item"]),
            "text": _short(item["task__text"]),
            "agency": item["agency__code"],
            "agency_name": item["agency_name"],
            "deadline": _iso(deadline),
            "original_deadline": _iso(item["task__deadline"]),
            "extended": bool(item["is_extended"]),
            "completed_on": _iso(item["completed_on"]),
            "status": item["status"],
            "days_overdue": (as_of - deadline).days
            if deadline and item["status"] in OVERDUE_STATUSES
            else None,
        }

    extension_rows = list(
        extensions.order_by("decided_on", "id").values(
            "id",
            "assignment_id",
            "assignment__task_id",
            "assignment__task__clause",
            "assignment__task__item",
            "assignment__task__text",
            "assignment__task__directive__number",
            "assignment__task__directive__reference",
            "assignment__agency__code",
            "assignment__agency_name",
            "old_deadline",
            "new_deadline",
            "requested_on",
            "decided_on",
        )[:DETAIL_LIMIT]
    )
    drill["list"]["extensions"] = list(
        dict.fromkeys(extensions.order_by("decided_on", "id").values_list("assignment_id", flat=True))
    )
    urging_rows = list(
        urgings.order_by("at", "id").values(
            "id",
            "at",
            "message",
            "assignment_id",
            "assignment__task_id",
            "assignment__task__clause",
            "assignment__task__item",
            "assignment__task__text",
            "assignment__task__directive__number",
            "assignment__task__directive__reference",
            "assignment__agency__code",
            "assignment__agency_name",
        )[:DETAIL_LIMIT]
    )
    drill["list"]["urgings"] = list(
        dict.fromkeys(urgings.order_by("at", "id").values_list("assignment_id", flat=True))
    )
    names = {row.code: (row.name, row.short_name or row.name) for row in agency_rows}
    urged_agencies = sorted(set(urged_by_agency) | set(reminded_by_agency or {}))
    lists = {
        "completed": [brief(pk) for pk in completed_ids[:DETAIL_LIMIT]],
        "became_overdue": [brief(pk) for pk in became_overdue_ids[:DETAIL_LIMIT]],
        "overdue_long": [brief(pk) for pk in overdue_long_ids[:DETAIL_LIMIT]],
        "extensions": [
            {
                "id": item["assignment_id"],
                "task_id": item["assignment__task_id"],
                "directive": item["assignment__task__directive__number"]
                or item["assignment__task__directive__reference"],
                "clause": _clause(item["assignment__task__clause"], item["assignment__task__item"]),
                "text": _short(item["assignment__task__text"]),
                "agency": item["assignment__agency__code"],
                "agency_name": item["assignment__agency_name"],
                "old_deadline": _iso(item["old_deadline"]),
                "new_deadline": _iso(item["new_deadline"]),
                "requested_on": _iso(item["requested_on"]),
                "decided_on": _iso(item["decided_on"]),
            }
            for item in extension_rows
        ],
        "urgings": [
            {
                "id": item["assignment_id"],
                "task_id": item["assignment__task_id"],
                "directive": item["assignment__task__directive__number"]
                or item["assignment__task__directive__reference"],
                "clause": _clause(item["assignment__task__clause"], item["assignment__task__item"]),
                "text": _short(item["assignment__task__text"]),
                "agency": item["assignment__agency__code"],
                "agency_name": item["assignment__agency_name"],
                "at": timezone.localtime(item["at"]).date().isoformat(),
                "message": _short(item["message"]),
            }
            for item in urging_rows
        ],
        "urgings_by_agency": [
            {
                "key": code,
                "name": names.get(code, (code, code))[0],
                "short_name": names.get(code, (code, code))[1],
                "urgings": urged_by_agency.get(code, 0),
                "reminders": (reminded_by_agency or {}).get(code, 0)
                if reminded_by_agency is not None
                else None,
            }
            for code in urged_agencies
        ],
        "targets_at_risk": at_risk,
        "discipline": discipline,
    }
    return Computed(figures=figures, drill=drill, lists=_plain(lists))
