from django import template
from django.utils.translation import gettext as _

from tracking.classification import Status

register = template.Library()

CSS = {
    Status.DONE_ON_TIME: "ok",
    Status.DONE_LATE: "late",
    Status.IN_PROGRESS: "progress",
    Status.OVERDUE: "overdue",
    Status.OVERDUE_LONG: "overdue",
    Status.NO_DEADLINE: "none",
    Status.PAUSED: "muted",
    Status.CANCELLED: "muted",
}


@register.filter
def status_label(value) -> str:
    try:
        return Status(value).label
    except ValueError:
        return _("Chưa giao")


@register.filter
def status_css(value) -> str:
    try:
        return CSS[Status(value)]
    except ValueError:
        return "muted"


@register.filter
def rate(value) -> str:
    """A percentage with a decimal comma, or a dash when there is nothing to divide."""
    if value is None:
        return "–"
    return f"{value}".replace(".", ",") + "%"


@register.simple_tag(takes_context=True)
def query(context, **overrides) -> str:
    """The current page's filters with some values replaced, as '?a=b'."""
    params = context["request"].GET.copy()
    for key, value in overrides.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


# How the history names what changed (TaskEvent.before / .after keys).
FIELD_LABELS = {
    "percent": _("Tiến độ (%)"),
    "state": _("Trạng thái"),
    "last_report_on": _("Báo cáo gần nhất"),
    "completed_on": _("Ngày hoàn thành"),
    "proposed_on": _("Ngày giao nộp kết quả"),
    "deadline": _("Thời hạn"),
    "requested_deadline": _("Thời hạn đề nghị"),
    "status": _("Kết quả"),
    "agency": _("Cơ quan chủ trì"),
    "agency_name": _("Tên cơ quan"),
    "supporting_agencies": _("Cơ quan phối hợp"),
    "clause": _("Mục"),
    "item": _("Ý"),
    "text": _("Nội dung"),
    "deadline_kind": _("Loại thời hạn"),
    "deadline_text": _("Thời hạn theo văn bản"),
    "recurrence": _("Chu kỳ"),
    "leader": _("Lãnh đạo phụ trách"),
}
HIDDEN_KEYS = {"report", "extension", "urging", "comment", "contribution"}


def _show(value) -> str:
    if value in (None, "", []):
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:]}/{value[5:7]}/{value[:4]}"  # ISO date → dd/mm/yyyy
    return str(value)


@register.filter
def changes(event) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field a history entry records, dates as dd/mm/yyyy."""
    before, after = event.before or {}, event.after or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in HIDDEN_KEYS]
    return [(str(FIELD_LABELS.get(k, k)), _show(before.get(k)), _show(after.get(k))) for k in keys]
