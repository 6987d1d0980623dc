"""The summaries pages for every role: reading, drilling down, producing, producing again; refusals
change nothing; bad input answers 400 in Vietnamese; the freeze as the pages show it; query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from demo.simulation.work import generate_load
from directives.models import Assignment
from summaries.models import Summary
from summaries.periods import Kind
from summaries.services import produce_summary
from tracking import services
from tracking.permissions import SYSTEM

from ..conftest import TODAY
from .conftest import CUT_OFF

D = datetime.date
pytestmark = pytest.mark.django_db
READERS = ["office", "leader", "lead_officer", "unrelated_officer", "admin"]


def html(response) -> str:
    return response.content.decode()


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens (new on every response)."""
    return re.sub(r"[A-Za-z0-9]{64}", "", page)


def state():
    return list(Summary.objects.order_by("pk").values_list("pk", "version", "is_current", "data"))


@pytest.fixture
def summary(scenario):
    return produce_summary(Kind.MONTH, CUT_OFF, actor=scenario.people["office"])


def urls(summary) -> list[str]:
    return [
        reverse("summary-list"),
        reverse("summary-detail", args=[summary.pk]),
        reverse("summary-drill", args=[summary.pk]) + "?d=agency&k=SKHDT&c=total",
        reverse("summary-xlsx", args=[summary.pk]),
        reverse("summary-pdf", args=[summary.pk]),
    ]


@pytest.mark.parametrize("role", READERS)
def test_every_reader_reads_summaries_and_downloads_them(client, scenario, summary, role):
    client.force_login(scenario.people[role])
    for url in urls(summary):
        response = client.get(url)
        assert response.status_code == 200, url
    page = html(client.get(reverse("summary-list")))
    assert 'aria-current="page">Báo cáo tháng</a>' in page
    assert "Tháng 11/2026" in page and "14/11/2026" in page and "15/10/2026" in page
    detail = html(client.get(reverse("summary-detail", args=[summary.pk])))
    assert ("Lập lại" in detail) == (role in ("office", "admin"))
    assert ("Lập báo cáo" in page) == (role in ("office", "admin"))


def test_anonymous_is_sent_to_log_in(client, summary):
    for url in urls(summary):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    before = state()
    response = client.post(reverse("summary-produce"), {"kind": "month", "cut_off": "14/10/2026"})
    assert response.status_code == 302
    response = client.post(reverse("summary-again", args=[summary.pk]), {"version": "1"})
    assert response.status_code == 302
    assert state() == before


def test_the_summary_page_shows_figures_with_their_change_and_drill_links(client, scenario, summary):
    client.force_login(scenario.people["leader"])
    page = html(client.get(reverse("summary-detail", args=[summary.pk])))
    assert "Báo cáo Tháng 11/2026" in page
    assert "Số liệu từ ngày 15/10/2026 đến ngày 14/11/2026" in page
    assert "so với Tháng 10/2026 (số liệu đến ngày 14/10/2026)" in page
    drill = reverse("summary-drill", args=[summary.pk])
    # SKHDT's row: its overdue number links to its drill-down and shows the change from October (B).
    row = re.search(r"<tr>\s*<td class=\"num\">\d+</td>\s*<td>Sở Kế hoạch và Đầu tư.*?</tr>", page, re.S)[0]
    skhdt = next(r for r in summary.data["figures"]["agencies"] if r["key"] == "SKHDT")
    change = summary.data["change"]["agencies"]["SKHDT"]
    link = f'href="{drill}?d=agency&amp;k=SKHDT&amp;c=overdue" title="Quá hạn: xem các nhiệm vụ">'
    assert f"{link}{skhdt['overdue']}</a>" in row
    assert '<small class="delta up bad"' in row and f"▲ {change['overdue']}</small>" in row
    assert "▲" in page and "▼" in page
    # The two charts are inline SVG drawn by the server, the lists are there.
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="schart"') == 2
    assert "Trở thành quá hạn trong kỳ (2)" in page and "Hoàn thành trong kỳ (2)" in page
    assert "Gia hạn được đồng ý trong kỳ (1)" in page
    assert "Chấp hành chế độ báo cáo tiến độ" in page and "Không báo cáo" in page


