"""The edges of the one classification rule (tracking.classification.with_status)."""

import datetime

import pytest

from directives.models import Assignment
from intake.deadlines import period_end
from tracking.classification import Status, classify, with_status
from tracking.models import Extension

from .. import factories

D = datetime.date
pytestmark = pytest.mark.django_db

DEADLINE = D(2023, 3, 31)


@pytest.fixture
def due():
    """An assignment due 31/03/2023, given on 19/01/2023."""
    return factories.assignment(factories.task(deadline=DEADLINE))


def test_due_today_is_still_on_time(due):
    assert classify(due, DEADLINE) == Status.IN_PROGRESS
    assert classify(due, D(2023, 3, 1)) == Status.IN_PROGRESS


def test_the_day_after_the_deadline_is_overdue(due):
    assert classify(due, D(2023, 4, 1)) == Status.OVERDUE


def test_overdue_more_than_30_days(due):
    assert classify(due, DEADLINE + datetime.timedelta(days=30)) == Status.OVERDUE
    assert classify(due, DEADLINE + datetime.timedelta(days=31)) == Status.OVERDUE_LONG


def test_completed_on_the_deadline_day_is_on_time(due):
    due.completed_on = DEADLINE
    due.save()
    assert classify(due, D(2023, 12, 31)) == Status.DONE_ON_TIME


def test_completed_the_day_after_is_late(due):
    due.completed_on = D(2023, 4, 1)
    due.save()
    assert classify(due, D(2023, 12, 31)) == Status.DONE_LATE
    # As of the deadline day it was on time; that same evening it had not been delivered yet.
    assert classify(due, D(2023, 3, 31)) == Status.IN_PROGRESS


def test_as_of_a_past_date_ignores_later_completion(due):
    due.completed_on = D(2023, 3, 20)
    due.save()
    assert classify(due, D(2023, 3, 19)) == Status.IN_PROGRESS
    assert classify(due, D(2023, 3, 20)) == Status.DONE_ON_TIME


def test_no_deadline():
    a = factories.assignment(factories.task(deadline=None))
    assert classify(a, D(2030, 1, 1)) == Status.NO_DEADLINE
    a.completed_on = D(2023, 6, 1)
    a.save()
    assert classify(a, D(2023, 6, 1)) == Status.DONE_ON_TIME
    assert classify(a, D(2023, 5, 31)) == Status.NO_DEADLINE


def test_paused_counts_apart_while_paused(due):
    due.state = Assignment.State.PAUSED
    due.paused_on = D(2023, 3, 1)
    due.save()
    assert classify(due, D(2023, 2, 28)) == Status.IN_PROGRESS
    assert classify(due, D(2023, 6, 1)) == Status.PAUSED
    due.resumed_on = D(2023, 5, 1)
    due.save()
    assert classify(due, D(2023, 4, 30)) == Status.PAUSED
    assert classify(due, D(2023, 5, 1)) == Status.OVERDUE_LONG  # 31 days past 31/03


def test_cancelled(due):
    due.cancelled_on = D(2023, 2, 1)
    due.save()
    assert classify(due, D(2023, 1, 31)) == Status.IN_PROGRESS
    assert classify(due, D(2023, 2, 1)) == Status.CANCELLED


def test_not_yet_assigned_is_not_counted(due):
    assert classify(due, D(2023, 1, 18)) is None
    assert classify(due, D(2023, 1, 19)) == Status.IN_PROGRESS


def test_unknown_assignment_date_counts_always():
    a = factories.assignment(factories.task(deadline=DEADLINE), assigned_on=None)
    assert classify(a, D(2020, 1, 1)) == Status.IN_PROGRESS


def test_approved_extension_moves_the_deadline_from_its_decision_on(due):
    factories.approved_extension(due, new_deadline=D(2023, 4, 30), decided_on=D(2023, 4, 5))
    # Before the decision the office reported it overdue; after it, on time again.
    assert classify(due, D(2023, 4, 4)) == Status.OVERDUE
    assert classify(due, D(2023, 4, 5)) == Status.IN_PROGRESS
    assert classify(due, D(2023, 5, 1)) == Status.OVERDUE
    due.completed_on = D(2023, 4, 20)
    due.save()
    assert classify(due, D(2023, 12, 31)) == Status.DONE_ON_TIME
    row = with_status(Assignment.objects.filter(pk=due.pk), D(2023, 12, 31)).get()
    assert row.is_extended is True
    assert row.effective_deadline == D(2023, 4, 30)
    assert row.task.deadline == DEADLINE  # the original deadline is kept


def test_latest_approved_extension_wins_and_pending_or_rejected_do_not_count(due):
    factories.approved_extension(due, new_deadline=D(2023, 4, 30), decided_on=D(2023, 3, 25))
    factories.approved_extension(due, new_deadline=D(2023, 5, 31), decided_on=D(2023, 4, 28))
    Extension.objects.create(
        assignment=due,
        requested_on=D(2023, 5, 20),
        reason="x",
        new_deadline=D(2023, 12, 31),
        status=Extension.Status.PENDING,
    )
    Extension.objects.create(
        assignment=due,
        requested_on=D(2023, 5, 20),
        reason="x",
        new_deadline=D(2023, 12, 31),
        status=Extension.Status.REJECTED,
        decided_on=D(2023, 5, 21),
    )
    assert classify(due, D(2023, 4, 27)) == Status.IN_PROGRESS  # 30/04 in force
    assert classify(due, D(2023, 5, 31)) == Status.IN_PROGRESS  # 31/05 in force
    assert classify(due, D(2023, 6, 1)) == Status.OVERDUE


def test_completed_late_against_the_extension_too(due):
    factories.approved_extension(due, new_deadline=D(2023, 4, 30), decided_on=D(2023, 3, 25))
    due.completed_on = D(2023, 5, 2)
    due.save()
    assert classify(due, D(2023, 12, 31)) == Status.DONE_LATE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trong quý I năm 2023", D(2023, 3, 31)),
        ("Quý II/2023", D(2023, 6, 30)),
        ("trong quý IV năm 2023", D(2023, 12, 31)),
        ("6 tháng đầu năm 2023", D(2023, 6, 30)),
        ("tháng 02 năm 2024", D(2024, 2, 29)),
        ("cuối năm 2023", D(2023, 12, 31)),
        ("thường xuyên", None),
        ("tháng 13 năm 2023", None),
    ],
)
def test_period_end(text, expected):
    assert period_end(text) == expected


def test_a_quarter_deadline_is_judged_on_the_quarters_last_day():
    a = factories.assignment(factories.task(deadline=period_end("trong quý I năm 2023")))
    assert classify(a, D(2023, 3, 31)) == Status.IN_PROGRESS
    assert classify(a, D(2023, 4, 1)) == Status.OVERDUE
