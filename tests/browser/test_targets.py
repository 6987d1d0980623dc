"""Targets in a real browser: an agency reports a value and sees the status and the chart change."""

import re

import pytest
from playwright.sync_api import expect

from targets.models import Actual, ActualChange

from .conftest import log_in

pytestmark = pytest.mark.browser

DISBURSEMENT = "Tỷ lệ giải ngân kế hoạch vốn đầu tư công năm 2026 (mô phỏng)"


def test_an_agency_reports_a_disbursement_value_and_the_status_and_chart_change(page):
    log_in(page, "sokhdt")
    page.get_by_role("link", name="Chỉ tiêu", exact=True).click()
    expect(page.get_by_role("heading", name="Chỉ tiêu phát triển kinh tế - xã hội")).to_be_visible()
    page.get_by_role("link", name=DISBURSEMENT).click()
    expect(page).to_have_url(re.compile(r"/targets/\d+/$"))

    status = page.locator("#target-status")
    points = page.locator("svg.tchart circle.point")
    expect(status).to_have_text("Chậm tiến độ")
    expect(points).to_have_count(10)
    forecast_before = page.locator("#forecast").inner_text()
    page.evaluate("window.__notReloaded = true")

    # 1. A figure far outside the series: held back with the reasons, nothing saved.
    form = page.locator("section.reportform form")
    form.get_by_label("Kỳ báo cáo").select_option(label="Tháng 11/2026")
    form.get_by_label("Giá trị (%)").fill("120")
    form.get_by_role("button", name="Gửi số liệu").click()
    alert = page.locator("section.reportform").get_by_role("alert")
    expect(alert).to_contain_text("Tỷ lệ phải nằm trong khoảng từ 0% đến 100%")
    expect(points).to_have_count(10)
    assert not Actual.objects.filter(period_end="2026-11-30").exists()

    # 2. The right figure, with a note: in place, the status and the chart follow.
    form = page.locator("section.reportform form")
    form.get_by_label("Giá trị (%)").fill("86,2")
    form.get_by_label("Ghi chú").fill("Số liệu Kho bạc Nhà nước tỉnh đến 30/11/2026")
    form.get_by_role("button", name="Gửi số liệu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận số liệu Tháng 11/2026: 86,2%.")
    expect(status).to_have_text("Đúng tiến độ")
    expect(points).to_have_count(11)
    new_point = page.locator("svg.tchart circle.point[data-period='2026-11-30'] title")
    expect(new_point).to_have_text("Tháng 11/2026: 86,2%")
    expect(page.locator("#latest")).to_contain_text("86,2% (đến 30/11/2026)")
    assert page.locator("#forecast").inner_text() != forecast_before
    expect(page.locator("#series tbody tr").first).to_contain_text("Số liệu Kho bạc Nhà nước tỉnh")
    expect(page.locator("#history li").first).to_contain_text("Báo cáo: 86,2%")
    assert page.evaluate("window.__notReloaded") is True

    # 3. A correction keeps the value it replaces in the history, and survives a reload.
    form = page.locator("section.reportform form")
    form.get_by_label("Kỳ báo cáo").select_option(label="Tháng 11/2026")
    form.get_by_label("Giá trị (%)").fill("85,9")
    form.get_by_role("button", name="Gửi số liệu").click()
    expect(page.locator("#history li").first).to_contain_text("Điều chỉnh: 86,2% → 85,9%")
    page.reload()
    expect(page.locator("svg.tchart circle.point[data-period='2026-11-30'] title")).to_have_text(
        "Tháng 11/2026: 85,9%"
    )
    assert ActualChange.objects.filter(period_end="2026-11-30").count() == 2


def test_reporting_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "sokhdt")
    page.goto("/targets/?agency=SKHDT")
    page.get_by_role("link", name=DISBURSEMENT).click()
    expect(page.locator("#target-status")).to_have_text("Chậm tiến độ")
    form = page.locator("section.reportform form")
    form.get_by_label("Kỳ báo cáo").select_option(label="Tháng 11/2026")
    form.get_by_label("Giá trị (%)").fill("86")
    form.get_by_role("button", name="Gửi số liệu").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận số liệu Tháng 11/2026: 86%.")
    expect(page.locator("#target-status")).to_have_text("Đúng tiến độ")
    expect(page.locator("svg.tchart circle.point")).to_have_count(11)
    context.close()
