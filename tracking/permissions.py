"""Who may do what: the one place that decides (docs/domain.md, "Who uses it").

Reading: every signed-in, active user may read the whole programme (that openness is normal in
these reports). Writing: an agency user changes only what belongs to their agency (reports on the
assignments it leads, contributions on the tasks it supports, its own extension requests, the
actual values of the targets it is responsible for); a leader only adds direction comments; office
staff (and administrators) do the office's work. Views and services ask `can()` or `require()`;
they never decide by themselves. A refusal is logged.
"""

import enum
import logging

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from directives.models import Assignment, Task

logger = logging.getLogger("camau.permissions")


class Action(enum.StrEnum):
    # Reading a task, target or directive, and the files attached to it.
    READ = "read"
    # An agency's own work, scoped to the object it belongs to.
    REPORT_PROGRESS = "report_progress"  # on an Assignment its agency leads
    PROPOSE_COMPLETION = "propose_completion"  # on an Assignment its agency leads
    REQUEST_EXTENSION = "request_extension"  # on an Assignment its agency leads
    CONTRIBUTE = "contribute"  # on a Task its agency supports
    REPORT_TARGET = "report_target"  # on a target its agency is responsible for
    # The office's work.
    REVIEW_COMPLETION = "review_completion"  # confirm or send back a proposed completion
    DECIDE_EXTENSION = "decide_extension"
    URGE = "urge"
    MANAGE_TASKS = "manage_tasks"  # create and edit directives and tasks, reassign, pause, cancel
    LOCK_TARGET_PERIOD = "lock_target_period"
    PRODUCE_SUMMARY = "produce_summary"
    # The leaders' work.
    COMMENT = "comment"


LEAD_ACTIONS = {Action.REPORT_PROGRESS, Action.PROPOSE_COMPLETION, Action.REQUEST_EXTENSION}
OFFICE_ACTIONS = {
    Action.REVIEW_COMPLETION,
    Action.DECIDE_EXTENSION,
    Action.URGE,
    Action.MANAGE_TASKS,
    Action.LOCK_TARGET_PERIOD,
    Action.PRODUCE_SUMMARY,
}


def can_read_programme(user) -> bool:
    return user.is_authenticated and user.is_active


def _agency_of(obj) -> int | None:
    """The agency an object belongs to, for the lead and target actions."""
    if isinstance(obj, Assignment):
        return obj.agency_id
    return getattr(obj, "responsible_agency_id", None)


def supports(user, task: Task) -> bool:
    """Whether the user's agency is a supporting agency of the task (one query)."""
    return bool(user.agency_id) and task.supporting_agencies.filter(pk=user.agency_id).exists()


def can(user, action: Action, obj=None) -> bool:
    """May `user` do `action` on `obj`? Pure answer, no logging."""
    if not can_read_programme(user):
        return False
    if action == Action.READ:
        return True
    if action in OFFICE_ACTIONS:
        return user.is_office
    if action == Action.COMMENT:
        return user.is_leader
    if not user.is_agency_user:
        return False
    if action in LEAD_ACTIONS or action == Action.REPORT_TARGET:
        return obj is not None and _agency_of(obj) == user.agency_id
    if action == Action.CONTRIBUTE:
        return isinstance(obj, Task) and supports(user, obj)
    return False


def require(user, action: Action, obj=None) -> None:
    """Raise PermissionDenied (403) unless `user` may do `action` on `obj`; log the refusal."""
    if not can(user, action, obj):
        logger.warning(
            "refused: user=%s role=%s agency=%s action=%s object=%s:%s",
            getattr(user, "pk", None),
            getattr(user, "role", None),
            getattr(user, "agency_id", None),
            action,
            type(obj).__name__ if obj is not None else "-",
            getattr(obj, "pk", "-"),
        )
        raise PermissionDenied


def get_task_for_user(request, pk: int) -> Task:
    """The task for a read view, with what its page shows joined in; 404 if it does not exist."""
    queryset = Task.objects.select_related("directive", "leader")
    return get_object_or_404(queryset, pk=pk)


def get_assignment_for_user(request, pk: int, action: Action | None = None) -> Assignment:
    """The assignment with its task and agency; 404 if missing, 403 (logged) if `action` is refused."""
    assignment = get_object_or_404(Assignment.objects.select_related("task__directive", "agency"), pk=pk)
    if action is not None:
        require(request.user, action, assignment)
    return assignment
