"""How a reminder reads, in Vietnamese: one sentence used by the bell, the bulletin, the e-mail and
the dry run, so they always say the same thing."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import format_day

from . import rules

SECTION_ORDER = [
    (rules.ESCALATION, gettext_lazy("Quá hạn lâu, đã báo cáo lãnh đạo phụ trách và Văn phòng")),
    (rules.OVERDUE, gettext_lazy("Quá hạn")),
    (rules.DUE, gettext_lazy("Đến hạn")),
    (rules.BEFORE, gettext_lazy("Sắp đến hạn")),
    (rules.NO_REPORT, gettext_lazy("Lâu chưa báo cáo tiến độ")),
]


def describe(
    kind: str, step: int, due_date, days: int, is_occurrence: bool = False, level: str = "lead"
) -> str:
    """The sentence for one notice, e.g. "Còn 3 ngày làm việc đến hạn 26/11/2026"."""
    date = format_day(due_date)
    if kind == rules.BEFORE:
        text = _("Còn %(n)s ngày làm việc đến hạn %(date)s") % {"n": step, "date": date}
    elif kind == rules.DUE:
        text = _("Đến hạn ngày %(date)s") % {"date": date}
    elif kind == rules.OVERDUE:
        text = _("Quá hạn %(days)s ngày (hạn %(date)s)") % {"days": days, "date": date}
    elif kind == rules.ESCALATION:
        text = _("Quá hạn %(days)s ngày (hạn %(date)s): đã báo cáo lãnh đạo phụ trách và Văn phòng") % {
            "days": days,
            "date": date,
        }
    else:
        text = _("%(days)s ngày chưa báo cáo tiến độ (kể từ ngày %(date)s)") % {"days": days, "date": date}
    if is_occurrence:
        text = _("Báo cáo định kỳ: %(text)s") % {"text": text[:1].lower() + text[1:]}
    if level == "support":
        text = _("%(text)s (cơ quan phối hợp)") % {"text": text}
    return text


def describe_reminder(reminder, level: str = "lead") -> str:
    return describe(
        reminder.kind, reminder.step, reminder.due_date, reminder.days, reminder.is_occurrence, level
    )
