from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from directives.models import Assignment, Directive, Task
from tracking.classification import Status
from tracking.models import Extension

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


# How the history names what changed (TaskEvent and DirectiveEvent .before / .after keys).
FIELD_LABELS = {
    "percent": gettext_lazy("Tiến độ (%)"),
    "state": gettext_lazy("Trạng thái"),
    "last_report_on": gettext_lazy("Báo cáo gần nhất"),
    "completed_on": gettext_lazy("Ngày hoàn thành"),
    "proposed_on": gettext_lazy("Ngày giao nộp kết quả"),
    "deadline": gettext_lazy("Thời hạn"),
    "requested_deadline": gettext_lazy("Thời hạn đề nghị"),
    "status": gettext_lazy("Kết quả"),
    "agency": gettext_lazy("Cơ quan chủ trì"),
    "agency_name": gettext_lazy("Tên cơ quan"),
    "supporting_agencies": gettext_lazy("Cơ quan phối hợp"),
    "clause": gettext_lazy("Mục"),
    "item": gettext_lazy("Ý"),
    "text": gettext_lazy("Nội dung"),
    "deadline_kind": gettext_lazy("Loại thời hạn"),
    "deadline_text": gettext_lazy("Thời hạn theo văn bản"),
    "recurrence": gettext_lazy("Chu kỳ"),
    "leader": gettext_lazy("Lãnh đạo phụ trách"),
    "groups": gettext_lazy("Nhóm nhiệm vụ"),
    "last_urged_on": gettext_lazy("Đôn đốc gần nhất"),
    # A directive's fields (DirectiveEvent).
    "number": gettext_lazy("Số, ký hiệu"),
    "type": gettext_lazy("Loại văn bản"),
    "issue_date": gettext_lazy("Ngày ban hành"),
    "issuer": gettext_lazy("Cơ quan ban hành"),
    "signer": gettext_lazy("Người ký"),
    "signer_title": gettext_lazy("Chức vụ người ký"),
    "summary": gettext_lazy("Trích yếu"),
    "file": gettext_lazy("Tệp đính kèm"),
}
HIDDEN_KEYS = {"report", "extension", "urging", "comment", "contribution"}


def _value_labels() -> dict:
    """How the history shows stored codes: the same labels the pages use."""
    return {
        "type": Directive.Type,
        "state": Assignment.State,
        "status": Extension.Status,
        "deadline_kind": Task.DeadlineKind,
        "recurrence": Task.Recurrence,
    }


def _show(value, key: str = "") -> str:
    choices = _value_labels().get(key)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    if key == "leader" and isinstance(value, int):
        return str(User.objects.filter(pk=value).first() or value)
    if value in (None, "", []):
        return "–"
    if key == "file" and isinstance(value, str):
        return value.rsplit("/", 1)[-1]  # the stored path's file name, not the upload folder
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:]}/{value[5:7]}/{value[:4]}"  # ISO date → dd/mm/yyyy
    return str(value)


@register.filter
def changes(event) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field a history entry records, dates as dd/mm/yyyy."""
    before, after = event.before or {}, event.after or {}
    # In a fixed order: PostgreSQL's jsonb does not keep the order the keys were written in.
    order = {key: i for i, key in enumerate(FIELD_LABELS)}
    keys = sorted(
        (k for k in {*before, *after} if k not in HIDDEN_KEYS), key=lambda k: (order.get(k, len(order)), k)
    )
    return [(str(FIELD_LABELS.get(k, k)), _show(before.get(k), k), _show(after.get(k), k)) for k in keys]
