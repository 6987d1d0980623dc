"""The dashboard's fast paths (issue 12) give exactly what the one classification gives.

`tracking.classification.with_status` is the rule; `with_status_parts` and `status_counts` split it
so that the database reads plain columns, and `tracking.dashboard.first_rows` picks the lists from
the deadline index. These tests compare them with the rule itself, row by row, on random dates.
"""

import collections
import datetime
import random

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from demo.simulation.work import generate_load
from directives.models import Agency, Assignment, PriorityGroup, Task
from tracking import dashboard
from tracking.classification import Status, refresh_deadlines, status_counts, with_status, with_status_parts
from tracking.filters import AssignmentFilterForm, filter_options
from tracking.models import Extension

from ..conftest import TODAY

pytestmark = pytest.mark.django_db
FIELDS = ("id", "agency_id", "status", "effective_deadline", "is_extended")


def _day(rng, first=datetime.date(2022, 1, 1), last=datetime.date(2028, 12, 31)):
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


@pytest.fixture
def varied(programme, frozen):
    """Load tasks, then every date the rule reads moved at random: assigned later, cancelled, paused
    and resumed, completed early or late, and extensions (one, two or three each) decided before and
    after any date the tests pick."""
    generate_load(300, today=TODAY)
    rng = random.Random(12)
    rows = list(Assignment.objects.filter(is_simulated=True).select_related("task"))
    for a in rng.sample(rows, 60):
        a.assigned_on = _day(rng)
        a.cancelled_on = _day(rng) if rng.random() < 0.3 else None
        a.paused_on = _day(rng) if rng.random() < 0.4 else None
        a.resumed_on = a.paused_on + datetime.timedelta(days=rng.randint(1, 200)) if a.paused_on else None
        a.completed_on = _day(rng) if rng.random() < 0.5 else None
        a.save()
    extensions = []
    for a in rng.sample([a for a in rows if a.task.deadline], 60):
        new_deadline = a.task.deadline
        for _ in range(rng.randint(1, 3)):
            new_deadline += datetime.timedelta(days=rng.randint(5, 120))
            extensions.append(
                Extension(
                    assignment=a,
                    requested_on=a.task.deadline,
                    reason="Kiểm thử",
                    old_deadline=a.task.deadline,
                    new_deadline=new_deadline,
                    status=Extension.Status.APPROVED,
                    decided_on=_day(rng, last=TODAY),
                )
            )
    Extension.objects.bulk_create(extensions)
    refresh_deadlines()
    return rng


def _dates(rng) -> list[datetime.date]:
    return [TODAY, TODAY - datetime.timedelta(days=365), *(_day(rng) for _ in range(8))]


def test_the_two_parts_hold_the_rows_of_the_rule(varied):
    everything = Assignment.objects.all()
    for as_of in _dates(varied):
        rule = {row["id"]: row for row in with_status(everything, as_of).values(*FIELDS)}
        settled, later = with_status_parts(everything, as_of)
        parts = [row for part in (settled, later) for row in part.values(*FIELDS)]
        assert len(parts) == len(rule), as_of
        assert {row["id"]: row for row in parts} == rule, as_of
        if as_of >= TODAY:  # no extension is decided in the future: today's figures read columns only
            assert not later.exists()


@pytest.mark.parametrize("key", ["agency_id", "task__leader", "task__groups"])
def test_status_counts_equal_the_rule_on_random_dates(varied, key):
    everything = Assignment.objects.all()
    for as_of in _dates(varied):
        expected = collections.defaultdict(collections.Counter)
        for value, status in with_status(everything, as_of).values_list(key, "status"):
            expected[value][status] += 1
        assert status_counts(everything, as_of, key) == {k: dict(v) for k, v in expected.items()}, as_of


def test_the_table_and_lists_equal_the_rule_with_every_filter(varied):
    agency = Assignment.objects.values_list("agency_id", flat=True).first()
    group = PriorityGroup.objects.filter(tasks__isnull=False).first()
    filters = [
        Q(),
        Q(agency_id=agency),
        Q(task__leader__isnull=False),
        Q(task__directive__reference__startswith="MO-PHONG-TAI"),
        Q(task__groups=group),
    ]
    for as_of in _dates(varied)[:5]:
        for condition in filters:
            assignments = Assignment.objects.filter(condition)
            data = dashboard.build(assignments, as_of)
            rows = list(with_status(assignments, as_of).order_by("effective_deadline", "id"))
            counts = collections.Counter(a.status for a in rows)
            assert {s: n for s, n in data.total.counts.items() if n} == dict(counts)
            soon = as_of + datetime.timedelta(days=dashboard.DUE_SOON_DAYS)
            due = [a.pk for a in rows if a.status == Status.IN_PROGRESS and a.effective_deadline <= soon]
            late = [a.pk for a in rows if a.status in (Status.OVERDUE, Status.OVERDUE_LONG)]
            assert [a.pk for a in data.due_soon] == due[: dashboard.LIST_LIMIT]
            assert [a.pk for a in data.overdue] == late[: dashboard.LIST_LIMIT]


def test_the_lists_follow_an_extension_decided_after_the_date(programme, frozen):
    """An assignment extended after the as-of date is listed by the deadline it had then."""
    generate_load(20, today=TODAY)
    a = Assignment.objects.filter(task__deadline__lt=TODAY, completed_on__isnull=True, paused_on__isnull=True)
    a = a.select_related("task").order_by("task__deadline", "id").last()
    as_of = a.task.deadline + datetime.timedelta(days=3)
    Extension.objects.create(
        assignment=a,
        requested_on=a.task.deadline,
        reason="Kiểm thử",
        old_deadline=a.task.deadline,
        new_deadline=TODAY + datetime.timedelta(days=90),
        status=Extension.Status.APPROVED,
        decided_on=as_of + datetime.timedelta(days=1),
    )
    refresh_deadlines(Assignment.objects.filter(pk=a.pk))
    same_task = Assignment.objects.filter(task=a.task)
    then = dashboard.build(same_task, as_of)
    assert a.pk in [x.pk for x in then.overdue]
    listed = next(x for x in then.overdue if x.pk == a.pk)
    assert listed.effective_deadline == a.task.deadline and not listed.is_extended
    now = dashboard.build(same_task, TODAY)
    assert a.pk not in [x.pk for x in now.overdue]


def test_the_filter_lists_come_from_one_query(programme):
    with CaptureQueriesContext(connection) as queries:
        options = filter_options()
    assert len(queries) == 1
    assert [o.value for o in options["agency"]] == list(Agency.objects.values_list("code", flat=True))
    directive = Task.objects.first().directive
    assert next(o.label for o in options["directive"] if o.pk == directive.pk) == str(directive)
    assert [o.value for o in options["group"]] == list(PriorityGroup.objects.values_list("code", flat=True))


def test_a_chosen_filter_is_checked_without_a_query(programme):
    form = AssignmentFilterForm({"agency": "SKHDT", "group": "2023.3"})
    assert form.is_valid()
    form = AssignmentFilterForm({"agency": "KHONG-CO", "directive": "9" * 30})
    with CaptureQueriesContext(connection) as queries:
        assert not form.is_valid()
    assert len(queries) == 1  # the lists, once
    assert form.errors["agency"] == ["Giá trị “KHONG-CO” không có trong danh sách."]
    assert form.errors["directive"] == [f"Giá trị “{'9' * 30}” không có trong danh sách."]
