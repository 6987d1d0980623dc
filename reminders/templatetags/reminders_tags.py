from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import bulletin as bulletin_data
from ..models import DigestOutbox, Notification

register = template.Library()


@register.inclusion_tag("reminders/_bell.html", takes_context=True)
def notification_bell(context, oob=False):
    """The bell with the unread count: one query per page. `oob` re-renders it out of band
    (htmx) after notifications were marked read."""
    user = context["request"].user
    unread = (
        Notification.objects.filter(user=user, read_at__isnull=True).count() if user.is_authenticated else 0
    )
    return {"unread": unread, "oob": oob}


@register.inclusion_tag("reminders/_agency_reminders.html")
def agency_reminders(agency, limit=bulletin_data.AGENCY_REMINDERS_LIMIT):
    """An agency's recent reminders, as lead or supporting agency, for its workspace (one query)."""
    return {"agency": agency, "lines": bulletin_data.agency_reminders(agency, limit)}


@register.inclusion_tag("reminders/bulletin.html#bulletin")
def reminder_bulletin():
    """The office's daily bulletin; it refreshes itself every minute with htmx."""
    return {"bulletin": bulletin_data.build()}


@register.filter
def digest_state(digest) -> str:
    """How today's digest of an agency stands, for the bulletin."""
    if not digest:
        return _("không có thư hôm nay")
    if digest["sent_at"]:
        if digest["outcome"] == DigestOutbox.Outcome.SENT:
            return _("đã gửi thư lúc %(time)s") % {
                "time": timezone.localtime(digest["sent_at"]).strftime("%H:%M")
            }
        return str(DigestOutbox.Outcome(digest["outcome"]).label)
    if digest["claimed_at"]:
        return _("đang gửi thư")
    return _("thư chờ gửi")
