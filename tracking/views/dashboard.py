"""The dashboard: the standard table by agency with its lists, as a page, JSON and CSV; the health check."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.dates import format_day
from core.forms import form_errors
from core.http import HtmxHttpRequest
from directives.models import Assignment, Task

from .. import dashboard as dashboard_data
from .. import exports
from ..filters import AssignmentFilterForm
from ..models import Heartbeat


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
    form, data, errors = _dashboard_or_errors(request)
    if errors:
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    return exports.csv_response(data, form)


@require_GET
@login_required
def dashboard_xlsx(request: HtmxHttpRequest):
    form, data, errors = _dashboard_or_errors(request)
    if errors:
        return HttpResponse("\n".join(errors), status=400, content_type="text/plain; charset=utf-8")
    return exports.xlsx_response(data, form)
