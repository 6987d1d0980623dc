"""Load the real 2023 programme from intake/data/camau_2023.json (built from the seed documents).

Loading is idempotent: rows are matched on natural keys (agency code, group code, directive
reference, directive + clause + item, task + agency) and only saved when something differs, so a
second run changes nothing.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from directives.models import Agency, Assignment, Directive, PriorityGroup, Task
from intake.deadlines import period_end
from tracking.classification import refresh_deadlines
from tracking.models import TaskEvent

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_FILE = DATA_DIR / "camau_2023.json"
SOURCES_DIR = DATA_DIR / "sources"

# Group tokens in the data file: "all departments" and "all district committees" of the text.
GROUP_TOKENS = {"@departments": Agency.Kind.DEPARTMENT, "@districts": Agency.Kind.DISTRICT}


def _upsert(model, lookup: dict, values: dict):
    """Create, or update only the fields that differ. Returns (obj, created, changed)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return obj, False, bool(changed)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _deadline(item: dict):
    """A period ("trong quý I năm 2023") counts until the period's last day."""
    if item.get("deadline"):
        return _date(item["deadline"])
    if item.get("deadline_kind") == Task.DeadlineKind.PERIOD:
        return period_end(item.get("deadline_text") or "")
    return None


def expand_agencies(codes: list[str], by_code: dict[str, Agency]) -> list[Agency]:
    """Agency codes and group tokens → agencies, in order, without repeats."""
    result: list[Agency] = []
    for code in codes:
        if code in GROUP_TOKENS:
            kind = GROUP_TOKENS[code]
            members = sorted((a for a in by_code.values() if a.kind == kind), key=lambda a: a.name)
        else:
            members = [by_code[code]]
        result.extend(a for a in members if a not in result)
    return result


class _Counts:
    """New rows per kind, and how many existing rows a reload changed."""

    def __init__(self):
        self.created = dict.fromkeys(["agencies", "groups", "directives", "tasks", "assignments"], 0)
        self.changed = 0

    def add(self, kind: str, is_new: bool, is_changed: bool) -> None:
        self.created[kind] += is_new
        self.changed += is_changed and not is_new


@transaction.atomic
def load_programme(data: dict | None = None) -> dict[str, int]:
    """Load agencies, priority groups, directives, tasks and assignments. Returns counts of new rows."""
    if data is None:
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    counts = _Counts()
    by_code = _load_agencies(data["agencies"], counts)
    groups = _load_groups(data["priority_groups"], counts)
    directives = _load_directives(data["directives"], counts)
    now = timezone.now()
    for item in data["tasks"]:
        _load_task(item, directives[item["directive"]], by_code, groups, counts, now)
    if counts.changed:
        # A reload that moved a deadline: the assignments' deadline in force follows, explicitly.
        refresh_deadlines(Assignment.objects.filter(task__directive__in=directives.values()))
    return counts.created | {"changed": counts.changed}


def _load_agencies(items: list[dict], counts: _Counts) -> dict[str, Agency]:
    by_code: dict[str, Agency] = {}
    for item in items:
        agency, is_new, is_changed = _upsert(
            Agency,
            {"code": item["code"]},
            {
                "name": item["name"],
                "short_name": item["short_name"],
                "kind": item["kind"],
                "aliases": item.get("aliases", []),
            },
        )
        by_code[agency.code] = agency
        counts.add("agencies", is_new, is_changed)
    return by_code


def _load_groups(items: list[dict], counts: _Counts) -> dict[str, PriorityGroup]:
    groups: dict[str, PriorityGroup] = {}
    for item in sorted(items, key=lambda g: g["parent"] is not None):  # parents first
        group, is_new, is_changed = _upsert(
            PriorityGroup,
            {"code": item["code"]},
            {
                "name": item["name"],
                "kind": item["kind"],
                "order": item.get("order") or 0,
                "parent": groups.get(item["parent"]) if item.get("parent") else None,
            },
        )
        groups[group.code] = group
        counts.add("groups", is_new, is_changed)
    return groups


def _load_directives(items: list[dict], counts: _Counts) -> dict[str, Directive]:
    directives: dict[str, Directive] = {}
    for item in items:
        source = SOURCES_DIR / item["source"]
        directive, is_new, is_changed = _upsert(
            Directive,
            {"reference": item["key"]},
            {
                "number": item.get("number") or "",
                "type": item["type"],
                "issue_date": _date(item.get("issue_date")),
                "issuer": item.get("issuer") or "Ủy ban nhân dân tỉnh Cà Mau",
                "signer": item.get("signer") or "",
                "signer_title": item.get("signer_title") or "",
                "summary": item["summary"],
                "text": source.read_text(encoding="utf-8") if source.exists() else "",
            },
        )
        directives[directive.reference] = directive
        counts.add("directives", is_new, is_changed)
    return directives


def _load_task(item: dict, directive: Directive, by_code, groups, counts: _Counts, now) -> None:
    """One task of the data file: its fields, groups and supporting agencies, and a new assignment
    (with its history entry) for each lead agency it does not have yet."""
    task, is_new, is_changed = _upsert(
        Task,
        {"directive": directive, "clause": item["clause"], "item": item.get("item") or 0},
        {
            "text": item["text"],
            "block_text": item.get("block_text") or "",
            "support_text": item.get("support_text") or "",
            "deadline_kind": item.get("deadline_kind") or Task.DeadlineKind.NONE,
            "deadline": _deadline(item),
            "deadline_text": item.get("deadline_text") or "",
            "recurrence": item.get("recurrence") or "",
            "source_line": item.get("source_line"),
        },
    )
    counts.add("tasks", is_new, is_changed)
    wanted_groups = {groups[code].pk for code in item.get("groups", [])}
    if set(task.groups.values_list("pk", flat=True)) != wanted_groups:
        task.groups.set(wanted_groups)
    wanted_supporters = {a.pk for a in expand_agencies(item.get("supports", []), by_code)}
    if set(task.supporting_agencies.values_list("pk", flat=True)) != wanted_supporters:
        task.supporting_agencies.set(wanted_supporters)
    existing = set(task.assignments.values_list("agency_id", flat=True))
    when = (
        timezone.make_aware(datetime.datetime.combine(directive.issue_date, datetime.time(8)))
        if directive.issue_date
        else now
    )
    for agency in expand_agencies(item["leads"], by_code):
        if agency.pk in existing:
            continue
        assignment = Assignment.objects.create(
            task=task, agency=agency, agency_name=agency.name, assigned_on=directive.issue_date
        )
        counts.created["assignments"] += 1
        TaskEvent.objects.create(
            task=task,
            assignment=assignment,
            at=when,
            kind=TaskEvent.Kind.CREATED,
            summary=f"Giao {agency.name} chủ trì theo {directive}, mục {task.clause_display}.",
            after={"agency": agency.code, "deadline": item.get("deadline")},
        )
