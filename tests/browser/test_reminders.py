"""Reminders in a real browser: the office's bulletin updates itself; an agency sees its bell."""

import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from directives.models import Agency
from reminders import jobs
from reminders.models import Notification

from .. import factories
from ..reminders.conftest import MON, at
from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def monday(demo):
    """Monday 23/11/2026, 08:00 in Cà Mau, with the clock running: a working day."""
    with time_machine.travel(at(MON, 8), tick=True):
        yield


def due_today(code: str, text: str):
    agency = Agency.objects.get(code=code)
    return factories.assignment(factories.task(deadline=MON, text=text), agency)


def test_the_office_sees_todays_bulletin_update_itself(page, monday):
    due_today("STC", "Tổng hợp, báo cáo tình hình thu ngân sách nhà nước (kiểm thử bảng tin)")
    jobs.scan_and_create_reminders(timezone.now())
    page.clock.install()  # so that the page's one-minute polling can be fast-forwarded
    log_in(page, "vanphong")
    bulletin = page.locator("#reminder-bulletin")
    expect(bulletin).to_contain_text("Bảng tin đôn đốc ngày 23/11/2026")
    expect(bulletin.locator("#bulletin-today")).to_contain_text("Sở Tài chính: Đến hạn ngày 23/11/2026")
    expect(bulletin.locator("#bulletin-today")).to_contain_text("thu ngân sách nhà nước (kiểm thử bảng tin)")
    expect(bulletin.locator("#bulletin-agencies tbody tr").first).to_be_visible()
    expect(bulletin.get_by_role("link", name="Xem bảng tin")).to_have_attribute(
        "href", "/reminders/bulletin/"
    )
    page.evaluate("window.__notReloaded = true")

    # The job runs again in the background with something new; nobody reloads the page.
    due_today("SKHDT", "Rà soát danh mục dự án kêu gọi đầu tư (kiểm thử bảng tin)")
    jobs.scan_and_create_reminders(timezone.now())
    expect(bulletin).not_to_contain_text("Rà soát danh mục dự án kêu gọi đầu tư (kiểm thử")
    page.clock.fast_forward(61_000)
    expect(page.locator("#bulletin-today")).to_contain_text("Rà soát danh mục dự án kêu gọi đầu tư (kiểm thử")
    assert page.evaluate("window.__notReloaded") is True


def test_an_agency_officer_sees_the_bell_count_and_the_reminder(page, monday):
    text = "Báo cáo kết quả rà soát các dự án chậm tiến độ (kiểm thử chuông)"
    due_today("SKHDT", text)
    jobs.scan_and_create_reminders(timezone.now())
    unread = Notification.objects.filter(user__username="sokhdt", read_at__isnull=True).count()
    assert unread >= 1
    log_in(page, "sokhdt")
    bell = page.locator("#bell")
    expect(bell.locator(".bell-count")).to_have_text(str(unread))
    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    expect(page.get_by_role("heading", name="Thông báo nhắc việc")).to_be_visible()
    item = page.locator("li.notice", has_text=text)
    expect(item).to_contain_text("Đến hạn ngày 23/11/2026")
    expect(item).to_have_class(re.compile(r"\bunread\b"))

    # Marked read in place: the item and the bell change without a reload.
    page.evaluate("window.__notReloaded = true")
    item.get_by_role("button", name="Đánh dấu đã đọc").click()
    expect(page.locator("li.notice", has_text=text)).to_contain_text("đã đọc")
    if unread > 1:
        expect(page.locator("#bell .bell-count")).to_have_text(str(unread - 1))
    else:
        expect(page.locator("#bell .bell-count")).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True
    item_link = page.locator("li.notice", has_text=text).get_by_role("link").first
    item_link.click()
    expect(page).to_have_url(re.compile(r"/tasks/\d+/$"))
    expect(page.locator("body")).to_contain_text(text)
