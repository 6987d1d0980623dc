"""The office's import in a real browser: a DOCX of Chỉ thị 04 made here with python-docx is uploaded,
one agency is corrected on the review screen, "Xác nhận" saves it, and its tasks are on the dashboard.
The three-task Công văn of issue 13 is entered the same way, counting the clicks and the time."""

import io
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from directives.models import Agency, Assignment, Directive

from .conftest import log_in

pytestmark = pytest.mark.browser
SOURCES = Path(__file__).parents[2] / "intake" / "data" / "sources"
CONG_VAN = Path(__file__).parents[1] / "intake" / "documents" / "cong_van_giai_ngan.txt"


def docx_file(tmp_path, text: str, name: str) -> Path:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    path = tmp_path / name
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def office_page(browser, live_server, people, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    # Script errors, and failed requests but the browser's own favicon.ico (the app has none).
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None
        ),
    )
    log_in(page, "vanphong")
    yield page
    context.close()
    assert errors == []


class Clicks:
    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


def upload(page, click, path: Path):
    click(page.get_by_role("link", name="Văn bản chỉ đạo", exact=True))
    click(page.get_by_role("link", name="Nhập văn bản từ tệp"))
    page.get_by_label("Tệp văn bản").set_input_files(str(path))
    click.count += 1  # choosing the file
    click(page.get_by_role("button", name="Đọc văn bản"))
    expect(page.get_by_role("heading", name="Thông tin văn bản")).to_be_visible()


def test_office_imports_chi_thi_04_corrects_an_agency_and_the_tasks_reach_the_dashboard(
    office_page, tmp_path
):
    page, click = office_page, Clicks()
    # The programme loaded 04/CT-UBND already; here the office imports the signed document afresh.
    Directive.objects.filter(reference="04/CT-UBND").update(reference="04/CT-UBND (nạp)", number="")
    text = (SOURCES / "000_2e875a92bb06ca6c.txt").read_text(encoding="utf-8")
    upload(page, click, docx_file(tmp_path, text, "chi-thi-04.docx"))
    expect(page.get_by_label("Số, ký hiệu")).to_have_value("04/CT-UBND")
    expect(page.get_by_label("Ngày ban hành (dd/mm/yyyy)")).to_have_value("14/03/2023")
    expect(page.locator("mark.hl-lead").first).to_be_visible()

    # Correct one agency of the first task: Sở Y tế out, Công an tỉnh in, found without diacritics.
    card = page.locator("article.dtask").first
    click(card.get_by_role("link", name="Sửa"))
    leads = card.locator(".picker").first
    click(leads.get_by_role("button", name="Bỏ Sở Y tế"))
    leads.locator("input[type=search]").fill("cong an")
    click(leads.locator(".picker-list button").first)
    expect(leads.locator(".picker-chips")).to_contain_text("Công an tỉnh")
    click(card.get_by_role("button", name="Lưu nhiệm vụ"))
    expect(card.locator(".flash")).to_have_text("Đã lưu.")
    expect(card).to_contain_text("Công an tỉnh")
    expect(card).not_to_contain_text("Sở Y tế")

    click(page.get_by_role("button", name="Xác nhận"))
    expect(page.get_by_role("link", name="Thêm nhiệm vụ")).to_be_visible()
    directive = Directive.objects.get(number="04/CT-UBND")
    assert page.url.endswith(directive.get_absolute_url())
    count = directive.tasks.count()
    expect(page.locator("main")).to_contain_text(f"{count} nhiệm vụ")
    first = directive.tasks.order_by("id").first()
    codes = set(first.assignments.values_list("agency__code", flat=True))
    assert "CA" in codes or Agency.objects.get(name="Công an tỉnh").code in codes
    assert "SYT" not in codes

    page.goto(f"/?directive={directive.pk}")
    total = Assignment.objects.filter(task__directive=directive).count()
    expect(page.locator("#agency-table tfoot")).to_contain_text(str(total))
    expect(page.locator("#agency-table tbody")).to_contain_text("Công an tỉnh")


def test_the_three_task_cong_van_through_import_clicks_and_time(office_page, tmp_path, record_property):
    page, click = office_page, Clicks()
    began = time.perf_counter()
    upload(page, click, docx_file(tmp_path, CONG_VAN.read_text(encoding="utf-8"), "cong-van-5123.docx"))
    # The three duties, nothing else (the closing "Yêu cầu thủ trưởng … triển khai thực hiện" is no task).
    expect(page.locator("article.dtask")).to_have_count(3)
    expect(page.locator("article.dtask.missing")).to_have_count(0)
    click(page.get_by_role("button", name="Xác nhận"))
    expect(page.get_by_role("link", name="Thêm nhiệm vụ")).to_be_visible()
    seconds = time.perf_counter() - began
    directive = Directive.objects.get(number="5123/UBND-XDHT")
    assert sorted(directive.tasks.values_list("clause", flat=True)) == ["1", "2", "3"]
    record_property("clicks", click.count)
    record_property("seconds", round(seconds, 1))
    print(f"\nCông văn 5123 through import: {click.count} clicks, 0 typed fields, {seconds:.1f} s")
    assert click.count == 5  # against 53 clicks, 15 typed fields and 8 drop-downs by hand
