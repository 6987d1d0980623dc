"""The deadline in force (Assignment.deadline / .extended_on) is refreshed explicitly by the writes that
move a deadline — services, loader, simulation — and never as a side effect of a model's save()."""

import datetime

import pytest

from directives.models import Assignment, Task
from intake.loading.programme import load_programme
from tracking import services
from tracking.classification import refresh_deadlines
from tracking.models import Extension

from ..conftest import TODAY
from ..workflow import office_task

pytestmark = pytest.mark.usefixtures("frozen")


def in_force(assignment) -> tuple:
    return Assignment.objects.values_list("deadline", "extended_on").get(pk=assignment.pk)


def test_saving_a_model_writes_no_other_row(people):
    task, assignment = office_task(people["office"])
    original = task.deadline
    task.deadline = original + datetime.timedelta(days=5)
    task.save()
    Extension.objects.create(
        assignment=assignment,
        requested_on=TODAY,
        reason="Chờ",
        new_deadline=original + datetime.timedelta(days=40),
        status=Extension.Status.APPROVED,
        decided_on=TODAY,
    )
    assert in_force(assignment) == (original, None)  # no hidden write
    refresh_deadlines(Assignment.objects.filter(pk=assignment.pk))  # the explicit step
    assert in_force(assignment) == (original + datetime.timedelta(days=40), TODAY)


def test_editing_a_task_refreshes_its_assignments(people):
    task, assignment = office_task(people["office"])
    later = task.deadline + datetime.timedelta(days=7)
    services.update_task(people["office"], task, version=task.version, deadline=later)
    assert in_force(assignment) == (later, None)


def test_deciding_an_extension_refreshes_the_assignment(people):
    task, assignment = office_task(people["office"])
    wanted = task.deadline + datetime.timedelta(days=20)
    extension = services.request_extension(
        people["lead_officer"], assignment, version=0, new_deadline=wanted, reason="Chờ ý kiến Bộ"
    )
    assert in_force(assignment) == (task.deadline, None)
    services.decide_extension(people["office"], extension, approve=True, note="Đồng ý")
    assert in_force(assignment) == (wanted, TODAY)
    # An extended assignment keeps its extension when the task's own deadline is edited.
    task.refresh_from_db()
    services.update_task(
        people["office"], task, version=task.version, deadline=task.deadline + datetime.timedelta(days=3)
    )
    assert in_force(assignment) == (wanted, TODAY)


def test_reloading_the_programme_with_a_moved_deadline_refreshes_the_assignments(programme):
    task = Task.objects.filter(directive__reference="01/CTr-UBND", deadline__isnull=False).first()
    assignment = task.assignments.filter(extended_on__isnull=True).first()
    true_deadline = task.deadline
    Task.objects.filter(pk=task.pk).update(deadline=true_deadline + datetime.timedelta(days=9))
    Assignment.objects.filter(pk=assignment.pk).update(deadline=true_deadline + datetime.timedelta(days=9))
    result = load_programme()
    assert result["changed"] >= 1
    assert in_force(assignment) == (true_deadline, None)
