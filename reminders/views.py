"""The bell's list (/notifications/) and the office's bulletin (/reminders/bulletin/)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.http import HtmxHttpRequest
from core.pagination import page_or_error

from . import bulletin as bulletin_data
from . import services, texts
from .models import Notification

PAGE_SIZE = 50


def _notification_page(request: HtmxHttpRequest):
    notifications = (
        Notification.objects.filter(user=request.user)
        .select_related("reminder__assignment__task__directive", "reminder__agency")
        .order_by("-created_at", bulletin_data.urgency_order("reminder__"), "-id")
    )
    page, error = page_or_error(request, notifications, PAGE_SIZE)
    if error:
        return None, error
    for notification in page.object_list:
        notification.text = texts.describe_reminder(notification.reminder, notification.level)
    return page, None


def _render_list(request: HtmxHttpRequest, status=200):
    page, error = _notification_page(request)
    context = {"page": page, "errors": [error] if error else []}
    template = (
        "reminders/notifications.html#notification-list" if request.htmx else "reminders/notifications.html"
    )
    return render(request, template, context, status=400 if error else status)


@require_GET
@login_required
def notification_list(request: HtmxHttpRequest):
    return _render_list(request)


@require_POST
@login_required
def notification_read(request: HtmxHttpRequest, pk: int):
    """Mark one of one's own notifications read; another person's is a 404 and nothing changes."""
    services.mark_read(request.user, pk)
    if request.htmx:
        return _render_list(request)
    return redirect(_back(request))


@require_POST
@login_required
def notifications_read_all(request: HtmxHttpRequest):
    services.mark_all_read(request.user)
    if request.htmx:
        return _render_list(request)
    return redirect(_back(request))


def _back(request: HtmxHttpRequest) -> str:
    from django.urls import reverse

    page = request.POST.get("page", "")
    url = reverse("notifications")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url


@require_GET
@login_required
def bulletin(request: HtmxHttpRequest):
    """The office's daily bulletin; polled by htmx every minute on the dashboard."""
    context = {"bulletin": bulletin_data.build()}
    template = "reminders/bulletin.html#bulletin" if request.htmx else "reminders/bulletin.html"
    return render(request, template, context)
