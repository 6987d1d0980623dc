"""Each page for each role, the filters, the exports and bad input."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from core.text import fold
from directives.models import Assignment, Directive, Task
from tracking.classification import Status, with_status

from ..conftest import TODAY

pytestmark = pytest.mark.django_db

READERS = ["office", "leader", "lead_officer", "unrelated_officer", "admin"]


@pytest.fixture
def task(people):
    return Task.objects.get(directive__reference="01/CTr-UBND", clause="C.1.3", item=1)


def page_urls(task):
    return [
        reverse("dashboard"),
        reverse("dashboard-json"),
        reverse("dashboard-csv"),
        reverse("task-list"),
        reverse("directive-list"),
        reverse("directive-detail", args=[task.directive_id]),
        reverse("task-detail", args=[task.pk]),
    ]


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_every_page(client, people, task, role, frozen):
    client.force_login(people[role])
    for url in page_urls(task):
        response = client.get(url)
        assert response.status_code == 200, url


def test_anonymous_is_sent_to_log_in(client, people, task):
    for url in page_urls(task):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_log_in_with_a_demo_account(client, people):
    response = client.post(reverse("login"), {"username": "vanphong", "password": "camau2023"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    response = client.post(reverse("login"), {"username": "vanphong", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_only_administrators_reach_the_admin(client, people):
    client.force_login(people["admin"])
    for url in [
        "/admin/",
        "/admin/directives/agency/",
        "/admin/directives/directive/",
        "/admin/accounts/user/",
        "/admin/tracking/taskevent/",
        "/admin/tracking/progressreport/",
        "/admin/tracking/extension/",
        "/admin/tracking/urging/",
        "/admin/tracking/comment/",
        "/admin/tracking/contribution/",
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(people["office"])
    assert client.get("/admin/").status_code == 302


def test_writes_are_not_accepted_on_read_pages(client, people, task):
    client.force_login(people["office"])
    for url in page_urls(task):
        assert client.post(url).status_code in (403, 405), url


def independent_counts(as_of):
    """Recount in Python, row by row, without the dashboard code: the figures must agree."""
    counts = {}
    for a in with_status(Assignment.objects.all(), as_of):
        counts[a.status] = counts.get(a.status, 0) + 1
    return counts


def test_dashboard_figures_agree_with_a_recount(client, people, frozen):
    client.force_login(people["office"])
    data = client.get(reverse("dashboard-json"), {"as_of": "31/12/2023"}).json()
    assert data["as_of"] == "31/12/2023"
    # Nothing has been reported on the real programme: only deadlines decide.
    assert data["totals"]["total"] == Assignment.objects.count()
    d1 = Task.objects.get(directive__reference="01/CTr-UBND", clause="D.1", item=1)  # due 31/01/2023
    d3 = Task.objects.get(directive__reference="01/CTr-UBND", clause="D.1", item=3)  # due 20/12/2023
    overdue = d1.assignments.count() + d3.assignments.count()
    assert data["totals"]["overdue"] == overdue
    assert data["totals"]["overdue_over_30_days"] == d1.assignments.count()
    # The time frames of issue 13 item 8 ("trong năm 2023", "đến cuối năm 2023", footnote (4)'s
    # 31/01/2024) are still running on 31/12/2023.
    running = Assignment.objects.filter(task__deadline__gte=datetime.date(2023, 12, 31)).count()
    assert running and data["totals"]["in_progress"] == running
    assert data["totals"]["no_deadline"] == Assignment.objects.count() - overdue - running
    assert data["totals"]["on_time_rate"] == 0.0
    rows = {row["code"]: row for row in data["agencies"]}
    assert rows["SKHDT"]["total"] == Assignment.objects.filter(agency__code="SKHDT").count()
    assert sum(row["total"] for row in data["agencies"]) == data["totals"]["total"]


def test_dashboard_after_simulated_history_agrees_with_a_recount(client, people, frozen):
    from demo.simulation.work import simulate_history

    simulate_history(seed=7)
    client.force_login(people["leader"])
    data = client.get(reverse("dashboard-json")).json()
    counts = independent_counts(TODAY)
    assert data["totals"]["done_on_time"] == counts.get(Status.DONE_ON_TIME, 0)
    assert data["totals"]["done_late"] == counts.get(Status.DONE_LATE, 0)
    assert data["totals"]["overdue"] == counts.get(Status.OVERDUE, 0) + counts.get(Status.OVERDUE_LONG, 0)
    assert data["totals"]["in_progress"] == counts.get(Status.IN_PROGRESS, 0) > 0
    assert data["simulated_data_present"] is True
    html = client.get(reverse("dashboard")).content.decode()
    assert "DỮ LIỆU MÔ PHỎNG" in html
    # Lists: due within 7 days and overdue, in deadline order.
    for item in data["due_soon"]:
        assert item["status"] == Status.IN_PROGRESS
    deadlines = [
        item["deadline"][6:] + item["deadline"][3:5] + item["deadline"][:2] for item in data["overdue"]
    ]
    assert deadlines == sorted(deadlines) and len(deadlines) > 0


def test_filters(client, people, frozen):
    client.force_login(people["office"])
    ct04 = Directive.objects.get(reference="04/CT-UBND")
    by_directive = client.get(reverse("dashboard-json"), {"directive": ct04.pk}).json()
    assert by_directive["totals"]["total"] == Assignment.objects.filter(task__directive=ct04).count()
    by_agency = client.get(reverse("dashboard-json"), {"agency": "SKHDT"}).json()
    assert [row["code"] for row in by_agency["agencies"]] == ["SKHDT"]
    by_group = client.get(reverse("dashboard-json"), {"group": "C.8"}).json()
    assert by_group["totals"]["total"] == Assignment.objects.filter(task__groups__code="C.8").count()
    # A parent group counts the tasks of its breakthroughs, each task once.
    by_parent = client.get(reverse("dashboard-json"), {"group": "2023.3"}).json()
    expected = (
        Assignment.objects.filter(task__groups__code__startswith="2023.3").values("pk").distinct().count()
    )
    assert by_parent["totals"]["total"] == expected > 0


def test_filters_by_leader(client, people, frozen):
    from demo.simulation.work import simulate_history

    simulate_history(seed=1)
    client.force_login(people["office"])
    leader = Task.objects.exclude(leader=None).values_list("leader", flat=True).first()
    data = client.get(reverse("dashboard-json"), {"leader": leader}).json()
    assert (
        data["totals"]["total"] + data["totals"]["paused"]
        == Assignment.objects.filter(task__leader=leader).count()
    )


def test_htmx_request_gets_only_the_partial(client, people, frozen):
    client.force_login(people["office"])
    response = client.get(reverse("dashboard"), {"agency": "STC"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="agency-table"' in body and "Sở Tài chính" in body
    full = client.get(reverse("dashboard"), {"agency": "STC"}).content.decode()
    assert "<html" in full and 'hx-get="/"' in full and 'action="/"' in full


def test_csv_export(client, people, frozen):
    """For Excel with Vietnamese regional settings: `;` between fields, decimal comma, BOM; it says the
    date and the filters that produced it."""
    client.force_login(people["office"])
    response = client.get(reverse("dashboard-csv"), {"as_of": "31/12/2023"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="tinh-hinh-thuc-hien-den-31-12-2023.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Số liệu tính đến ngày", "31/12/2023"]
    assert rows[1] == ["Bộ lọc", "Không lọc: toàn bộ nhiệm vụ"]
    assert rows[2][:3] == ["STT", "Cơ quan chủ trì", "Tổng số"]
    assert rows[-1][1] == "Tổng cộng"
    assert int(rows[-1][2]) == sum(int(r[2]) for r in rows[3:-1]) == Assignment.objects.count()
    assert "," in rows[-1][-1] and "." not in rows[-1][-1]  # the rate with a decimal comma


def test_exports_say_which_filters_produced_them(client, people, frozen):
    client.force_login(people["office"])
    directive = Directive.objects.get(number="04/CT-UBND")
    params = {"agency": "STC", "directive": directive.pk, "as_of": "30/06/2023"}
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("dashboard-csv"), params).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[0] == ["Số liệu tính đến ngày", "30/06/2023"]
    assert ["Văn bản", str(directive)] in rows[1:3] and ["Cơ quan chủ trì", "Sở Tài chính"] in rows[1:3]
    assert [r[1] for r in rows[4:-1]] == ["Sở Tài chính"]


def test_xlsx_export_has_numbers_as_numbers(client, people, frozen):
    from openpyxl import load_workbook

    client.force_login(people["office"])
    response = client.get(reverse("dashboard-xlsx"), {"as_of": "31/12/2023", "agency": "STC"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="tinh-hinh-thuc-hien-den-31-12-2023.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[1][0] == "Số liệu tính đến ngày" and values[1][1].date().isoformat() == "2023-12-31"
    assert values[2][:2] == ["Cơ quan chủ trì", "Sở Tài chính"]
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    agency, total = values[header + 1], values[-1]
    assert agency[1] == "Sở Tài chính" and isinstance(agency[2], int) and agency[2] > 0
    assert total[1] == "Tổng cộng" and total[2] == agency[2]
    expected = with_status(Assignment.objects.filter(agency__code="STC"), TODAY.replace(2023, 12, 31))
    assert total[2] == expected.count()
    rate = total[-1]
    assert rate is None or 0 <= rate <= 1  # a fraction, shown with a % format


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": "31/02/2023"}, "Ngày “31/02/2023” không hợp lệ"),
        ({"as_of": "hôm qua"}, "không hợp lệ"),
        ({"agency": "KHONGCO"}, "Giá trị “KHONGCO” không có trong danh sách."),
        ({"group": "Z.99"}, "không có trong danh sách"),
        ({"directive": "abc"}, "không có trong danh sách"),
        ({"directive": "999999"}, "không có trong danh sách"),
        ({"leader": "-1"}, "không có trong danh sách"),
    ],
)
def test_bad_filters_get_a_clear_message(client, people, params, message):
    client.force_login(people["office"])
    for name in ["dashboard", "dashboard-json", "dashboard-csv", "task-list"]:
        response = client.get(reverse(name), params)
        assert response.status_code == 400, name
        body = (
            response.content.decode()
            if name != "dashboard-json"
            else json.dumps(response.json(), ensure_ascii=False)
        )
        assert message in body, name


def test_bad_status_and_pages(client, people, task):
    client.force_login(people["office"])
    response = client.get(reverse("task-list"), {"status": "lung-tung"})
    assert response.status_code == 400 and "không có trong danh sách" in response.content.decode()
    for url in [
        reverse("task-list"),
        reverse("directive-list"),
        reverse("directive-detail", args=[task.directive_id]),
    ]:
        for page in ["999999", "abc", "-1"]:
            response = client.get(url, {"page": page})
            assert response.status_code == 400, (url, page)
            assert f"Trang “{page}” không tồn tại" in response.content.decode()
    assert client.get(reverse("task-detail", args=[999999])).status_code == 404
    assert client.get(reverse("directive-detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("query", ["ke hoach dau tu", "KẾ HOẠCH VÀ ĐẦU TƯ", "Kế Hoach dau TU"])
def test_search_ignores_diacritics_and_case(client, people, query, frozen):
    client.force_login(people["office"])
    response = client.get(reverse("task-list"), {"q": query})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count >= Assignment.objects.filter(agency__code="SKHDT").count()
    for assignment in page.object_list:
        haystack = assignment.task.search_text + " " + fold(assignment.agency.name)
        assert all(term in haystack for term in fold(query).split())
    assert "Sở Kế hoạch và Đầu tư" in response.content.decode()


def test_search_finds_task_text(client, people, frozen):
    client.force_login(people["office"])
    ctr01 = Directive.objects.get(reference="01/CTr-UBND")
    response = client.get(reverse("task-list"), {"q": "quy tin dung nhan dan", "directive": ctr01.pk})
    clauses = {a.task.clause for a in response.context["page"].object_list}
    assert "C.1.3" in clauses


def test_task_detail_shows_assignments_and_history(client, people, task, frozen):
    client.force_login(people["lead_officer"])
    body = client.get(reverse("task-detail", args=[task.pk])).content.decode()
    assert "Ngân hàng Nhà nước" in body
    assert "C.1.3, ý 1" in body
    assert "Giao nhiệm vụ" in body  # the history's first entry
    assert "19/01/2023" in body


def test_directive_detail_groups_tasks_by_clause(client, people, frozen):
    client.force_login(people["leader"])
    directive = Directive.objects.get(reference="01/CTr-UBND")
    body = client.get(reverse("directive-detail", args=[directive.pk])).content.decode()
    assert body.count("Mục C.1.3") == 1
    assert "19/01/2023" in body and "Huỳnh Quốc Việt" in body
    cchc = Directive.objects.get(reference="CT-CCHC-2021-2030")
    assert "chưa rõ số, ký hiệu" in client.get(reverse("directive-detail", args=[cchc.pk])).content.decode()


def test_health_check_needs_no_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
