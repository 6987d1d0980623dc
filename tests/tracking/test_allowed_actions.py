"""tracking.permissions.allowed_actions: what each role may do on each row, by the row's state.

The pages show exactly these actions (templates only test membership), so this table is what every
role sees on the task page, the workspace and the dashboard. Rows are built through the services.
"""

import datetime

import pytest

from directives.models import Assignment, Task
from tracking import services
from tracking.classification import with_status
from tracking.models import Extension
from tracking.permissions import SYSTEM, Action, allowed_actions, can, with_support

from ..conftest import TODAY
from ..workflow import office_task

pytestmark = pytest.mark.usefixtures("frozen")

A = Action
ROLES = ["office", "admin", "leader", "lead_officer", "other_officer", "unrelated_officer"]
NOTHING = frozenset()
OFFICE_ROW = {A.URGE, A.MANAGE_TASKS}
LEAD_ROW = {A.REPORT_PROGRESS, A.PROPOSE_COMPLETION, A.REQUEST_EXTENSION}

# state of the assignment: {role: actions}; roles not named may do nothing on the row.
ASSIGNMENT_TABLE = {
    "open": {"office": OFFICE_ROW, "admin": OFFICE_ROW, "lead_officer": LEAD_ROW},
    "open_no_deadline": {
        "office": OFFICE_ROW,
        "admin": OFFICE_ROW,
        "lead_officer": {A.REPORT_PROGRESS, A.PROPOSE_COMPLETION},  # nothing to extend
    },
    "overdue": {"office": OFFICE_ROW, "admin": OFFICE_ROW, "lead_officer": LEAD_ROW},
    "proposed": {
        "office": OFFICE_ROW | {A.REVIEW_COMPLETION},
        "admin": OFFICE_ROW | {A.REVIEW_COMPLETION},
    },
    "paused": {"office": OFFICE_ROW, "admin": OFFICE_ROW},
    "done": {},
    "cancelled": {},
}


def _assignment_in(state: str, people) -> Assignment:
    office, lead = people["office"], people["lead_officer"]
    deadline = {"overdue": TODAY - datetime.timedelta(days=3), "open_no_deadline": None}.get(
        state, TODAY + datetime.timedelta(days=10)
    )
    task, assignment = office_task(office, supporters=("STC",), deadline=deadline)
    if state == "open_no_deadline":
        services.update_task(
            office, task, version=task.version, deadline_kind="none", deadline=None, deadline_text=""
        )
    if state in ("proposed", "done"):
        services.propose_completion(lead, assignment, version=0, delivered_on=TODAY, text="Xong")
    if state == "done":
        proposed = Assignment.objects.get(pk=assignment.pk)
        services.confirm_completion(office, proposed, version=proposed.version, completed_on=TODAY)
    if state in ("paused", "cancelled"):
        services.set_task_state(office, task, state=state, reason="Chờ chủ trương")
    # As the pages list them: with the deadline in force and the status annotated.
    return with_status(Assignment.objects.filter(pk=assignment.pk), TODAY).select_related("task").get()


@pytest.mark.parametrize("state", ASSIGNMENT_TABLE)
def test_assignment_row_actions_by_role_and_state(people, state, django_assert_num_queries):
    row = _assignment_in(state, people)
    if state == "open_no_deadline":
        assert row.effective_deadline is None
    else:
        assert row.state == state.removeprefix("open_").replace("overdue", "open")
    for role in ROLES:
        with django_assert_num_queries(0):  # a list calls it per row: no query each
            actions = allowed_actions(people[role], row)
        assert actions == frozenset(ASSIGNMENT_TABLE[state].get(role, NOTHING)), (state, role)
        # The same answer as can(): nothing offered that the services would refuse for the role.
        assert all(can(people[role], action, row) for action in actions)


def test_task_row_actions_by_role(people, django_assert_num_queries):
    task, _assignment = office_task(people["office"], supporters=("STC",))
    expected = {
        "office": {A.MANAGE_TASKS},
        "admin": {A.MANAGE_TASKS},
        "leader": {A.COMMENT},
        "lead_officer": set(),  # leads, does not support: its actions are on the assignment
        "other_officer": {A.CONTRIBUTE},  # STC supports the task
        "unrelated_officer": set(),
    }
    for role in ROLES:
        user = people[role]
        # Listed through with_support() (the workspace) or fetched alone: the same answer.
        listed = with_support(Task.objects.filter(pk=task.pk), user).get()
        with django_assert_num_queries(0):
            assert allowed_actions(user, listed) == frozenset(expected[role]), role
        assert allowed_actions(user, Task.objects.get(pk=task.pk)) == frozenset(expected[role]), role


def test_extension_row_actions_by_role_and_status(people):
    _task, assignment = office_task(people["office"])
    extension = services.request_extension(
        people["lead_officer"],
        assignment,
        version=0,
        new_deadline=TODAY + datetime.timedelta(days=40),
        reason="Chờ ý kiến",
    )
    for role in ROLES:
        expected = {A.DECIDE_EXTENSION} if role in ("office", "admin") else set()
        assert allowed_actions(people[role], extension) == frozenset(expected), role
    services.decide_extension(people["office"], extension, approve=True)
    decided = Extension.objects.get(pk=extension.pk)
    assert decided.status == Extension.Status.APPROVED
    for role in ROLES:
        assert allowed_actions(people[role], decided) == NOTHING, role


def test_page_actions_bound_to_no_row(people):
    office = {A.READ, A.REVIEW_COMPLETION, A.DECIDE_EXTENSION, A.URGE, A.MANAGE_TASKS}
    office |= {A.LOCK_TARGET_PERIOD, A.PRODUCE_SUMMARY}
    expected = {
        "office": office,
        "admin": office,
        "leader": {A.READ, A.COMMENT},
        "lead_officer": {A.READ},
        "other_officer": {A.READ},
        "unrelated_officer": {A.READ},
    }
    for role in ROLES:
        assert allowed_actions(people[role], None) == frozenset(expected[role]), role


def test_an_inactive_user_may_do_nothing(people):
    row = _assignment_in("open", people)
    for role in ROLES:
        user = people[role]
        user.is_active = False
        assert allowed_actions(user, row) == NOTHING
        assert allowed_actions(user, None) == NOTHING


def test_rows_of_other_kinds_are_refused(people):
    with pytest.raises(TypeError):
        allowed_actions(people["office"], SYSTEM)


def test_the_system_actor_does_only_the_scheduled_work(people):
    """SYSTEM (Celery beat, commands, the simulation) produces summaries and writes simulated target
    values; it never does an office's, a leader's or an agency's work."""
    row = _assignment_in("open", people)
    assert {a for a in Action if can(SYSTEM, a)} == {A.READ, A.PRODUCE_SUMMARY, A.REPORT_TARGET}
    assert allowed_actions(SYSTEM, row) == NOTHING
    assert not can(None, A.READ)  # no actor at all is refused: a job must say it is SYSTEM
