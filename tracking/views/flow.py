"""The shared flow of every write page (see `write_page`): form, service, answer.

Each view asks tracking.permissions first (403 and nothing changes), parses a form, and calls one
function of a service module. The forms open and save in place with htmx (the answer to an htmx
request is a partial) and work as plain pages without JavaScript (a redirect after success).
Errors come back as the same form with the Vietnamese message (400), a concurrent change as 409.
"""

import re

from django.contrib import messages
from django.forms.models import BaseModelForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh, retarget

from core.dates import format_day
from core.http import HtmxHttpRequest
from directives.models import Assignment

from .. import services
from ..permissions import allowed_actions
from ..workspace import annotate_rows

GET_POST = require_http_methods(["GET", "POST"])


def next_url(request: HtmxHttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def conflict_message(current) -> str:
    if isinstance(current, Assignment):
        return _(
            "Trong lúc bạn nhập, nhiệm vụ đã được người khác cập nhật: hiện tại %(state)s, tiến độ "
            "%(percent)s%%, báo cáo gần nhất %(last)s. Nội dung bạn nhập vẫn còn dưới đây (tệp đính kèm "
            "cần chọn lại); hãy kiểm tra rồi gửi lại."
        ) % {
            "state": current.get_state_display().lower(),
            "percent": current.percent,
            "last": format_day(current.last_report_on) if current.last_report_on else "–",
        }
    return _(
        "Trong lúc bạn sửa, nhiệm vụ đã được người khác cập nhật (nội dung hiện tại: “%(text)s”, thời hạn "
        "%(deadline)s). Nội dung bạn nhập vẫn còn dưới đây; hãy kiểm tra rồi lưu lại."
    ) % {
        "text": current.text[:200],
        "deadline": format_day(current.deadline) if current.deadline else _("không thời hạn"),
    }


def write_page(
    request: HtmxHttpRequest, *, form, perform, title, submit, task=None, assignment=None, intro="", success
):
    """Shared flow of every write page.

    1. GET: the empty form (a partial for htmx, the page otherwise).
    2. POST: the form checks its fields; `perform(cleaned_data)` calls the service.
    3. ServiceError → the form again with the message (400); Conflict → the form with the current
       state and the user's input kept, its version moved to the current one (409).
    4. Success → `success(result)`: a partial for htmx, a redirect with a message otherwise.
    """
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = perform(form.cleaned_data)
            except services.Conflict as conflict:
                data = request.POST.copy()
                data["version"] = conflict.current.version
                form = rebound(form, data, request.FILES)
                form.is_valid()
                form.add_error(None, conflict_message(conflict.current))
                status = 409
            except services.ServiceError as error:
                for message in error.messages:
                    form.add_error(None, message)
                status = 400
            else:
                return success(result)
        else:
            status = 400
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "task": task,
        "assignment": assignment,
        "intro": intro,
        "action_url": request.get_full_path(),
        "next": next_url(request, ""),
    }
    template = "tracking/action.html#action-form" if request.htmx else "tracking/action.html"
    return render(request, template, context, status=status)


def rebound(form, data, files):
    """The same kind of form bound to `data`; a model form keeps the instance it edits."""
    kwargs = {"instance": form.instance} if isinstance(form, BaseModelForm) else {}
    return form.__class__(data, files, **kwargs)


def done(request: HtmxHttpRequest, message: str, default_url: str, row_assignment=None):
    """After a successful write: refresh the row in place for htmx, or redirect with a message."""
    if request.htmx:
        if row_assignment is not None and request.GET.get("from") == "workspace":
            return workspace_row(request, row_assignment, message)
        item = request.GET.get("item", "")
        if request.GET.get("from") == "review" and re.fullmatch(r"review-(proposal|extension)-\d+", item):
            response = render(request, "tracking/review.html#review-done", {"message": message})
            return retarget(response, f"#{item}")
        messages.success(request, message)
        if request.htmx.current_url_abs_path == request.get_full_path():
            # The form was the whole page (a new directive, a new task): refreshing it would show a
            # blank form again, so go where the saved row is (its page, with "Thêm nhiệm vụ").
            return HttpResponseClientRedirect(next_url(request, default_url))
        return HttpResponseClientRefresh()
    messages.success(request, message)
    if request.GET.get("from") in ("workspace", "review"):
        default_url = reverse(request.GET["from"])
    return redirect(next_url(request, default_url))


def workspace_row(request: HtmxHttpRequest, assignment, message):
    row = annotate_rows(Assignment.objects.filter(pk=assignment.pk), timezone.localdate()).get()
    row.actions = allowed_actions(request.user, row)
    response = render(request, "tracking/workspace.html#work-row", {"a": row, "flash": message})
    return retarget(response, f"#row-{assignment.pk}")
