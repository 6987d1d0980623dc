"""An agency attaches a file in the browser; a reader downloads it from the task page under its
Vietnamese name; a visitor who is not signed in gets the sign-in page instead."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tracking.models import ProgressReport

from ..workflow import office_task
from .conftest import log_in

pytestmark = pytest.mark.browser

NAME = "Báo cáo tiến độ – Sở KH&ĐT.pdf"
CONTENT = b"%PDF-1.4\n% minh chung\n%%EOF\n"


def test_the_task_page_link_downloads_the_file_under_its_name(page, browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILES_X_ACCEL_REDIRECT = ""
    task, assignment = office_task(User.objects.get(username="vanphong"))

    log_in(page, "sokhdt")
    page.goto("/workspace/")
    row = page.locator(f"#row-{assignment.pk}")
    row.get_by_role("link", name="Báo cáo tiến độ").click()
    row.get_by_label("Tiến độ (%)").fill("30")
    row.get_by_label("Nội dung báo cáo").fill("Đã dự thảo, gửi kèm báo cáo")
    row.locator('input[type="file"]').set_input_files(
        {"name": NAME, "mimeType": "application/pdf", "buffer": CONTENT}
    )
    row.get_by_role("button", name="Gửi báo cáo").click()
    expect(row.locator(".flash")).to_have_text("Đã gửi báo cáo tiến độ 30%.")
    report = ProgressReport.objects.get(assignment=assignment)
    assert report.original_name == NAME and NAME not in report.file.name

    page.goto(f"/tasks/{task.pk}/")
    link = page.get_by_role("link", name=NAME)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == NAME
    path = tmp_path / "downloaded.pdf"
    download.save_as(path)
    assert path.read_bytes() == CONTENT
    href = link.get_attribute("href")
    assert href == f"/files/report/{report.pk}/"

    stranger = browser.new_context(base_url=live_server.url, locale="vi-VN")
    try:
        other = stranger.new_page()
        other.goto(href)
        expect(other).to_have_url(f"{live_server.url}/login/?next=/files/report/{report.pk}/")
        # /media/ is not tried here: Django's live test server serves MEDIA_URL by itself (the app
        # does not; tests/core/test_files.py checks that through the app's own URLs).
    finally:
        stranger.close()
