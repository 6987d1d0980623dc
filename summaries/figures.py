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
        from targets.evaluation import targets_at_risk
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


def _discipline(agency_rows: list[Row], start: datetime.date, as_of: datetime.date) -> list[dict]:
    """Reporting discipline: every lead agency with open assignments at the cut-off (in progress,
    overdue or without deadline) is expected to have sent at least one progress report on an
    assignment it leads dated within the period (ProgressReport.reported_on in [start, cut-off]; a
    report proposing completion counts); it "reported" when it did. One grouped query."""
    reported = {
        item["agency_id"]: item
        for item in ProgressReport.objects.filter(
            reported_on__gte=start, reported_on__lte=as_of, agency_id=F("assignment__agency_id")
        )
        .values("agency_id")
        .annotate(reports=Count("id"), tasks=Count("assignment_id", distinct=True), last=Max("reported_on"))
        .order_by()
    }
    result = []
    for row in agency_rows:
        open_count = sum(row.counts.get(s, 0) for s in OPEN_STATUSES)
        if not open_count:
            continue
        sent = reported.get(row.agency_id) or {}
        result.append(
            {
                "key": row.code,
                "name": row.name,
                "short_name": row.short_name or row.name,
                "open": open_count,
                "reports": sent.get("reports", 0),
                "tasks_reported": sent.get("tasks", 0),
                "last": _iso(sent.get("last")),
                "on_time": bool(sent),
            }
        )
    result.sort(key=lambda d: (d["on_time"], d["name"]))
    return result


def _by_agency(queryset, field: str) -> dict[str, int]:
    return dict(queryset.values(field).annotate(n=Count("id")).order_by().values_list(field, "n"))


def _drill(annotated, agency_rows: list[Row]) -> dict:
    """The ids behind every cell: {"total": {class: ids}, "agency"/"group"/"leader": {key: {class: ids}}},
    each list by deadline. Two queries (the assignments, the task–group pairs)."""
    code_of = {row.agency_id: row.code for row in agency_rows}
    group_code = dict(PriorityGroup.objects.values_list("pk", "code"))
    groups_of: dict[int, list[str]] = {}
    for task_id, group_id in Task.groups.through.objects.values_list("task_id", "prioritygroup_id"):
        if group_id in group_code:
            groups_of.setdefault(task_id, []).append(group_code[group_id])
    drill: dict = {"total": {}, "agency": {}, "group": {}, "leader": {}}
    rows = annotated.order_by(F("effective_deadline").asc(nulls_last=True), "id").values_list(
        "id", "agency_id", "task_id", "task__leader_id", "status"
    )
    for pk, agency_id, task_id, leader_id, status in rows:
        drill["total"].setdefault(status, []).append(pk)
        if agency_id in code_of:  # an agency given work between two queries waits for the next summary
            drill["agency"].setdefault(code_of[agency_id], {}).setdefault(status, []).append(pk)
        leader = str(leader_id) if leader_id else NONE_KEY
        drill["leader"].setdefault(leader, {}).setdefault(status, []).append(pk)
        for code in groups_of.get(task_id) or [NONE_KEY]:
            drill["group"].setdefault(code, {}).setdefault(status, []).append(pk)
    return drill


def _task_fields(prefix: str) -> list[str]:
    return [
        f"{prefix}task_id",
        f"{prefix}task__clause",
        f"{prefix}task__item",
        f"{prefix}task__text",
        f"{prefix}task__directive__number",
        f"{prefix}task__directive__reference",
        f"{prefix}agency__code",
        f"{prefix}agency_name",
    ]


def _task_brief(item: dict, prefix: str = "") -> dict:
    return {
        "task_id": item[f"{prefix}task_id"],
        "directive": item[f"{prefix}task__directive__number"] or item[f"{prefix}task__directive__reference"],
        "clause": _clause(item[f"{prefix}task__clause"], item[f"{prefix}task__item"]),
        "text": _short(item[f"{prefix}task__text"]),
        "agency": item[f"{prefix}agency__code"],
        "agency_name": item[f"{prefix}agency_name"],
    }


