"""Targets in a real browser: an agency reports a value and sees the status and the chart change."""

import re

import pytest
from playwright.sync_api import expect

from targets.models import Actual, ActualChange, PeriodLock, TargetEvent

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


def _open_disbursement(page):
    page.goto("/targets/?agency=SKHDT")
    page.get_by_role("link", name=DISBURSEMENT).click()
    expect(page).to_have_url(re.compile(r"/targets/\d+/$"))


def test_the_office_locks_then_unlocks_a_period_in_place(page):
    log_in(page, "vanphong")
    _open_disbursement(page)
    page.evaluate("window.__notReloaded = true")
    lock = page.locator("section.lockform:not(.unlockform) form")
    lock.get_by_label("Kỳ cần khóa").select_option(label="Tháng 10/2026")
    lock.get_by_role("button", name="Khóa kỳ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã khóa số liệu Tháng 10/2026.")

    # The reason is required: the browser does not send the form without it (the server checks too).
    page.locator("section.unlockform form").get_by_role("button", name="Mở khóa kỳ").click()
    assert PeriodLock.objects.filter(period_end="2026-10-31").exists()
    unlock = page.locator("section.unlockform form")
    unlock.get_by_label("Kỳ cần mở khóa").select_option(label="Tháng 10/2026")
    unlock.get_by_label("Lý do mở khóa").fill("Sở KH&ĐT đề nghị điều chỉnh theo số liệu Kho bạc")
    unlock.get_by_role("button", name="Mở khóa kỳ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã mở khóa số liệu Tháng 10/2026.")
    history = page.locator("#history li")
    expect(history.nth(0)).to_contain_text("Lý do: Sở KH&ĐT đề nghị điều chỉnh theo số liệu Kho bạc")
    expect(history.nth(1)).to_contain_text("Văn phòng khóa số liệu kỳ.")
    expect(page.locator("section.unlockform")).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True
    assert not PeriodLock.objects.exists()
    assert list(TargetEvent.objects.order_by("id").values_list("kind", flat=True)) == ["locked", "unlocked"]


def test_the_office_unlocks_without_javascript(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "vanphong")
    _open_disbursement(page)
    page.locator("section.lockform:not(.unlockform) form").get_by_role("button", name="Khóa kỳ").click()
    expect(page.locator(".messages")).to_contain_text("Đã khóa số liệu Tháng 11/2026.")
    unlock = page.locator("section.unlockform form")
    unlock.get_by_label("Lý do mở khóa").fill("Khóa nhầm kỳ")
    unlock.get_by_role("button", name="Mở khóa kỳ").click()
    expect(page.locator(".messages")).to_contain_text("Đã mở khóa số liệu Tháng 11/2026.")
    expect(page.locator("#history li").first).to_contain_text("Lý do: Khóa nhầm kỳ")
    context.close()
