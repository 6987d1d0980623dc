from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _

from summaries import columns, report
from tracking.templatetags.tracking_tags import status_css, status_label

register = template.Library()


@register.filter
def dmy(value) -> str:
    """An ISO date (as stored in a summary) or a date → dd/mm/yyyy."""
    return report.vn_date(value)


@register.filter
def vn_int(value) -> str:
    return report.vn_int(value)


@register.filter
def vn_rate(value) -> str:
    return report.vn_rate(value)


@register.filter
def svg(value) -> str:
    """A coordinate for SVG: a dot for decimals whatever the page's language."""
    return f"{float(value):.1f}"


@register.filter
def list_figure(value: report.Report, name: str):
    return value.list_figure(name)


@register.filter
def page_columns(listing: columns.Listing, value: report.Report) -> list[columns.Column]:
    """The columns of a list (summaries/columns.py) the page shows for this report."""
    return listing.columns_in(columns.PAGE, value)


# --- the page's cells (the columns are declared in summaries/columns.py) ------------------------------


def _task_link(column, row):
    url = reverse("task-detail", args=[row["task_id"]])
    return "nowrap", format_html('<a href="{}">{}<br>{}</a>', url, row["directive"], row["clause"])


def _deadline(column, row):
    tag = format_html('<br><span class="tag">{}</span>', _("đã gia hạn")) if row.get("extended") else ""
    return "nowrap", format_html("{}{}", report.vn_date(row.get("deadline")), tag)


def _outcome(column, row):
    """The last column of an assignment list: when it was completed, or for how many days it is late."""
    if row.get("completed_on"):
        text = format_html(
            '{} <span class="status {}">{}</span>',
            report.vn_date(row["completed_on"]),
            status_css(row.get("status")),
            status_label(row.get("status")),
        )
    elif row.get("days_overdue") is not None:
        text = _("%(n)s ngày") % {"n": row["days_overdue"]}
    else:
        text = ""
    return "nowrap", text


def _at_risk(column, row):
    return "", format_html('<span class="status overdue">{}</span>', column.value(row))


def _assessment(column, row):
    css = "ok" if row["on_time"] else "overdue"
    return "", format_html('<span class="status {}">{}</span>', css, column.value(row))


def _by_kind(column, row):
    value = column.value(row)
    if column.kind == columns.COUNT:
        return "num", report.vn_int(value)
    if column.kind == columns.DATE:
        return "nowrap", report.vn_date(value)
    if column.page_chars:
        value = truncatechars(value, column.page_chars)
    return "", value


PAGE_CELLS = {
    "task-link": _task_link,
    "deadline": _deadline,
    "outcome": _outcome,
    "at-risk": _at_risk,
    "assessment": _assessment,
    "": _by_kind,
}


@register.simple_tag
def page_cell(column: columns.Column, row: dict) -> str:
    """One `<td>` of a list on the summary page, as its column declares it."""
    css, content = PAGE_CELLS[column.page_cell](column, row)
    content = conditional_escape("None" if content is None else content)
    if css:
        return format_html('<td class="{}">{}</td>', css, content)
    return format_html("<td>{}</td>", content)
