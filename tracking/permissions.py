"""Who may do what: the one place that decides (docs/domain.md, "Who uses it").

Reading: every signed-in, active user may read the whole programme (that openness is normal in
these reports). Writing: an agency user changes only what belongs to their agency (reports on the
assignments it leads, contributions on the tasks it supports, its own extension requests, the
actual values of the targets it is responsible for); a leader only adds direction comments; office
staff (and administrators) do the office's work. Views and services ask `can()` or `require()`;
they never decide by themselves. A refusal is logged. Pages ask `allowed_actions()` for each row
they show and templates only test membership (`{% if "urge" in a.actions %}`).

Work nobody clicked (Celery beat's jobs, management commands, the simulation) acts as `SYSTEM`, an
explicit actor that `can()` knows, so every service checks permission for every actor.
"""

import enum
import logging

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, IntegerField, OuterRef, Value
from django.shortcuts import get_object_or_404

from directives.models import Assignment, Task

from .models import Extension

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


class SystemActor:
    """The actor of scheduled and command-line work: the summaries job of Celery beat, management
    commands, the simulation. It is nobody's account: services record it as no one (`actor_or_none`)."""

    pk = None
    role = "system"
    agency_id = None
    is_authenticated = True
    is_active = True
    is_office = False
    is_leader = False
    is_agency_user = False

    def __str__(self) -> str:
        return "system"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()
# What work nobody clicked may do: produce the summaries on their cut-off days (the beat), and write the
# simulated target values of the demo history.
SYSTEM_ACTIONS = {Action.READ, Action.PRODUCE_SUMMARY, Action.REPORT_TARGET}


def actor_or_none(actor):
    """The user to store in an author or actor column: None for SYSTEM."""
    return None if actor is SYSTEM else actor


def can_read_programme(user) -> bool:
    # No actor at all (None) is refused like an anonymous one: a job must say it is SYSTEM.
    return getattr(user, "is_authenticated", False) and user.is_active


def _agency_of(obj) -> int | None:
    """The agency an object belongs to, for the lead and target actions."""
    if isinstance(obj, Assignment):
        return obj.agency_id
    return getattr(obj, "responsible_agency_id", None)


def supports(user, task: Task) -> bool:
    """Whether the user's agency is a supporting agency of the task: no query when the task came through
    `with_support()` for this agency or has its supporting agencies prefetched, one query otherwise."""
    if not user.agency_id:
        return False
    if getattr(task, "support_checked_for", None) == user.agency_id:
        return task.supported_by_checked
    prefetched = getattr(task, "_prefetched_objects_cache", {}).get("supporting_agencies")
    if prefetched is not None:
        return any(agency.pk == user.agency_id for agency in prefetched)
    return task.supporting_agencies.filter(pk=user.agency_id).exists()


def with_support(tasks, user):
    """Tasks annotated with whether `user`'s agency supports each (a subquery, not a query per row),
    which `supports()` reads instead of asking the database again."""
    agency_id = user.agency_id if user.is_authenticated else None
    through = Task.supporting_agencies.through
    return tasks.annotate(
        support_checked_for=Value(agency_id, output_field=IntegerField()),
        supported_by_checked=Exists(through.objects.filter(task_id=OuterRef("pk"), agency_id=agency_id)),
    )


def can(user, action: Action, obj=None) -> bool:
    """May `user` do `action` on `obj`? Pure answer, no logging."""
    if user is SYSTEM:
        return action in SYSTEM_ACTIONS
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


# The actions a page offers on each kind of row, and the states of an assignment each needs. The
# services refuse the other states with a message; these only keep the page from offering them.
_OPEN = frozenset({Assignment.State.OPEN})
_NOT_CLOSED = frozenset({Assignment.State.OPEN, Assignment.State.PROPOSED, Assignment.State.PAUSED})
ASSIGNMENT_ACTIONS = {
    Action.REPORT_PROGRESS: _OPEN,
    Action.PROPOSE_COMPLETION: _OPEN,
    Action.REQUEST_EXTENSION: _OPEN,  # and only with a deadline to extend
    Action.REVIEW_COMPLETION: frozenset({Assignment.State.PROPOSED}),
    Action.URGE: _NOT_CLOSED,
    Action.MANAGE_TASKS: _NOT_CLOSED,  # reassign the lead
}
TASK_ACTIONS = (Action.MANAGE_TASKS, Action.COMMENT, Action.CONTRIBUTE)


def allowed_actions(user, obj) -> frozenset[Action]:
    """The actions `user` may take on one row of a page (an Assignment, a Task or an Extension), or
    on the page itself (`obj` None), by `can()` and the row's state. No query for an assignment
    that carries `effective_deadline` (rows from `classification.with_status`), an extension, or a
    task whose support is known (see `supports()`)."""
    if isinstance(obj, Assignment):
        candidates = [action for action, states in ASSIGNMENT_ACTIONS.items() if obj.state in states]
        if Action.REQUEST_EXTENSION in candidates and not _deadline_in_force(obj):
            candidates.remove(Action.REQUEST_EXTENSION)
    elif isinstance(obj, Task):
        candidates = TASK_ACTIONS
    elif isinstance(obj, Extension):
        candidates = [Action.DECIDE_EXTENSION] if obj.status == Extension.Status.PENDING else []
    elif obj is None:  # the page's own actions, bound to no row: create a directive, urge an agency…
        candidates = list(Action)
    else:
        raise TypeError(f"no row actions for {type(obj).__name__}")
    return frozenset(action for action in candidates if can(user, action, obj))


def _deadline_in_force(assignment: Assignment):
    if hasattr(assignment, "effective_deadline"):
        return assignment.effective_deadline
    return assignment.task.deadline


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
