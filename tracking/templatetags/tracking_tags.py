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
