import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.dates import format_day
from core.forms import form_errors
from core.http import HtmxHttpRequest
from core.pagination import page_or_error
from directives.models import Agency, Assignment, Task

from . import dashboard as dashboard_data
from . import workspace as workspace_data
from .classification import with_status
from .filters import AssignmentFilterForm, TaskListFilterForm
from .models import Heartbeat
from .permissions import Action, allowed_actions, require, with_support


@require_GET
def healthz(request: HtmxHttpRequest):
    """For the container health check: answers once the database answers."""
    Heartbeat.objects.exists()
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest):
    form, data, errors = _dashboard_or_errors(request)
    context = {
        "form": form,
        "data": data,
        "errors": errors,
    }
    status = 400 if errors else 200
    template = "tracking/dashboard.html#dashboard-body" if request.htmx else "tracking/dashboard.html"
    return render(request, template, context, status=status)


def _dashboard_or_errors(request: HtmxHttpRequest):
    """The dashboard figures for the request's filters, or the Vietnamese messages of bad input."""
    form = AssignmentFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None, form_errors(form)
    assignments = Assignment.objects.all()
    if form.is_bound:
        assignments = form.filter_assignments(assignments)
    return form, dashboard_data.build(assignments, form.as_of_date), []


@require_GET
@login_required
def dashboard_json(request: HtmxHttpRequest):
    _form, data, errors = _dashboard_or_errors(request)
    if errors:
        return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(
        {
            "as_of": format_day(data.as_of),
            "as_of_iso": data.as_of.isoformat(),
            "simulated_data_present": Task.objects.filter(is_simulated=True).exists(),
            "totals": data.total.as_dict() | {"code": None, "name": _("Tổng cộng")},
            "agencies": [row.as_dict() for row in data.rows],
            "due_soon": [dashboard_data.assignment_brief(a) for a in data.due_soon],
            "overdue": [dashboard_data.assignment_brief(a) for a in data.overdue],
            "overdue_count": data.overdue_count,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _cell(value) -> str:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
@login_required
def dashboard_csv(request: HtmxHttpRequest):
    _form, data, errors = _dashboard_or_errors(request)
    if errors:
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tinh-hinh-thuc-hien-{data.as_of:%Y%m%d}.csv"'
    response.write("\ufeff")  # BOM so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Số liệu tính đến ngày"), format_day(data.as_of)])
    writer.writerow(
        [
            _("STT"),
            _("Cơ quan chủ trì"),
            _("Tổng số"),
            _("Hoàn thành đúng hạn"),
            _("Hoàn thành quá hạn"),
            _("Đang thực hiện trong hạn"),
            _("Quá hạn"),
            _("Trong đó quá hạn trên 30 ngày"),
            _("Không thời hạn"),
            _("Tạm dừng"),
            _("Hủy bỏ"),
            _("Tỷ lệ hoàn thành đúng hạn (%)"),
        ]
    )

    def numbers(row):
        rate = "" if row.on_time_rate is None else str(row.on_time_rate).replace(".", ",")
        return [
            row.total,
            row.done_on_time,
            row.done_late,
            row.in_progress,
            row.overdue,
            row.overdue_long,
            row.no_deadline,
            row.paused,
            row.cancelled,
            rate,
        ]

    for index, row in enumerate(data.rows, start=1):
        writer.writerow([index, _cell(row.name), *numbers(row)])
    writer.writerow(["", _("Tổng cộng"), *numbers(data.total)])
    return response


@require_GET
@login_required
def task_list(request: HtmxHttpRequest):
    form = TaskListFilterForm(request.GET or None)
    context = {"form": form}
    status = 200
    if form.is_bound and not form.is_valid():
        context["errors"] = form_errors(form)
        status = 400
    else:
        as_of = form.as_of_date
        assignments = with_status(Assignment.objects.all(), as_of)
        if form.is_bound:
            assignments = form.filter_assignments(assignments)
        assignments = assignments.select_related("task__directive", "agency").order_by(
            "task__directive__issue_date", "task_id", "agency__name"
        )
        page, error = page_or_error(request, assignments, settings.PAGE_SIZE)
        if error:
            context["errors"] = [error]
            status = 400
        else:
            context.update(page=page, as_of=as_of)
    template = "tracking/task_list.html#task-table" if request.htmx else "tracking/task_list.html"
    return render(request, template, context, status=status)


@require_GET
@login_required
def workspace(request: HtmxHttpRequest):
    """Việc của đơn vị: what an agency leads and supports, the urgings and the leaders' comments."""
    user = request.user
    code = request.GET.get("agency")
    agency = user.agency if user.is_agency_user and not code else None
    errors = []
    if code:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            errors.append(_("Cơ quan “%(code)s” không có trong danh sách.") % {"code": code})
    context = {"agency": agency, "errors": errors, "agencies": Agency.objects.order_by("name")}
    if agency is None:
        return render(request, "tracking/workspace.html", context, status=400 if errors else 200)
    today = timezone.localdate()
    data = workspace_data.agency_workspace(agency, today)
    page, error = page_or_error(request, data["lead"], settings.PAGE_SIZE)
    if error:
        context["errors"] = [error]
        return render(request, "tracking/workspace.html", context, status=400)
    page.object_list = list(page.object_list)
    for a in page.object_list:
        a.actions = allowed_actions(user, a)
    supported = list(with_support(data["supported"], user)[: workspace_data.SUPPORTED_LIMIT])
    for t in supported:
        t.actions = allowed_actions(user, t)
    context.update(
        data,
        page=page,
        today=today,
        supported=supported,
        supported_count=data["supported"].count(),
    )
    return render(request, "tracking/workspace.html", context)


@require_GET
@login_required
def review(request: HtmxHttpRequest):
    """The office's queue: completions to confirm, extension requests to decide."""
    require(request.user, Action.REVIEW_COMPLETION)
    today = timezone.localdate()
    data = workspace_data.review_queue(today)
    context = {
        "today": today,
        "proposals": list(data["proposals"][: workspace_data.QUEUE_LIMIT]),
        "proposal_count": data["proposals"].count(),
        "extensions": list(data["extensions"][: workspace_data.QUEUE_LIMIT]),
        "extension_count": data["extensions"].count(),
    }
    return render(request, "tracking/review.html", context)