def _assignment_details(ids, as_of: datetime.date) -> dict[int, dict]:
    """What the lists show of each assignment, as of the cut-off. One query."""
    details = {}
    fields = [
        "id",
        *_task_fields(""),
        "task__deadline",
        "effective_deadline",
        "completed_on",
        "status",
        "is_extended",
    ]
    for item in with_status(Assignment.objects.filter(pk__in=ids), as_of).values(*fields):
        deadline = item["effective_deadline"]
        overdue = deadline is not None and item["status"] in OVERDUE_STATUSES
        details[item["id"]] = {
            "id": item["id"],
            **_task_brief(item),
            "deadline": _iso(deadline),
            "original_deadline": _iso(item["task__deadline"]),
            "extended": bool(item["is_extended"]),
            "completed_on": _iso(item["completed_on"]),
            "status": item["status"],
            "days_overdue": (as_of - deadline).days if overdue else None,
        }
    return details


@dataclasses.dataclass
class _Sources:
    """What `compute` reads for one period: the querysets of its lists and the per-agency counts."""

    start: datetime.date
    as_of: datetime.date
    everything: object
    annotated: object
    agency_rows: list
    total: Row
    completed: object
    became_overdue: object
    completed_counts: dict
    extensions: object
    urgings: object
    urged: dict
    reminded: dict | None
    discipline: list
    at_risk: list | None


def _sources(period: Period) -> _Sources:
    start, as_of = period.start, period.cut_off
    everything = Assignment.objects.all()
    agency_rows, total = agency_table(everything, as_of)
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
    ).order_by("decided_on", "id")
    begin, stop = _local_bounds(start, as_of)
    urgings = Urging.objects.filter(at__gte=begin, at__lt=stop).order_by("at", "id")
    urged = _by_agency(urgings, "assignment__agency__code")
    reminder_model = _reminder_model()
    reminded = None
    if reminder_model is not None:
        reminded = _by_agency(
            reminder_model.objects.filter(created_at__gte=begin, created_at__lt=stop), "agency__code"
        )
    discipline = _discipline(agency_rows, start, as_of)
    return _Sources(
        start=start,
        as_of=as_of,
        everything=everything,
        annotated=annotated,
        agency_rows=agency_rows,
        total=total,
        completed=completed,
        became_overdue=became_overdue,
        completed_counts=completed_counts,
        extensions=extensions,
        urgings=urgings,
        urged=urged,
        reminded=reminded,
        discipline=discipline,
        at_risk=_targets_at_risk(as_of),
    )


def _figures(src: _Sources) -> dict:
    counts, reminded, at_risk = src.completed_counts, src.reminded, src.at_risk
    return {
        "totals": row_figures(src.total, "", name=_("Tổng cộng")),
        "agencies": [row_figures(row, row.code) for row in src.agency_rows],
        "groups": group_table(src.everything, src.as_of),
        "leaders": leader_table(src.everything, src.as_of),
        "lists": {
            "completed": sum(counts.values()),
            "completed_on_time": counts.get(Status.DONE_ON_TIME, 0),
            "completed_late": counts.get(Status.DONE_LATE, 0),
            "became_overdue": src.became_overdue.count(),
            "overdue_long": src.total.overdue_long,
            "extensions": src.extensions.count(),
            "urgings": sum(src.urged.values()),
            "reminders": sum(reminded.values()) if reminded is not None else None,
            "targets_at_risk": len(at_risk) if at_risk is not None else None,
            "agencies_expected": len(src.discipline),
            "agencies_reported": sum(1 for d in src.discipline if d["on_time"]),
        },
    }


