"""The daily work in a real browser: agencies report and ask, the office confirms, decides and urges."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tracking.models import Urging

from ..conftest import TODAY
from ..workflow import office_task
from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def office_page(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, "vanphong")
    yield page
    context.close()


def skhdt_row(page):
    """The SKHDT row of the dashboard's table, as {column header: text}."""
    page.goto("/?agency=SKHDT")
    headers = page.locator("#agency-table thead th").all_inner_texts()
    cells = page.locator("#agency-table tbody tr").first.locator("td").all_inner_texts()
    return dict(zip(headers, cells, strict=True))


def test_agency_reports_and_proposes_office_confirms_and_the_dashboard_counts_it(page, office_page, demo):
    task, assignment = office_task(
        User.objects.get(username="vanphong"), deadline=TODAY + datetime.timedelta(days=5)
    )
    before = skhdt_row(office_page)

    log_in(page, "sokhdt")
    page.get_by_role("link", name="Việc của đơn vị").click()
    row = page.locator(f"#row-{assignment.pk}")
    page.evaluate("window.__notReloaded = true")
    row.get_by_role("link", name="Báo cáo tiến độ").click()
    row.get_by_label("Tiến độ (%)").fill("60")
    row.get_by_label("Nội dung báo cáo").fill("Đã dự thảo kế hoạch, đang lấy ý kiến")
    row.get_by_role("button", name="Gửi báo cáo").click()
    expect(row.locator(".flash")).to_have_text("Đã gửi báo cáo tiến độ 60%.")
    expect(row.locator(".percent")).to_have_text("60%")

    row.get_by_role("link", name="Đề nghị hoàn thành").click()
    row.get_by_label("Kết quả thực hiện").fill("Đã ban hành Kế hoạch số 15/KH-SKHDT")
    row.get_by_role("button", name="Gửi đề nghị").click()
    expect(row).to_contain_text("đề nghị hoàn thành, chờ xác nhận")
    assert page.evaluate("window.__notReloaded") is True

    office_page.get_by_role("link", name="Hồ sơ chờ xử lý").click()
    item = office_page.locator(f"#review-proposal-{assignment.pk}")
    expect(item).to_contain_text("Đã ban hành Kế hoạch số 15/KH-SKHDT")
    item.get_by_role("link", name="Xác nhận hoàn thành").click()
    expect(item.get_by_label("Ngày hoàn thành (ngày giao nộp kết quả)")).to_have_value(
        TODAY.strftime("%d/%m/%Y")
    )
    item.get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(office_page.locator(".flash")).to_contain_text(
        "Đã xác nhận Sở Kế hoạch và Đầu tư hoàn thành ngày 22/11/2026"
    )

    after = skhdt_row(office_page)
    assert int(after["Hoàn thành đúng hạn"]) == int(before["Hoàn thành đúng hạn"]) + 1
    assert int(after["Đang thực hiện trong hạn"]) == int(before["Đang thực hiện trong hạn"]) - 1


def test_agency_asks_an_extension_office_approves_and_the_task_is_on_time_again(page, office_page, demo):
    task, assignment = office_task(
        User.objects.get(username="vanphong"), deadline=TODAY - datetime.timedelta(days=3)
    )

    log_in(page, "sokhdt")
    page.goto("/workspace/")
    row = page.locator(f"#row-{assignment.pk}")
    expect(row.locator(".status")).to_have_text("Quá hạn")
    row.get_by_role("link", name="Xin gia hạn").click()
    row.get_by_label("Đề nghị gia hạn đến ngày").fill("19/11/2026")
    row.get_by_label("Lý do").fill("Chờ ý kiến thẩm định của Bộ")
    row.get_by_role("button", name="Gửi đề nghị gia hạn").click()
    expect(row.get_by_role("alert")).to_contain_text(
        "Thời hạn mới (19/11/2026) phải sau thời hạn hiện tại (19/11/2026)"
    )
    row.get_by_label("Đề nghị gia hạn đến ngày").fill("15/12/2026")
    row.get_by_role("button", name="Gửi đề nghị gia hạn").click()
    expect(row.locator(".flash")).to_have_text("Đã gửi đề nghị gia hạn đến 15/12/2026.")

    office_page.goto("/review/")
    item = office_page.locator("#extensions li", has_text="Chờ ý kiến thẩm định của Bộ")
    item.get_by_role("link", name="Quyết định").click()
    item.get_by_label("Đồng ý", exact=True).check()
    item.get_by_label("Gia hạn đến ngày (có thể khác ngày đề nghị)").fill("20/12/2026")
    item.get_by_role("button", name="Ghi quyết định").click()
    expect(office_page.locator(".flash")).to_contain_text("Đã đồng ý gia hạn đến 20/12/2026.")

    page.reload()
    row = page.locator(f"#row-{assignment.pk}")
    expect(row.locator(".status")).to_have_text("Đang thực hiện trong hạn")
    expect(row).to_contain_text("20/12/2026")
    expect(row).to_contain_text("đã gia hạn, hạn gốc 19/11/2026")


def test_office_urges_and_the_agency_sees_it(page, office_page, demo):
    task, assignment = office_task(
        User.objects.get(username="vanphong"), deadline=TODAY - datetime.timedelta(days=10)
    )

    office_page.goto(f"/tasks/{task.pk}/")
    office_page.get_by_role("link", name="Đôn đốc", exact=True).click()
    office_page.get_by_label("Nội dung đôn đốc").fill("Đề nghị Sở báo cáo kết quả trước ngày 25/11/2026")
    office_page.get_by_role("button", name="Gửi đôn đốc").click()
    expect(office_page.locator("#urgings")).to_contain_text(
        "Đề nghị Sở báo cáo kết quả trước ngày 25/11/2026"
    )
    expect(office_page.locator(".messages")).to_contain_text("Đã đôn đốc Sở Kế hoạch và Đầu tư.")
    assert Urging.objects.filter(assignment=assignment).count() == 1

    log_in(page, "sokhdt")
    page.goto("/workspace/")
    expect(page.locator("#urgings")).to_contain_text("Đề nghị Sở báo cáo kết quả trước ngày 25/11/2026")
    expect(page.locator(f"#row-{assignment.pk}")).to_contain_text(re.compile(r"được đôn đốc 2[23]/11/2026"))
    page.goto(f"/tasks/{task.pk}/")
    expect(page.locator(".timeline")).to_contain_text("Đôn đốc Sở Kế hoạch và Đầu tư")
