"""Load the real targets from intake/data/targets_2023.json (built by reading the seed documents).

Idempotent like intake.loading.programme: targets are matched on their code, milestones on (target, due),
and a row is only saved when something differs, so a second run changes nothing.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from directives.models import Agency, Directive, PriorityGroup, Task
from targets.models import Milestone, Target
from targets.progress import Frequency, Trajectory

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "targets_2023.json"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _decimal(value):
    return Decimal(value) if value not in (None, "") else None


def _upsert(model, lookup: dict, values: dict):
    """Create, or update only the fields that differ. Returns (obj, created, changed)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=[*changed, "updated_at"] if hasattr(obj, "updated_at") else changed)
    return obj, False, bool(changed)


def target_values(item: dict, agencies: dict, directives: dict) -> dict:
    """The Target fields of one data-file entry."""
    return {
        "name": item["name"],
        "unit": item["unit"],
        "direction": item["direction"],
        "target_value": _decimal(item["target_value"]),
        "target_is_change": item.get("target_is_change", False),
        "target_text": item["target_text"],
        "period_label": item["period_label"],
        "period_start": _date(item["period_start"]),
        "period_end": _date(item["period_end"]),
        "baseline": _decimal(item.get("baseline")),
        "baseline_date": _date(item.get("baseline_date")),
        "baseline_note": item.get("baseline_note", ""),
        "trajectory": item.get("trajectory", Trajectory.LINEAR),
        "cumulative": item.get("cumulative", False),
        "is_share": item.get("is_share", False),
        "frequency": item.get("frequency", Frequency.MONTH),
        "responsible_agency": agencies[item["agency"]],
        "agency_note": item.get("agency_note", ""),
        "directive": directives.get(item.get("directive")),
        "clause": item.get("clause", ""),
        "quote": item.get("quote", ""),
        "source_line": item.get("source_line"),
        "order": item.get("order", 0),
        "is_simulated": item.get("is_simulated", False),
    }


@transaction.atomic
def load_targets(data: dict | None = None) -> dict[str, int]:
    """Load the targets and their milestones. Returns counts of new and changed rows.

    Needs the agencies, groups and directives of intake.loading.programme.load_programme.
    """
    if data is None:
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    items = data["targets"]
    agencies = {a.code: a for a in Agency.objects.filter(code__in={i["agency"] for i in items})}
    directives = {
        d.reference: d for d in Directive.objects.filter(reference__in={i.get("directive") for i in items})
    }
    groups = {g.code: g.pk for g in PriorityGroup.objects.all()}
    counts = {"targets": 0, "milestones": 0, "changed": 0}
    for item in items:
        target, created, changed = _upsert(
            Target, {"code": item["code"]}, target_values(item, agencies, directives)
        )
        counts["targets"] += created
        counts["changed"] += changed and not created
        wanted_groups = {groups[code] for code in item.get("groups", [])}
        if created or set(target.groups.values_list("pk", flat=True)) != wanted_groups:
            target.groups.set(wanted_groups)
            counts["changed"] += not created
        wanted_dues = set()
        for milestone in item.get("milestones", []):
            due = _date(milestone["due"])
            wanted_dues.add(due)
            _obj, m_created, m_changed = _upsert(
                Milestone,
                {"target": target, "due": due},
                {"value": _decimal(milestone["value"]), "quote": milestone.get("quote", "")},
            )
            counts["milestones"] += m_created
            counts["changed"] += m_changed and not m_created
        stale = target.milestones.exclude(due__in=wanted_dues)
        if not created and stale.exists():
            counts["changed"] += stale.delete()[0]
        counts["changed"] += _link_tasks(target, item, created)
    return counts


def _link_tasks(target: Target, item: dict, created: bool) -> int:
    """The tasks serving the target: those of its directive read from the line it quotes (or the lines
    `task_lines` names, for a footnote's target). Returns 1 when an existing target's links changed."""
    lines = item.get("task_lines") or [item.get("source_line")]
    wanted = (
        set(
            Task.objects.filter(directive=target.directive, source_line__in=lines).values_list(
                "pk", flat=True
            )
        )
        if target.directive_id
        else set()
    )
    if set(target.tasks.values_list("pk", flat=True)) == wanted:
        return 0
    target.tasks.set(wanted)
    return 0 if created else 1
