"""The lists people work from: all tasks (search and filters), an agency's workspace, the office's review queue."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.forms import form_errors
from core.http import HtmxHttpRequest
from core.pagination import page_or_error
from directives.models import Agency, Assignment

from .. import workspace as workspace_data
from ..classification import with_status
from ..filters import TaskListFilterForm
from ..permissions import Action, allowed_actions, require, with_support


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
