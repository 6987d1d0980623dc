"""The scan works in batches of assignment ids: stopped in the middle of one and run again, it loses
nothing and tells nothing twice (reminders.services.run_scan)."""

import datetime
from unittest import mock

import pytest
from django.db import transaction

from reminders import services
from reminders.models import DigestLine, Notification, Reminder, ScanState

from .conftest import MON, WED, at, make_assignment

pytestmark = pytest.mark.django_db
BATCH = 100  # the programme's 1,115 assignments and the test's own: a dozen batches


class Rollback(Exception):
    pass


def snapshot() -> dict:
    """Everything a scan writes, as sorted lists (a duplicate would show twice)."""
    key = ("reminder__assignment_id", "reminder__kind", "reminder__due_date", "reminder__step")
    return {
        "reminders": sorted(
            Reminder.objects.values_list("assignment_id", "kind", "due_date", "step", "fire_on")
        ),
        "notifications": sorted(Notification.objects.values_list("user_id", *key, "level"), key=repr),
        "lines": sorted(
            DigestLine.objects.values_list(
                "digest__agency_id", "digest__user_id", "digest__day", *key, "level"
            ),
            key=repr,
        ),
    }


@pytest.fixture
def backlog(team, frozen):
    """Work due today, soon, late and long late, with supporting agencies, spread over the ids; the
    programme's 2023 assignments add a backlog of escalations."""
    for days in (-45, -31, -8, -1, 0, 1, 3, 7, 20):
        for _ in range(3):
            make_assignment(team, MON + datetime.timedelta(days=days), supporters=[team.support])
    return team


def full_scan_result(now, batch=BATCH) -> dict:
    """What one uninterrupted scan writes, rolled back afterwards."""
    try:
        with transaction.atomic():
            services.run_scan(now, batch=batch)
            result = snapshot()
            raise Rollback
    except Rollback:
        return result


def failing_on_call(function, call: int):
    """`function`, raising on its `call`-th call (the fault a dying worker would meet)."""
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == call:
            raise RuntimeError("the worker died here")
        return function(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize("where", ["route", "_open_digests"])
def test_a_scan_stopped_inside_a_batch_loses_nothing_and_repeats_nothing(backlog, where):
    now = at(MON, 9, 30)
    expected = full_scan_result(now)
    assert len(expected["reminders"]) > 300 and Reminder.objects.count() == 0

    # The third batch fails after its reminders are inserted, before its notifications or lines.
    failing = failing_on_call(getattr(services, where), 3)
    with mock.patch.object(services, where, failing), pytest.raises(RuntimeError):
        services.run_scan(now, batch=BATCH)
    stopped = snapshot()
    assert 0 < len(stopped["reminders"]) < len(expected["reminders"])
    assert set(stopped["reminders"]) < set(expected["reminders"])
    # Whole batches only: every stored reminder has its notifications and lines.
    assert set(stopped["notifications"]) <= set(expected["notifications"])
    assert {n[1:5] for n in stopped["notifications"]} <= {r[:4] for r in stopped["reminders"]}
    assert ScanState.objects.get().last_completed_on is None  # the window did not move

    # The next run (the beat's next tick) does the rest, once.
    created = services.run_scan(at(MON, 9, 45), batch=BATCH)
    assert created == len(expected["reminders"]) - len(stopped["reminders"])
    assert snapshot() == expected
    assert ScanState.objects.get().last_completed_on == MON
    assert services.run_scan(at(MON, 10), batch=BATCH) == 0


def test_a_scan_stopped_yesterday_is_finished_today_without_repeating(backlog):
    """The window stays where it was: Wednesday's run covers Monday's unfinished batches too, and
    what Monday stored is not told again."""
    failing = failing_on_call(services.route, 2)
    with mock.patch.object(services, "route", failing), pytest.raises(RuntimeError):
        services.run_scan(at(MON, 9, 30), batch=BATCH)
    told_monday = set(Reminder.objects.values_list("assignment_id", "kind", "due_date", "step"))
    services.run_scan(at(WED, 9, 30), batch=BATCH)
    rows = list(Reminder.objects.values_list("assignment_id", "kind", "due_date", "step"))
    assert len(rows) == len(set(rows))
    assert told_monday <= set(rows)
    assert ScanState.objects.get().last_completed_on == WED


def test_batch_size_does_not_change_what_is_told(backlog):
    now = at(MON, 9, 30)
    assert full_scan_result(now) == full_scan_result(now, batch=10_000_000)
