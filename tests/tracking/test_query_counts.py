"""Every list, dashboard and export runs a fixed number of queries, whatever the amount of data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.simulation.work import generate_load
from directives.models import Directive, Task
from intake.loading.targets import load_targets
from tracking.models import ProgressReport, TaskEvent

from ..conftest import NOW, TODAY

pytestmark = pytest.mark.django_db

# Session + user, then the page's own queries.
PAGES = {
    "dashboard": (reverse("dashboard"), {}),
    "dashboard-filtered": (
        reverse("dashboard"),
        {"agency": "SKHDT", "group": "2023.3", "as_of": "31/12/2025"},
    ),
    "dashboard-json": (reverse("dashboard-json"), {}),
    "dashboard-csv": (reverse("dashboard-csv"), {}),
    "dashboard-xlsx": (reverse("dashboard-xlsx"), {"agency": "SKHDT"}),
    "task-list": (reverse("task-list"), {}),
    "task-list-search": (reverse("task-list"), {"q": "ke hoach", "status": "overdue_all"}),
    "directive-list": (reverse("directive-list"), {}),
}
# Pages: session, user with their agency (accounts.backends), the bell's unread count, the footer's
# heartbeat and the simulated-data banner (5). The dashboard adds the filters' four lists (one
# query, tracking.filters.filter_options), the table, its agencies' names, its two lists (one query,
# tracking.dashboard.first_rows) and the targets at risk (1 with no targets, 3 with targets); the
# office's bulletin is fetched afterwards by htmx. A chosen filter value costs no query.
EXPECTED = {
    "dashboard": 10,
    "dashboard-filtered": 10,
    "dashboard-json": 6,
    "dashboard-csv": 5,
    "dashboard-xlsx": 6,
    "task-list": 8,
    "task-list-search": 8,
    "directive-list": 8,
}
PAGE_LIMIT = 12


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(queries)


def test_same_query_count_at_10_and_1000_tasks(client, people, frozen):
    client.force_login(people["office"])
    generate_load(10, today=TODAY)
    small = {name: count_queries(client, url, params) for name, (url, params) in PAGES.items()}
    load_directive = Directive.objects.filter(reference__startswith="MO-PHONG-TAI-").first()
    detail_url = reverse("directive-detail", args=[load_directive.pk])
    small["directive-detail"] = count_queries(client, detail_url, {})

    generate_load(990, today=TODAY)
    assert Task.objects.filter(is_simulated=True).count() == 1000
    large = {name: count_queries(client, url, params) for name, (url, params) in PAGES.items()}
    large["directive-detail"] = count_queries(client, detail_url, {})

    assert small == large
    assert small == EXPECTED | {"directive-detail": 11}  # the directive's own history is one of them


def test_the_dashboard_stays_within_twelve_queries_with_targets(client, people, frozen):
    """With the programme's targets, the targets at risk cost three queries: the page is at its limit."""
    client.force_login(people["office"])
    load_targets()
    generate_load(10, today=TODAY)
    small = {name: count_queries(client, url, params) for name, (url, params) in PAGES.items()}
    generate_load(990, today=TODAY)
    large = {name: count_queries(client, url, params) for name, (url, params) in PAGES.items()}
    assert small == large
    assert small["dashboard"] == small["dashboard-filtered"] == PAGE_LIMIT
    assert max(small.values()) == PAGE_LIMIT


def test_task_detail_query_count_does_not_grow_with_its_history(client, people, frozen):
    client.force_login(people["office"])
    task = Task.objects.get(directive__reference="04/CT-UBND", clause="3.a")  # 27 lead agencies
    url = reverse("task-detail", args=[task.pk])
    first = count_queries(client, url, {})
    assignment = task.assignments.first()
    for day in range(20):
        ProgressReport.objects.create(
            assignment=assignment,
            agency=assignment.agency,
            author=people["lead_officer"],
            reported_on=datetime.date(2023, 3, 20) + datetime.timedelta(days=day),
            percent=day * 5,
            text="Đang làm",
        )
        TaskEvent.objects.create(
            task=task,
            assignment=assignment,
            actor=people["lead_officer"],
            at=NOW,
            kind=TaskEvent.Kind.REPORT,
            summary="Báo cáo",
        )
    assert count_queries(client, url, {}) == first == 16  # + the targets the task serves
