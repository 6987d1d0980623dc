import datetime
from decimal import Decimal

from django import template
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import format_day
from targets.charts import build_chart, vn_number, with_unit
from targets.evaluation import targets_at_risk as at_risk_data
from targets.models import Target
from targets.progress import Flag, Status
from targets.services import TARGET_FIELDS

register = template.Library()

CSS = {
    Status.MET: "ok",
    Status.ON_TRACK: "progress",
    Status.BEHIND: "late",
    Status.UNLIKELY: "overdue",
    Status.NOT_MET: "overdue",
    Status.NO_DATA: "none",
}


@register.filter
def vnum(value, places=2) -> str:
    """A number with a decimal comma, e.g. 92,5."""
    return vn_number(value, int(places))


@register.filter
def unit(value, unit_name) -> str:
    """A number with its unit: 92,5% or 100 MW; a dash when there is none."""
    return "–" if value is None else with_unit(value, unit_name)


@register.filter
def signed_unit(value, unit_name) -> str:
    """A change per period with its sign and unit: +7,5% or −0,2 hạng."""
    if value is None:
        return "–"
    text = with_unit(abs(value), unit_name)
    return ("+" if value >= 0 else "−") + text


@register.filter
def target_status_css(value) -> str:
    try:
        return CSS[Status(value)]
    except ValueError:
        return "none"


@register.filter
def target_status_label(value) -> str:
    try:
        return Status(value).label
    except ValueError:
        return ""


@register.filter
def flag_labels(codes) -> list[str]:
    labels = []
    for code in codes or []:
        try:
            labels.append(str(Flag(code).label))
        except ValueError:
            labels.append(code)
    return labels


def _show(name: str, value) -> str:
    """A stored value of a target's field as the pages show it: labels, not codes; dd/mm/yyyy."""
    if value in (None, "", []):
        return "–"
    if isinstance(value, bool):
        return str(_("có") if value else _("không"))
    if name == "milestones":  # [[due (ISO), value], ...]
        return "; ".join(
            f"{format_day(datetime.date.fromisoformat(due))}: {vn_number(Decimal(v), 4)}" for due, v in value
        )
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if name in TARGET_FIELD_NAMES:
        field = Target._meta.get_field(name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, (models.DateField,)):
            try:
                return format_day(datetime.date.fromisoformat(value))
            except (TypeError, ValueError):
                return str(value)
        if isinstance(field, models.DecimalField):
            return vn_number(Decimal(value), 4)
    return str(value)


TARGET_FIELD_NAMES = set(TARGET_FIELDS)


@register.filter
def target_changes(event) -> list[tuple[str, str, str]]:
    """(label, before, after) of each field a change to a target records (TargetEvent)."""
    before, after = event.before or {}, event.after or {}
    rows = []
    # In a fixed order: PostgreSQL's jsonb does not keep the order the keys were written in.
    order = {key: i for i, key in enumerate([*TARGET_FIELDS, "groups", "milestones"])}
    for name in sorted({*before, *after}, key=lambda k: (order.get(k, len(order)), k)):
        if name in TARGET_FIELD_NAMES:
            label = Target._meta.get_field(name).verbose_name
        else:
            label = {"groups": _("nhóm nhiệm vụ"), "milestones": _("các mốc")}.get(name, name)
        rows.append((str(label).capitalize(), _show(name, before.get(name)), _show(name, after.get(name))))
    return rows


@register.simple_tag
def target_chart(item, compact=False):
    """The chart geometry of an evaluated target, for `targets/_chart.html`."""
    return build_chart(item, compact=compact)


@register.inclusion_tag("targets/_at_risk.html", takes_context=True)
def targets_at_risk(context):
    """The targets chậm tiến độ or khó đạt on the dashboard's as-of date, with its agency and group
    filters when they are valid. Three queries whatever the number of targets."""
    data = context.get("data")
    as_of = getattr(data, "as_of", None) or timezone.localdate()
    targets = Target.objects.all()
    form = context.get("form")
    cleaned = getattr(form, "cleaned_data", None) or {}
    if cleaned.get("agency"):
        targets = targets.filter(responsible_agency_id=cleaned["agency"].pk)
    if cleaned.get("group"):
        targets = targets.in_group(cleaned["group"].pk)
    return {"items": at_risk_data(as_of, targets), "as_of": as_of}


@register.inclusion_tag("targets/_task_targets.html")
def task_targets(task):
    """The targets a task serves (issue 13, item 7), for the task page: one query."""
    return {"targets": list(task.targets.select_related("responsible_agency").order_by("order", "id"))}
