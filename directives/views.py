from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.http import HtmxHttpRequest
from core.pagination import page_or_error
from tracking.classification import DONE_STATUSES, OVERDUE_STATUSES, with_status
from tracking.models import (
    Comment,
    Contribution,
    DirectiveEvent,
    Extension,
    ProgressReport,
    TaskEvent,
    Urging,
)
from tracking.permissions import Action, allowed_actions, get_task_for_user

from .models import Assignment, Directive

DIRECTIVES_PER_PAGE = 50
TASKS_PER_PAGE = 250


@require_GET
@login_required
def directive_list(request: HtmxHttpRequest):
    today = timezone.localdate()
    directives = Directive.objects.annotate(task_count=Count("tasks")).order_by("-issue_date", "reference")
    page, error = page_or_error(request, directives, DIRECTIVES_PER_PAGE)
    if error:
        return render(request, "directives/directive_list.html", {"errors": [error]}, status=400)
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
    return render(request, "directives/directive_list.html", {"page": page, "today": today})


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
    return render(request, "directives/directive_detail.html", context, status=400 if error else 200)


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
    return render(request, "directives/task_detail.html", context)