def test_drill_down_lists_the_assignments_behind_a_number_as_frozen(client, scenario, summary):
    client.force_login(scenario.people["lead_officer"])
    url = reverse("summary-drill", args=[summary.pk])
    page = html(client.get(url, {"d": "list", "k": "became_overdue"}))
    assert "Trở thành quá hạn trong kỳ" in page and "2 phân công chủ trì" in page
    assert "S.B" in page and "S.I" in page and "S.J" not in page
    # B is completed afterwards: the drill-down still says what it was at the cut-off.
    b = Assignment.objects.get(pk=scenario["B"].pk)
    services.propose_completion(
        scenario.people["lead_officer"], b, version=b.version, delivered_on=D(2026, 11, 10), text="Xong"
    )
    b.refresh_from_db()
    services.confirm_completion(scenario.people["office"], b, version=b.version)
    page = html(client.get(url, {"d": "agency", "k": "SKHDT", "c": "overdue"}))
    assert "S.B" in page and '<span class="status overdue">Quá hạn</span>' in page
    # htmx asks for the table only.
    partial = html(client.get(url, {"d": "total", "c": "done_late"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in partial and "S.C" in partial


@pytest.mark.parametrize(
    "params",
    [
        {"d": "agency", "k": "NOPE", "c": "total"},
        {"d": "agency", "k": "SKHDT", "c": "nope"},
        {"d": "list", "k": "nope"},
        {"d": "bogus"},
        {},
        {"d": "total", "c": "total", "page": "999"},
        {"d": "total", "c": "total", "page": "abc"},
    ],
)
def test_drill_down_bad_input_answers_400(client, scenario, summary, params):
    client.force_login(scenario.people["leader"])
    response = client.get(reverse("summary-drill", args=[summary.pk]), params)
    assert response.status_code == 400
    assert "không" in html(response)


def test_unknown_summary_is_404(client, scenario):
    client.force_login(scenario.people["leader"])
    for name in ("summary-detail", "summary-drill", "summary-xlsx", "summary-pdf"):
        assert client.get(reverse(name, args=[999999])).status_code == 404


def test_list_filters_in_place_and_refuses_bad_filters(client, scenario, summary):
    produce_summary(Kind.QUARTER, D(2026, 9, 14), actor=SYSTEM)
    client.force_login(scenario.people["leader"])
    url = reverse("summary-list")
    page = html(client.get(url, {"kind": "quarter"}))
    assert "Quý III/2026" in page and "Tháng 11/2026" not in page
    partial = html(client.get(url, {"kind": "month", "year": "2026"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in partial and "Tháng 11/2026" in partial and "Quý III/2026" not in partial
    for params, message in (
        ({"kind": "fortnight"}, "Giá trị “fortnight” không có trong danh sách."),
        ({"year": "abc"}, "Năm phải là một số"),
        ({"year": "1999"}, "Năm phải từ 2000 đến 2100"),
        ({"page": "50"}, "Trang “50” không tồn tại"),
    ):
        response = client.get(url, params)
        assert response.status_code == 400 and message in html(response), params


def test_the_office_produces_for_a_past_date(client, scenario):
    client.force_login(scenario.people["office"])
    response = client.post(reverse("summary-produce"), {"kind": "month", "cut_off": "14/10/2026"})
    summary = Summary.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "summary-detail", args=[summary.pk]
    )
    assert (summary.kind, summary.cut_off, summary.produced_by) == (
        Kind.MONTH,
        D(2026, 10, 14),
        scenario.people["office"],
    )
    page = html(client.get(response["Location"]))
    assert "Đã lập báo cáo Tháng 10/2026." in page
    # The same again: no second summary, a pointer to "Lập lại".
    response = client.post(reverse("summary-produce"), {"kind": "month", "cut_off": "14/10/2026"})
    assert response.status_code == 302 and Summary.objects.count() == 1
    assert "Báo cáo này đã được lập (lần 1)" in html(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "month", "cut_off": "31/02/2026"},
            "Ngày “31/02/2026” không hợp lệ. Nhập theo dạng dd/mm/yyyy",
        ),
        ({"kind": "month", "cut_off": "hôm qua"}, "Ngày “hôm qua” không hợp lệ"),
        ({"kind": "month", "cut_off": "22/11/2026"}, "Ngày chốt số liệu 22/11/2026 chưa qua"),
        ({"kind": "month", "cut_off": "14/12/2026"}, "chưa qua"),
        (
            {"kind": "month", "cut_off": "14/12/1999"},
            "nằm ngoài khoảng cho phép: chỉ nhận ngày từ 01/01/2000 đến 31/12/2100",
        ),
        ({"kind": "month", "cut_off": ""}, "Chưa nhập ngày chốt số liệu"),
        ({"kind": "week", "cut_off": "14/10/2026"}, "Giá trị “week” không có trong danh sách."),
        ({"cut_off": "14/10/2026"}, "Chưa chọn loại báo cáo."),
    ],
)
def test_bad_input_to_produce_answers_400_and_changes_nothing(client, scenario, data, message):
    client.force_login(scenario.people["office"])
    response = client.post(reverse("summary-produce"), data)
    assert response.status_code == 400
    assert message in html(response)
    assert 'role="alert"' in html(response)
    assert not Summary.objects.exists()


@pytest.mark.parametrize("role", ["leader", "lead_officer", "unrelated_officer"])
def test_only_the_office_produces_and_refusals_change_nothing(client, scenario, summary, role, caplog):
    client.force_login(scenario.people[role])
    before = state()
    response = client.post(reverse("summary-produce"), {"kind": "month", "cut_off": "14/10/2026"})
    assert response.status_code == 403
    response = client.post(reverse("summary-again", args=[summary.pk]), {"version": "1"})
    assert response.status_code == 403
    assert state() == before
    assert "action=produce_summary" in caplog.text


def test_get_on_the_office_actions_is_not_allowed(client, scenario, summary):
    client.force_login(scenario.people["office"])
    assert client.get(reverse("summary-produce")).status_code == 405
    assert client.get(reverse("summary-again", args=[summary.pk])).status_code == 405


def test_producing_again_keeps_the_earlier_version_readable(client, scenario, summary):
    office = scenario.people["office"]
    client.force_login(office)
    detail = reverse("summary-detail", args=[summary.pk])
    before = html(client.get(detail))
    b = Assignment.objects.get(pk=scenario["B"].pk)
    services.propose_completion(
        scenario.people["lead_officer"], b, version=b.version, delivered_on=D(2026, 11, 10), text="Xong"
    )
    b.refresh_from_db()
    services.confirm_completion(office, b, version=b.version)
    # The page of version 1 does not move after the edit.
    after = html(client.get(detail))
    assert without_tokens(before) == without_tokens(after)
    response = client.post(reverse("summary-again", args=[summary.pk]), {"version": "1"})
    second = Summary.objects.get(version=2)
    assert response.status_code == 302 and response["Location"] == reverse("summary-detail", args=[second.pk])
    page = html(client.get(response["Location"]))
    assert "Đã lập lại báo cáo (lần 2); phiên bản trước vẫn được lưu." in page
    assert second.data["figures"]["lists"]["completed"] == summary.data["figures"]["lists"]["completed"] + 1
    old = html(client.get(detail))
    assert (
        "Đây là phiên bản cũ" in old and f'href="{reverse("summary-detail", args=[second.pk])}">2</a>' in old
    )
    # A second click from the old page makes no third version.
    response = client.post(reverse("summary-again", args=[summary.pk]), {"version": "1"})
    assert response.status_code == 302 and Summary.objects.count() == 2
    assert "Báo cáo đã được lập lại sau khi bạn mở trang" in html(client.get(response["Location"]))
    assert client.post(reverse("summary-again", args=[summary.pk]), {}).status_code == 400
    assert client.post(reverse("summary-again", args=[summary.pk]), {"version": "x"}).status_code == 400
    assert Summary.objects.count() == 2


# --- Query counts --------------------------------------------------------------------------------------

# Producing: the figures (agency, group and leader tables, the lists, drill-down ids, targets,
# reminders, reporting discipline), the previous month's computed again, the trend, the insert.
PRODUCE_QUERIES = 47
# list, summary, drill-down, XLSX, PDF — session and user included.
PAGE_QUERIES = [8, 9, 7, 3, 3]


def test_same_query_count_at_10_and_1000_tasks(client, people, frozen, django_assert_num_queries):
    client.force_login(people["leader"])
    totals = []
    # Two months whose previous month has no stored summary, so both compute it the same way.
    for added, cut_off in ((10, D(2026, 10, 14)), (990, D(2026, 9, 14))):
        generate_load(added, today=TODAY)
        with django_assert_num_queries(PRODUCE_QUERIES):
            summary = produce_summary(Kind.MONTH, cut_off, actor=people["office"])
        for url, expected in zip(urls(summary), PAGE_QUERIES, strict=True):
            with django_assert_num_queries(expected):
                assert client.get(url).status_code == 200, url
        totals.append(summary.data["figures"]["totals"]["total"])
    assert totals[1] - totals[0] > 800


def test_the_list_keeps_the_names_given_when_produced(client, scenario, summary, settings):
    produce_summary(Kind.MONTH, D(2026, 11, 20), actor=scenario.people["office"])
    settings.SUMMARY_CUTOFF_DAY = 20  # the office changes its cut-off day later on
    client.force_login(scenario.people["leader"])
    page = html(client.get(reverse("summary-list")))
    assert ">Tháng 11/2026</a>" in page and "14/11/2026" in page
    assert '>Tháng 12/2026</a> <span class="tag">giữa kỳ</span>' in page
    assert "Báo cáo Tháng 11/2026" in html(client.get(reverse("summary-detail", args=[summary.pk])))
