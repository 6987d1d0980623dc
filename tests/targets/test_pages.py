"""The targets pages for each role, their filters, reporting and locking through the views, the
dashboard's targets at risk, and their query counts."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.simulation.targets import simulate_actuals
from directives.models import Agency
from intake.loading.targets import load_targets
from targets.evaluation import targets_at_risk
from targets.models import Actual, ActualChange, PeriodLock, Target
from targets.progress import Status
from targets.services import record_actual
from tracking.permissions import SYSTEM

from ..conftest import TODAY

pytestmark = pytest.mark.django_db

READERS = ["office", "leader", "lead_officer", "unrelated_officer", "admin"]
D = datetime.date


def html(response) -> str:
    return response.content.decode()


def state():
    return (
        list(Actual.objects.order_by("id").values_list("id", "value", "note")),
        ActualChange.objects.count(),
        PeriodLock.objects.count(),
    )


@pytest.fixture
def simulated(targets, frozen):
    simulate_actuals(seed=2023, today=TODAY)
    return {t.code: t for t in Target.objects.all()}


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_the_targets_pages(client, people, simulated, role):
    client.force_login(people[role])
    response = client.get(reverse("target-list"))
    assert response.status_code == 200
    assert "Tỷ lệ giải ngân kế hoạch vốn đầu tư công năm 2023" in html(response)
    assert 'aria-current="page">Chỉ tiêu</a>' in html(response)
    for target in simulated.values():
        assert client.get(reverse("target-detail", args=[target.pk])).status_code == 200


def test_anonymous_is_sent_to_log_in(client, targets):
    target = targets["2023-GRDP"]
    for url in [reverse("target-list"), reverse("target-detail", args=[target.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(reverse("target-report", args=[target.pk]), {"period": "2023-03-31", "value": "7"})
    assert response.status_code == 302
    assert not Actual.objects.exists()


def test_the_list_shows_status_forecast_and_a_chart_per_target(client, people, simulated):
    client.force_login(people["leader"])
    page = html(client.get(reverse("target-list")))
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="tchart compact"') == len(simulated)
    row = re.search(rf'<tr id="target-{simulated["MP-2026-BHYT"].pk}">(.*?)</tr>', page, re.S)[1]
    assert "Khó đạt" in row and "93,6%" in row and "31/10/2026" in row
    assert re.search(r"9\d,\d+%<br><small>cần \+0,\d+%/kỳ</small>", row)  # forecast and pace still needed
    row = re.search(rf'<tr id="target-{simulated["2023-GIAI-NGAN"].pk}">(.*?)</tr>', page, re.S)[1]
    assert "Không đạt" in row and "Đã có số liệu cuối kỳ" in row


def test_filters_by_agency_group_and_status(client, people, simulated):
    client.force_login(people["office"])
    page = html(client.get(reverse("target-list"), {"agency": "BHXH"}))
    assert page.count('<tr id="target-') == 5  # the four 2023 insurance targets and the simulated one
    page = html(client.get(reverse("target-list"), {"group": "2023.3"}))  # takes its breakthroughs too
    ids = set(map(int, re.findall(r'<tr id="target-(\d+)"', page)))
    assert ids == {
        simulated[c].pk
        for c in [
            "2023-GIAI-NGAN",
            "2023-GIAI-NGAN-CHUYEN-TIEP",
            "2023-GIAI-NGAN-KHOI-CONG-MOI",
            "2023-PAR-INDEX",
            "2023-SIPAS",
            "2026-BIEN-CHE-CC",
            "2026-BIEN-CHE-VC",
            "MP-2026-GIAI-NGAN",
        ]
    }
    page = html(client.get(reverse("target-list"), {"status": "at_risk"}))
    ids = set(map(int, re.findall(r'<tr id="target-(\d+)"', page)))
    assert ids == {item["id"] for item in targets_at_risk(TODAY)}
    assert ids
    page = html(client.get(reverse("target-list"), {"status": "not_met", "agency": "SCT"}))
    assert page.count('<tr id="target-') == 1  # wind power (the e-commerce share and the clusters were met)
    page = html(client.get(reverse("target-list"), {"as_of": "15/07/2023", "agency": "SKHDT"}))
    assert "tính đến ngày <strong>15/07/2023</strong>" in page


def test_bad_filters_get_a_vietnamese_message(client, people, targets):
    client.force_login(people["office"])
    for params, message in [
        ({"agency": "KHONG-CO"}, "Giá trị “KHONG-CO” không có trong danh sách."),
        ({"status": "tot"}, "Giá trị “tot” không có trong danh sách."),
        ({"as_of": "31/02/2023"}, "Ngày “31/02/2023” không hợp lệ."),
    ]:
        response = client.get(reverse("target-list"), params)
        assert response.status_code == 400
        assert message in html(response)
    response = client.get(reverse("target-detail", args=[targets["2023-GRDP"].pk]), {"as_of": "hôm qua"})
    assert response.status_code == 400 and "Ngày “hôm qua” không hợp lệ." in html(response)
    assert client.get(reverse("target-detail", args=[999999])).status_code == 404


def test_htmx_gets_only_the_table(client, people, targets):
    client.force_login(people["office"])
    response = client.get(reverse("target-list"), {"agency": "SCT"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in html(response) and 'class="grid targets"' in html(response)


def test_detail_shows_status_chart_series_form_and_history(client, people, simulated):
    client.force_login(people["lead_officer"])
    target = simulated["MP-2026-GIAI-NGAN"]
    page = html(client.get(reverse("target-detail", args=[target.pk])))
    assert '<span class="status big late" id="target-status">Chậm tiến độ</span>' in page
    assert page.count('class="point"') == 10
    assert page.count('class="milestone"') == 3
    assert 'class="forecast"' in page
    assert "Báo cáo số liệu" in page and 'value="2026-11-30"' in page
    assert "Khóa số liệu kỳ" not in page  # agencies do not lock
    assert "Báo cáo: 72,45%" in page or "Báo cáo: 72,5%" in page or "Báo cáo: 72,55%" in page
    # Another agency reads it but gets no form; the office gets the lock form.
    client.force_login(people["other_officer"])
    page = html(client.get(reverse("target-detail", args=[target.pk])))
    assert "Gửi số liệu" not in page and "Khóa kỳ" not in page
    client.force_login(people["office"])
    assert "Khóa kỳ" in html(client.get(reverse("target-detail", args=[target.pk])))


def test_detail_as_of_a_past_date_uses_only_what_was_known(client, people, simulated):
    client.force_login(people["leader"])
    target = simulated["2023-GIAI-NGAN"]
    page = html(client.get(reverse("target-detail", args=[target.pk]), {"as_of": "15/07/2023"}))
    assert "Tình hình thực hiện đến ngày 15/07/2023" in page
    assert page.count('class="point"') == 6  # January to June were reported by then
    assert re.search(r'id="target-status">(Chậm tiến độ|Khó đạt)<', page)


def report_url(target):
    return reverse("target-report", args=[target.pk])


def test_an_agency_reports_without_javascript(client, people, simulated):
    client.force_login(people["lead_officer"])
    target = simulated["MP-2026-GIAI-NGAN"]
    response = client.post(
        report_url(target), {"period": "2026-11-30", "value": "86", "note": "Kho bạc xác nhận"}
    )
    assert response.status_code == 303 and response["Location"] == target.get_absolute_url()
    actual = Actual.objects.get(target=target, period_end=D(2026, 11, 30))
    assert (actual.value, actual.note, actual.reported_by) == (
        Decimal("86"),
        "Kho bạc xác nhận",
        people["lead_officer"],
    )
    page = html(client.get(response["Location"]))
    assert "Đã ghi nhận số liệu Tháng 11/2026: 86%." in page
    assert '<span class="status big progress" id="target-status">Đúng tiến độ</span>' in page


def test_an_agency_reports_in_place_with_htmx(client, people, simulated):
    client.force_login(people["lead_officer"])
    target = simulated["MP-2026-GIAI-NGAN"]
    response = client.post(
        report_url(target), {"period": "2026-11-30", "value": "86,0"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = html(response)
    assert page.lstrip().startswith('<div id="target-body"')
    assert "Đúng tiến độ" in page and page.count('class="point"') == 11
    assert 'data-period="2026-11-30"' in page


def test_bad_input_changes_nothing_and_says_why(client, people, simulated):
    client.force_login(people["lead_officer"])
    target = simulated["MP-2026-GIAI-NGAN"]
    before = state()
    for data, message in [
        ({"period": "2026-11-30", "value": "tám mươi"}, "Giá trị “tám mươi” không phải là số."),
        ({"period": "2026-11-30", "value": ""}, "Nhập giá trị của kỳ báo cáo."),
        ({"period": "2027-05-31", "value": "90"}, "Giá trị “2027-05-31” không có trong danh sách."),
        ({"value": "90"}, "Chọn kỳ báo cáo."),
        ({"period": "2026-11-30", "value": "1e40"}, "không phải là số"),
    ]:
        response = client.post(report_url(target), data)
        assert response.status_code == 400, data
        assert message in html(response)
        assert "Số liệu chưa được ghi nhận." in html(response)
    assert state() == before


def test_an_implausible_value_is_held_until_confirmed(client, people, simulated):
    client.force_login(people["lead_officer"])
    target = simulated["MP-2026-GIAI-NGAN"]
    before = state()
    response = client.post(report_url(target), {"period": "2026-11-30", "value": "120"})
    assert response.status_code == 200
    page = html(response)
    assert "Số liệu có dấu hiệu bất thường, chưa được ghi nhận" in page
    assert "Tỷ lệ phải nằm trong khoảng từ 0% đến 100%" in page
    assert "Thay đổi quá lớn so với diễn biến của chuỗi số liệu" in page  # +47,5 against steps of ~7
    assert 'name="confirm"' in page and 'value="120"' in page
    assert state() == before
    assert 'name="confirmed_value" value="120"' in page
    # Confirming, then changing the figure, does not let the new figure through unchecked.
    response = client.post(
        report_url(target),
        {"period": "2026-11-30", "value": "150", "confirm": "on", "confirmed_value": "120"},
    )
    assert response.status_code == 200 and "chưa được ghi nhận" in html(response)
    assert state() == before
    response = client.post(
        report_url(target),
        {"period": "2026-11-30", "value": "120", "confirm": "on", "confirmed_value": "120"},
    )
    assert response.status_code == 303
    assert Actual.objects.get(target=target, period_end=D(2026, 11, 30)).flags == ["out_of_range", "jump"]
    assert "bất thường" in html(client.get(target.get_absolute_url()))


@pytest.mark.parametrize("role", ["other_officer", "unrelated_officer", "office", "leader"])
def test_others_cannot_report_through_the_view(client, people, simulated, role):
    client.force_login(people[role])
    before = state()
    target = simulated["MP-2026-GIAI-NGAN"]
    response = client.post(report_url(target), {"period": "2026-11-30", "value": "86"})
    assert response.status_code == 403
    assert state() == before


def test_report_and_lock_only_accept_post(client, people, targets):
    client.force_login(people["lead_officer"])
    target = targets["2023-GIAI-NGAN"]
    assert client.get(report_url(target)).status_code == 405
    assert client.get(reverse("target-lock", args=[target.pk])).status_code == 405


def test_the_office_locks_a_period_through_the_view(client, people, simulated):
    target = simulated["MP-2026-GIAI-NGAN"]
    lock_url = reverse("target-lock", args=[target.pk])
    client.force_login(people["lead_officer"])
    assert client.post(lock_url, {"period": "2026-10-31"}).status_code == 403
    assert not PeriodLock.objects.exists()
    client.force_login(people["office"])
    response = client.post(lock_url, {"period": "2026-10-31"})
    assert response.status_code == 303
    assert "Đã khóa số liệu Tháng 10/2026." in html(client.get(response["Location"]))
    response = client.post(lock_url, {"period": "2026-10-31"}, headers={"HX-Request": "true"})
    assert response.status_code == 400  # no longer offered
    assert "Giá trị “2026-10-31” không có trong danh sách." in html(response)
    client.force_login(people["lead_officer"])
    before = state()
    response = client.post(report_url(target), {"period": "2026-10-31", "value": "73"})
    assert response.status_code == 400
    assert "Số liệu Tháng 10/2026 đã được Văn phòng khóa, không thể thay đổi." in html(response)
    assert state() == before
    assert "đã khóa" in html(client.get(target.get_absolute_url()))


# The dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_shows_the_targets_at_risk(client, people, simulated):
    client.force_login(people["leader"])
    page = html(client.get(reverse("dashboard")))
    section = re.search(r'<section class="atrisk" id="targets-at-risk">(.*?)</section>', page, re.S)[1]
    at_risk = targets_at_risk(TODAY)
    assert f"Chỉ tiêu có nguy cơ không đạt ({len(at_risk)}) – đến ngày 22/11/2026" in section
    for item in at_risk:
        assert item["name"] in section
    assert "Tỷ lệ dân số tham gia bảo hiểm y tế năm 2026 (mô phỏng)" in section  # khó đạt
    assert "Thu ngân sách" not in section  # on track
    # As of a 2023 date the 2023 targets behind their milestones show up; filters apply.
    page = html(client.get(reverse("dashboard"), {"as_of": "15/07/2023", "agency": "SKHDT"}))
    section = re.search(r'id="targets-at-risk">(.*?)</section>', page, re.S)[1]
    assert "Tỷ lệ giải ngân kế hoạch vốn đầu tư công năm 2023" in section
    assert "bảo hiểm" not in section


def test_targets_at_risk_is_plain_data_for_the_monthly_summary(simulated):
    items = targets_at_risk(D(2023, 7, 15))
    assert json.loads(json.dumps(items)) == items
    assert {item["status"] for item in items} <= {Status.BEHIND.value, Status.UNLIKELY.value}
    disbursement = next(i for i in items if i["code"] == "2023-GIAI-NGAN")
    assert disbursement["agency"] == "SKHDT" and disbursement["goal"] == 95
    assert disbursement["latest_period_end"] == "2023-06-30" and disbursement["simulated"]
    assert targets_at_risk(D(2022, 6, 1)) == []  # nothing reported yet


# Query counts ----------------------------------------------------------------------------------


def add_targets(n: int, start: int = 0):
    """n more monthly targets of one agency, each with six reported values, through the loader and services."""
    items = [
        {
            "code": f"TEST-{start + i:04d}",
            "name": f"Chỉ tiêu thử nghiệm {start + i}",
            "unit": "%",
            "direction": "at_least",
            "target_value": "90",
            "target_text": "đạt 90%",
            "period_label": "năm 2026",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "baseline": "0",
            "cumulative": True,
            "is_share": True,
            "agency": "STC",
            "groups": ["B.3", "2023.1"],
            "milestones": [{"due": "2026-06-30", "value": "40"}],
        }
        for i in range(n)
    ]
    load_targets({"targets": items})
    for target in Target.objects.filter(code__in=[i["code"] for i in items]):
        for month in range(1, 7):
            day = D(2026, month + 1, 1) - datetime.timedelta(days=1)
            record_actual(target, day, Decimal(month * 7), by=SYSTEM, today=TODAY)


def count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(queries)


def test_the_targets_pages_run_the_same_queries_at_10_and_at_many_targets(client, people, programme, frozen):
    client.force_login(people["office"])
    add_targets(10)
    target = Target.objects.get(code="TEST-0000")
    pages = {
        "list": (reverse("target-list"), None),
        "list-filtered": (reverse("target-list"), {"agency": "STC", "group": "2023.1", "status": "on_track"}),
        "detail": (reverse("target-detail", args=[target.pk]), None),
        "dashboard": (reverse("dashboard"), None),
    }
    small = {name: count(client, url, params) for name, (url, params) in pages.items()}
    add_targets(110, start=10)
    for month in (7, 8, 9, 10):  # the detail page's target gets a longer series and history
        record_actual(
            target,
            D(2026, month + 1, 1) - datetime.timedelta(days=1),
            Decimal(month * 7),
            by=SYSTEM,
            today=TODAY,
        )
        record_actual(
            target,
            D(2026, month + 1, 1) - datetime.timedelta(days=1),
            Decimal(month * 7),
            by=SYSTEM,
            today=TODAY,
        )
    assert Target.objects.count() == 120
    large = {name: count(client, url, params) for name, (url, params) in pages.items()}
    assert small == large
    # Session, user with their agency; the base template's three (unread notices, simulated data,
    # heartbeat); then the list's targets, milestones, values and the filter's two option lists
    # (the filtered list also looks up the chosen group and agency), or the detail's target, groups,
    # values, milestones, locks and history (the reported values, then the locks, unlocks and changes),
    # and the tasks serving it with their class.
    assert {k: v for k, v in small.items() if k != "dashboard"} == {
        "list": 10,
        "list-filtered": 12,
        "detail": 13,
    }


def test_the_dashboard_tag_costs_three_queries_whatever_the_number_of_targets(programme, frozen):
    add_targets(3)
    with CaptureQueriesContext(connection) as queries:
        targets_at_risk(TODAY)
    assert len(queries) == 3  # targets with their agency, milestones, values
    add_targets(60, start=3)
    with CaptureQueriesContext(connection) as queries:
        targets_at_risk(TODAY)
    assert len(queries) == 3


def test_the_agency_filter_only_lists_agencies_with_targets(client, people, targets):
    client.force_login(people["office"])
    page = html(client.get(reverse("target-list")))
    options = re.search(r'<select name="agency".*?</select>', page, re.S)[0]
    assert "BHXH tỉnh" in options and "Thanh tra tỉnh" not in options
    assert Agency.objects.filter(code="TTT").exists()


def test_the_targets_list_is_drawn_one_page_at_a_time(client, people, programme, frozen):
    client.force_login(people["office"])
    add_targets(60)
    total = Target.objects.count()
    first = html(client.get(reverse("target-list")))
    assert first.count('<tr id="target-') == 50
    assert f"{total}/{total} chỉ tiêu" in first and f"Trang 1/{(total + 49) // 50}" in first
    last_page = (total + 49) // 50
    last = html(client.get(reverse("target-list"), {"page": last_page}))
    assert last.count('<tr id="target-') == total - 50 * (last_page - 1)
    assert f'<td class="num">{total}</td>' in last  # numbering goes on from the previous pages
    response = client.get(reverse("target-list"), {"page": "99"})
    assert response.status_code == 400
    assert f"Trang “99” không tồn tại: danh sách có {last_page} trang." in html(response)


def test_a_target_lists_the_tasks_serving_it_and_a_task_its_targets(client, people, targets, frozen):
    """Issue 13, item 7: the loader ties each target to the task read from the line it quotes."""
    client.force_login(people["lead_officer"])
    target = targets["2023-GIAI-NGAN"]
    task = target.tasks.get()
    assert task.clause == "C.5.2.b" and task.item == 6
    page = html(client.get(reverse("target-detail", args=[target.pk])))
    serving = page[page.index('id="serving"') :]
    assert f'href="{reverse("task-detail", args=[task.pk])}"' in serving
    assert "Quá hạn trên 30 ngày" in serving or "Quá hạn" in serving
    task_page = html(client.get(reverse("task-detail", args=[task.pk])))
    listed = task_page[task_page.index('id="task-targets"') :]
    for code in ("2023-GIAI-NGAN", "2023-GIAI-NGAN-CHUYEN-TIEP", "2023-GIAI-NGAN-KHOI-CONG-MOI"):
        assert f'href="{reverse("target-detail", args=[targets[code].pk])}"' in listed
    assert not targets["2023-GRDP"].tasks.exists()  # the text gives it to no task
