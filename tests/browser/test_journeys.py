"""User journeys in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_office_filters_the_dashboard_in_place_and_opens_a_task(page):
    log_in(page, "vanphong")
    expect(page.get_by_role("heading", name="Tình hình thực hiện nhiệm vụ")).to_be_visible()
    expect(page.locator(".asof")).to_contain_text("22/11/2026")
    expect(page.locator(".simbanner")).to_contain_text("MÔ PHỎNG")
    rows = page.locator("#agency-table tbody tr")
    assert rows.count() > 20

    # Filter by agency: htmx swaps the figures without reloading the page.
    page.evaluate("window.__notReloaded = true")
    page.get_by_label("Cơ quan chủ trì").select_option(label="Sở Tài chính")
    expect(page).to_have_url(re.compile(r"agency=STC"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Sở Tài chính")
    assert page.evaluate("window.__notReloaded") is True

    # A past as-of date, then a date that does not exist: a clear message, in place.
    page.get_by_label("Số liệu tính đến ngày").fill("31/12/2023")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator(".asof")).to_contain_text("31/12/2023")
    page.get_by_label("Số liệu tính đến ngày").fill("31/02/2023")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("alert")).to_contain_text("Ngày “31/02/2023” không hợp lệ")
    assert page.evaluate("window.__notReloaded") is True

    # Back to today, open the first overdue task of Sở Tài chính.
    page.get_by_label("Số liệu tính đến ngày").fill("")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator(".asof")).to_contain_text("22/11/2026")
    page.locator("#agency-table tbody tr").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/tasks/\?.*agency=STC"))
    page.locator("table.tasks tbody tr").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/tasks/\d+/$"))
    expect(page.locator("#assignments")).to_contain_text("Sở Tài chính")
    expect(page.get_by_role("heading", name="Lịch sử")).to_be_visible()


def test_filters_work_without_javascript(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "lanhdao")
    page.get_by_label("Cơ quan chủ trì").select_option(label="Sở KH&ĐT")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"agency=SKHDT"))
    expect(page.locator("#agency-table tbody tr")).to_have_count(1)
    context.close()


def test_search_without_diacritics_from_the_task_list(page):
    log_in(page, "sokhdt")
    page.get_by_role("link", name="Nhiệm vụ", exact=True).click()
    page.get_by_label("Tìm kiếm").fill("ke hoach dau tu")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"q=ke(\+|%20)hoach(\+|%20)dau(\+|%20)tu"))
    expect(page.locator("table.tasks tbody")).to_contain_text("Sở Kế hoạch và Đầu tư")