def _list_ids(src: _Sources, drill: dict) -> dict[str, list[int]]:
    """The ids behind every list (into `drill["list"]`); returns those whose details are stored."""
    status_of = {pk: status for status, pks in drill["total"].items() for pk in pks}
    completed_ids = list(src.completed.order_by("completed_on", "id").values_list("id", flat=True))
    became_overdue_ids = list(
        src.became_overdue.order_by(F("effective_deadline").asc(nulls_last=True), "id").values_list(
            "id", flat=True
        )
    )
    overdue_long_ids = drill["total"].get(Status.OVERDUE_LONG, [])
    drill["list"] = {
        "completed": completed_ids,
        "completed_on_time": [pk for pk in completed_ids if status_of.get(pk) == Status.DONE_ON_TIME],
        "completed_late": [pk for pk in completed_ids if status_of.get(pk) == Status.DONE_LATE],
        "became_overdue": became_overdue_ids,
        "overdue_long": overdue_long_ids,
        "extensions": list(dict.fromkeys(src.extensions.values_list("assignment_id", flat=True))),
        "urgings": list(dict.fromkeys(src.urgings.values_list("assignment_id", flat=True))),
    }
    return {
        "completed": completed_ids[:DETAIL_LIMIT],
        "became_overdue": became_overdue_ids[:DETAIL_LIMIT],
        "overdue_long": overdue_long_ids[:DETAIL_LIMIT],
    }


def _extension_list(extensions) -> list[dict]:
    fields = ("old_deadline", "new_deadline", "requested_on", "decided_on")
    return [
        {
            "id": item["assignment_id"],
            **_task_brief(item, "assignment__"),
            **{name: _iso(item[name]) for name in fields},
        }
        for item in extensions.values("assignment_id", *_task_fields("assignment__"), *fields)[:DETAIL_LIMIT]
    ]


def _urging_lists(src: _Sources) -> dict[str, list[dict]]:
    """The urgings sent in the period, and urgings and reminders counted by agency."""
    urged, reminded = src.urged, src.reminded
    urgings = [
        {
            "id": item["assignment_id"],
            **_task_brief(item, "assignment__"),
            "at": timezone.localtime(item["at"]).date().isoformat(),
            "message": _short(item["message"]),
        }
        for item in src.urgings.values("assignment_id", *_task_fields("assignment__"), "at", "message")[
            :DETAIL_LIMIT
        ]
    ]
    names = {row.code: (row.name, row.short_name or row.name) for row in src.agency_rows}
    by_agency = [
        {
            "key": code,
            "name": names.get(code, (code, code))[0],
            "short_name": names.get(code, (code, code))[1],
            "urgings": urged.get(code, 0),
            "reminders": reminded.get(code, 0) if reminded is not None else None,
        }
        for code in sorted(set(urged) | set(reminded or {}))
    ]
    return {"urgings": urgings, "urgings_by_agency": by_agency}


def compute(period: Period, details: bool = True) -> Computed:
    """The figures of `period` as of its cut-off; with `details`, also the ids and the lists.

    1. The standard table by agency, by priority group, by leader in charge (GROUP BY class).
    2. Completed in the period (completed_on in [start, cut-off]), became overdue in it (deadline in
       force in [start − 1 day, cut-off − 1 day] and still not done at the cut-off), overdue more
       than 30 days at the cut-off.
    3. Extensions approved in the period (decided_on), urgings sent in it (Urging.at, Cà Mau time)
       and, when the reminders app is installed, automatic reminders created in it.
    4. Targets at risk at the cut-off (targets.progress.targets_at_risk), when the app is installed.
    5. Reporting discipline (`_discipline`).
    """
    src = _sources(period)
    figures = _figures(src)
    if not details:
        return Computed(figures=figures, drill={}, lists={})

    drill = _drill(src.annotated, src.agency_rows)
    shown = _list_ids(src, drill)
    brief = _assignment_details({pk for ids in shown.values() for pk in ids}, src.as_of)
    lists = {name: [brief[pk] for pk in ids if pk in brief] for name, ids in shown.items()}
    lists["extensions"] = _extension_list(src.extensions)
    lists |= _urging_lists(src)
    lists["targets_at_risk"] = src.at_risk
    lists["discipline"] = src.discipline
    return Computed(figures=figures, drill=drill, lists=_plain(lists))
