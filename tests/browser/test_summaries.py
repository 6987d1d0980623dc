"""A leader opens last month's summary, drills into a number and downloads both files."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from summaries.periods import Kind, last_cutoff
from summaries.services import produce_summary

from ..conftest import TODAY
from .conftest import log_in

pytestmark = pytest.mark.browser


def test_a_leader_opens_last_months_summary_and_downloads_both_files(page, demo, tmp_path):
    office = User.objects.get(username="vanphong")
    summary = produce_summary(Kind.MONTH, last_cutoff(TODAY), actor=office)
    totals = summary.data["figures"]["totals"]

    log_in(page, "lanhdao")
    page.get_by_role("link", name="Báo cáo tháng").click()
    expect(page.get_by_role("heading", name="Báo cáo định kỳ tình hình thực hiện nhiệm vụ")).to_be_visible()
    expect(page.get_by_role("heading", name="Lập báo cáo")).to_have_count(0)  # leaders do not produce
    page.get_by_role("link", name="Tháng 11/2026").click()
    expect(page.get_by_role("heading", name="Báo cáo Tháng 11/2026")).to_be_visible()
    expect(page.locator(".asof").first).to_contain_text("Số liệu từ ngày 15/10/2026 đến ngày 14/11/2026")
    expect(page.locator("svg.schart")).to_have_count(2)
    expect(page.locator("#agency-table tfoot")).to_contain_text(f"{totals['done_on_time']}")
    expect(page.get_by_role("button", name="Lập lại")).to_have_count(0)

    # Drill into the province's overdue number: the assignments behind it, as at the cut-off.
    page.locator(".cardnum.overdue a").click()
    expect(page).to_have_url(re.compile(r"/summaries/\d+/drill/\?d=total&c=overdue$"))
    expect(page.get_by_role("heading", name="Quá hạn – toàn tỉnh")).to_be_visible()
    expect(page.locator(".asof")).to_contain_text(f"{totals['overdue']} phân công chủ trì")
    page.go_back()

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải PDF").click()
    download = info.value
    assert download.suggested_filename == f"bao-cao-month-{summary.cut_off:%Y%m%d}-lan-1.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)
    assert "Hoàn thành đúng hạn" in text and "Cà Mau, ngày 22 tháng 11 năm 2026" in text
    assert f"đúng hạn {totals['done_on_time']}, quá hạn {totals['done_late']}" in text

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải XLSX").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    wb = load_workbook(io.BytesIO(path.read_bytes()))
    total_row = next(r for r in wb["Theo cơ quan"].iter_rows(values_only=True) if r[1] == "Tổng cộng")
    assert total_row[2] == totals["total"] and total_row[3] == totals["done_on_time"]
