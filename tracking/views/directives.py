"""The pages of directives and tasks: the lists and pages that read them (with each assignment's
class and the history), and the office's forms that create and edit them (through `flow.write_page`
and tracking.services, which record every change in the history)."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.http import HtmxHttpRequest
from core.pagination import page_or_error
from directives.models import Assignment, Directive, Task

from .. import forms, services
from ..classification import DONE_STATUSES, OVERDUE_STATUSES, with_status
from ..models import (
    Comment,
    Contribution,
    DirectiveEvent,
    Extension,
    ProgressReport,
    TaskEvent,
    Urging,
)
from ..permissions import Action, allowed_actions, get_task_for_user, require
from .flow import GET_POST, done, write_page

DIRECTIVES_PER_PAGE = 50
TASKS_PER_PAGE = 250


@require_GET
@login_required
def directive_list(request: HtmxHttpRequest):
    today = timezone.localdate()
    directives = Directive.objects.annotate(task_count=Count("tasks")).order_by("-issue_date", "reference")
    page, error = page_or_error(request, directives, DIRECTIVES_PER_PAGE)
    if error:
        return render(request, "tracking/directive_list.html", {"errors": [error]}, status=400)
    ids = [d.id for d in page.object_list]
    counts = defaultdict(lambda: defaultdict(int))
    grouped = (
        with_status(Assignment.objects.filter(task__directive_id__in=ids), today)
        .values("task__directive_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in grouped:
        by_status = counts[item["task__directive_id"]]
        by_status["assignments"] += item["n"]
        if item["status"] in DONE_STATUSES:
            by_status["done"] += item["n"]
        if item["status"] in OVERDUE_STATUSES:
            by_status["overdue"] += item["n"]
    for directive in page.object_list:
        directive.counts = counts[directive.id]
    return render(request, "tracking/directive_list.html", {"page": page, "today": today})


@require_GET
@login_required
def directive_detail(request: HtmxHttpRequest, pk: int):
    directive = get_object_or_404(Directive, pk=pk)
    today = timezone.localdate()
    tasks = directive.tasks.order_by("id").prefetch_related(
        Prefetch(
            "assignments",
            queryset=with_status(Assignment.objects.select_related("agency"), today).order_by("agency__name"),
        ),
        "supporting_agencies",
    )
    page, error = page_or_error(request, tasks, TASKS_PER_PAGE)
    # The directive's own history (who created or edited it, each field before and after): one query.
    events = DirectiveEvent.objects.filter(directive=directive).select_related("actor").order_by("-at", "-id")
    context = {"directive": directive, "today": today, "page": page, "events": list(events)}
    if error:
        context["errors"] = [error]
    return render(request, "tracking/directive_detail.html", context, status=400 if error else 200)


@require_GET
@login_required
def task_detail(request: HtmxHttpRequest, pk: int):
    task = get_task_for_user(request, pk)
    user = request.user
    today = timezone.localdate()
    assignments = list(with_status(task.assignments.select_related("agency"), today).order_by("agency__name"))
    reports = ProgressReport.objects.filter(assignment__task=task).select_related("author", "agency")
    extensions = Extension.objects.filter(assignment__task=task).select_related(
        "assignment__agency", "requested_by", "decided_by"
    )
    events = TaskEvent.objects.filter(task=task).select_related("actor", "assignment").order_by("-at", "-id")
    # Prefetched rather than listed, so that allowed_actions() reads them instead of asking again.
    prefetch_related_objects([task], "supporting_agencies")
    task.actions = allowed_actions(user, task)
    for a in assignments:
        a.actions = allowed_actions(user, a)
    extensions = list(extensions)
    for e in extensions:
        e.actions = allowed_actions(user, e)
    context = {
        "task": task,
        "today": today,
        "assignments": assignments,
        "reports": list(reports),
        "extensions": extensions,
        "events": list(events),
        "supporting_agencies": list(task.supporting_agencies.all()),
        # The "Thao tác" column: for whoever may act on a row or manage the task, and always on a task
        # led by several agencies.
        "actions_column": len(assignments) > 1
        or Action.MANAGE_TASKS in task.actions
        or any(a.actions for a in assignments),
        "groups": list(task.groups.all()),
        "urgings": list(
            Urging.objects.filter(assignment__task=task).select_related("assignment", "urged_by")
        ),
        "comments": list(Comment.objects.filter(task=task).select_related("author")),
        "contributions": list(Contribution.objects.filter(task=task).select_related("agency", "author")),
    }
    return render(request, "tracking/task_detail.html", context)


# --- Directives and tasks (office) ----------------------------------------------------------------


@GET_POST
@login_required
def directive_edit(request: HtmxHttpRequest, pk: int | None = None):
    require(request.user, Action.MANAGE_TASKS)
    directive = get_object_or_404(Directive, pk=pk) if pk else None
    form = forms.DirectiveForm(request.POST or None, request.FILES or None, instance=directive)
    return write_page(
        request,
        form=form,
        title=_("Sửa văn bản chỉ đạo") if directive else _("Thêm văn bản chỉ đạo"),
        submit=_("Lưu văn bản"),
        perform=lambda data: services.save_directive(request.user, directive, **data),
        success=lambda d: done(request, _("Đã lưu văn bản %(d)s.") % {"d": d}, d.get_absolute_url()),
    )


def _task_fields(data) -> dict:
    return {name: data.get(name) for name in services.TASK_FIELDS} | {"item": data.get("item") or 0}


@GET_POST
@login_required
def task_create(request: HtmxHttpRequest, directive_pk: int):
    require(request.user, Action.MANAGE_TASKS)
    directive = get_object_or_404(Directive, pk=directive_pk)
    form = forms.TaskForm(request.POST or None)
    return write_page(
        request,
        form=form,
        title=_("Thêm nhiệm vụ vào %(d)s") % {"d": directive},
        submit=_("Lưu nhiệm vụ"),
        perform=lambda data: services.create_task(
            request.user,
            directive,
            leads=data["leads"],
            supporters=data["supporters"],
            groups=data["groups"],
            **_task_fields(data),
        ),
        success=lambda t: done(
            request, _("Đã thêm nhiệm vụ %(c)s.") % {"c": t.clause_display}, t.get_absolute_url()
        ),
    )


@GET_POST
@login_required
def task_edit(request: HtmxHttpRequest, pk: int):
    require(request.user, Action.MANAGE_TASKS)
    task = get_object_or_404(
        Task.objects.select_related("directive").prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.only("id", "task_id", "agency_id")),
            "supporting_agencies",
            "groups",
        ),
        pk=pk,
    )
    form = forms.TaskForm(request.POST or None, instance=task)
    return write_page(
        request,
        form=form,
        title=_("Sửa nhiệm vụ %(c)s") % {"c": task.clause_display},
        submit=_("Lưu thay đổi"),
        task=task,
        perform=lambda data: services.update_task(
            request.user,
            task,
            version=data.get("version"),
            leads=data["leads"],
            supporters=data["supporters"],
            groups=data["groups"],
            **_task_fields(data),
        ),
        success=lambda t: done(
            request, _("Đã lưu nhiệm vụ %(c)s.") % {"c": t.clause_display}, t.get_absolute_url()
        ),
    )
