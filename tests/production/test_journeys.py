"""Every role's journey through the app as deployed (tests/production/conftest.py: DEBUG=0, gunicorn,
WhiteNoise, a real Celery worker and beat), in Chromium.

Each journey fails on any console error (a Content-Security-Policy violation is one), script error,
failed request, 5xx answer or error dialog, wherever in the journey it happens (`sign_in`). The server
runs on the real clock and the simulated history is made for the real today, so nothing here depends
on the date.
"""

import datetime
import gzip
import io
import re
import secrets
import urllib.parse
import urllib.request
import zoneinfo

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.production

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# ManifestStaticFilesStorage puts the first 12 hex digits of the content's MD5 in each name.
HASHED_STATIC = re.compile(r"^/static/.+\.[0-9a-f]{12}\.(css|js)$")
ONE_YEAR = 365 * 24 * 3600
EVIDENCE_NAME = "Báo cáo tiến độ quý.pdf"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def mark_page(page) -> None:
    """Set a flag that survives in-place (htmx) updates and disappears on a reload."""
    page.evaluate("window.__notReloaded = true")


def not_reloaded(page) -> bool:
    return page.evaluate("window.__notReloaded === true")


def figures(page) -> dict[str, int]:
    """The dashboard's cards, as {label: number}."""
    cards = page.locator(".cards .cardnum")
    result = {}
    for i in range(cards.count()):
        card = cards.nth(i)
        number = card.locator("b").inner_text()
        label = card.inner_text().replace(number, "", 1).strip().splitlines()[0]
        result[label] = int(number)
    return result


def unique(text: str) -> str:
    """A text no other journey or run writes, to find exactly what this one wrote."""
    return f"{text} (kiểm thử {secrets.token_hex(3)})"


def shown_date(text: str) -> datetime.date:
    day, month, year = re.search(r"(\d\d)/(\d\d)/(\d{4})", text).groups()
    return datetime.date(int(year), int(month), int(day))


def assert_today(day: datetime.date) -> None:
    # A day either side: the journey may straddle midnight in Cà Mau.
    assert abs((day - datetime.datetime.now(VN).date()).days) <= 1, day


def test_office_dashboard_task_actions_review_and_summaries(sign_in, tmp_path):
    visit = sign_in("vanphong")
    page = visit.page

    # The dashboard with figures: the table adds up to the cards.
    expect(page.get_by_role("heading", name="Tình hình thực hiện nhiệm vụ")).to_be_visible()
    assert_today(shown_date(page.locator(".asof").inner_text()))
    cards = figures(page)
    assert cards["Quá hạn"] > 0 and cards["Hoàn thành đúng hạn"] + cards["Hoàn thành quá hạn"] > 0, cards
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải CSV").click()
    csv_file = tmp_path / "dashboard.csv"
    info.value.save_as(csv_file)
    assert "Sở Tài chính" in csv_file.read_text(encoding="utf-8-sig")
    rows = page.locator("#agency-table tbody tr")
    assert rows.count() > 20
    totals = [int(t) for t in page.locator("#agency-table tbody tr td:nth-child(3)").all_inner_texts()]
    assert sum(totals) == int(page.locator("#agency-table tfoot th").nth(2).inner_text())
    expect(page.locator("#reminder-bulletin")).to_be_visible()

    # Filter by agency in place: htmx swaps the figures, the page is not reloaded.
    mark_page(page)
    page.get_by_label("Cơ quan chủ trì").select_option(label="Sở Tài chính")
    expect(page).to_have_url(re.compile(r"agency=STC"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Sở Tài chính")
    assert not_reloaded(page)

    # Urge an agency about all its overdue work (a full page holding the action form).
    page.goto("/")
    overdue_row = page.locator("#agency-table tbody tr").filter(has=page.locator("a.urge")).first
    agency = overdue_row.locator("td").nth(1).inner_text()
    overdue_row.locator("a.urge").click()
    expect(page.get_by_role("heading", name=f"Đôn đốc {agency} về các nhiệm vụ quá hạn")).to_be_visible()
    page.get_by_label("Nội dung đôn đốc").fill(unique("Đề nghị khẩn trương hoàn thành các nhiệm vụ quá hạn"))
    page.get_by_role("button", name="Gửi đôn đốc").click()
    expect(page.locator(".messages")).to_contain_text(re.compile(rf"Đã đôn đốc {re.escape(agency)} về \d+"))

    # Open an overdue task and urge its agency with the in-place form (htmx).
    page.goto("/tasks/?status=overdue_all")
    page.locator("table.tasks tbody tr").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/tasks/\d+/$"))
    expect(page.get_by_role("heading", name="Lịch sử")).to_be_visible()
    mark_page(page)
    page.locator("#assignments").get_by_role("link", name="Đôn đốc", exact=True).first.click()
    form = page.locator("#assignments form.actionform")
    expect(form.get_by_role("heading")).to_contain_text("Đôn đốc")
    assert not_reloaded(page)
    message = unique("Đề nghị báo cáo kết quả thực hiện")
    form.get_by_label("Nội dung đôn đốc").fill(message)
    form.get_by_role("button", name="Gửi đôn đốc").click()
    # Saved, then the page refreshes itself (HX-Refresh) to show the new state with a message.
    expect(page.locator("#urgings")).to_contain_text(message)
    expect(page.locator(".messages")).to_contain_text("Đã đôn đốc")

    # The review queue, and an in-place decision form when something waits for one.
    page.get_by_role("link", name="Hồ sơ chờ xử lý").click()
    expect(page.get_by_role("heading", name="Hồ sơ chờ Văn phòng xử lý")).to_be_visible()
    expect(page.locator("#proposals")).to_be_visible()
    expect(page.locator("#extensions")).to_be_visible()
    waiting = page.locator("#proposals li.workrow, #extensions li.workrow")
    if waiting.count():
        mark_page(page)
        waiting.first.locator(".rowactions a").first.click()
        expect(waiting.first.locator("form.actionform")).to_be_visible()
        assert not_reloaded(page)

    # The summaries, one of them, and both of its files.
    page.get_by_role("link", name="Báo cáo tháng").click()
    expect(page.get_by_role("heading", name="Báo cáo định kỳ tình hình thực hiện nhiệm vụ")).to_be_visible()
    page.locator("table.summaries tbody tr").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/summaries/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile(r"^Báo cáo "))).to_be_visible()
    expect(page.locator("svg.schart").first).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải PDF").click()
    pdf = tmp_path / "summary.pdf"
    info.value.save_as(pdf)
    assert info.value.suggested_filename.endswith(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải XLSX").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    xlsx = tmp_path / "summary.xlsx"
    info.value.save_as(xlsx)
    workbook = load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert "Theo cơ quan" in workbook.sheetnames
    visit.check()


def _report_progress_with_evidence(page, text: str) -> tuple[str, int]:
    """On the workspace: the first open row's progress report, in place, with a PDF. (row id, percent)"""
    page.get_by_role("link", name="Việc của đơn vị").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Việc của đơn vị: "))).to_be_visible()
    first_open = page.locator("#lead-list li.workrow").filter(
        has=page.get_by_role("link", name="Báo cáo tiến độ")
    )
    row_id = first_open.first.get_attribute("id")
    row = page.locator(f"#{row_id}")
    mark_page(page)
    row.get_by_role("link", name="Báo cáo tiến độ").click()
    percent_field = row.get_by_label("Tiến độ (%)")
    percent = min(int(percent_field.input_value() or 0) + 5, 100)
    percent_field.fill(str(percent))
    row.get_by_label("Nội dung báo cáo").fill(text)
    row.get_by_label("Tệp đính kèm (PDF, DOCX, XLSX, ảnh; tối đa 20 MB)").set_input_files(
        files=[{"name": EVIDENCE_NAME, "mimeType": "application/pdf", "buffer": PDF}]
    )
    row.get_by_role("button", name="Gửi báo cáo").click()
    expect(row.locator(".flash")).to_have_text(f"Đã gửi báo cáo tiến độ {percent}%.")
    expect(row.locator(".percent")).to_have_text(f"{percent}%")
    assert not_reloaded(page)
    return row_id, percent


def test_agency_reports_progress_with_evidence_in_place_and_sees_it_on_the_task(sign_in):
    visit = sign_in("sokhdt")
    page = visit.page
    expect(page.get_by_role("heading", name="Tình hình thực hiện nhiệm vụ")).to_be_visible()

    text = unique("Đã dự thảo kế hoạch triển khai, đang lấy ý kiến các sở")
    row_id, percent = _report_progress_with_evidence(page, text)

    page.locator(f"#{row_id} .workhead a").first.click()
    expect(page).to_have_url(re.compile(r"/tasks/\d+/$"))
    report = page.locator("ul.alist li", has_text=text)
    expect(report).to_contain_text(f"{percent}%")
    expect(report.get_by_role("link", name=EVIDENCE_NAME)).to_be_visible()
    expect(page.locator(".timeline li").first).to_contain_text("Báo cáo tiến độ")
    visit.check()


def test_agency_downloads_its_evidence_and_a_stranger_does_not(sign_in, browser, stack):
    visit = sign_in("sotaichinh")
    page = visit.page
    text = unique("Đã tổng hợp số liệu thu ngân sách")
    row_id, _percent = _report_progress_with_evidence(page, text)
    page.locator(f"#{row_id} .workhead a").first.click()
    link = page.locator("ul.alist li", has_text=text).get_by_role("link", name=EVIDENCE_NAME)
    href = link.get_attribute("href")

    answer = page.request.get(href)
    assert answer.status == 200, answer.status
    assert answer.body() == PDF
    # RFC 5987: the original Vietnamese name, percent-encoded UTF-8.
    expected = "filename*=utf-8''" + urllib.parse.quote(EVIDENCE_NAME)
    assert expected.lower() in answer.headers.get("content-disposition", "").lower()

    stranger = browser.new_context(base_url=stack.url)
    try:
        answer = stranger.request.get(href, max_redirects=0)
        assert answer.status in (302, 403, 404) and answer.body() != PDF
    finally:
        stranger.close()
    visit.check()


def test_leader_reads_the_dashboard_gives_direction_and_reads_a_target(sign_in):
    visit = sign_in("lanhdao")
    page = visit.page
    expect(page.get_by_role("heading", name="Tình hình thực hiện nhiệm vụ")).to_be_visible()
    assert sum(figures(page).values()) > 0

    # A direction comment, in place.
    page.get_by_role("link", name="Nhiệm vụ", exact=True).click()
    page.locator("table.tasks tbody tr").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/tasks/\d+/$"))
    mark_page(page)
    page.get_by_role("link", name="Thêm ý kiến chỉ đạo").click()
    form = page.locator("#comment-slot form.actionform")
    # The form's close button works (a script handler, which a Content-Security-Policy must allow).
    form.get_by_role("button", name="Đóng").click()
    expect(form).to_have_count(0)
    page.get_by_role("link", name="Thêm ý kiến chỉ đạo").click()
    direction = unique("Đề nghị các cơ quan tập trung hoàn thành trong tháng")
    form.get_by_label("Ý kiến chỉ đạo").fill(direction)
    assert not_reloaded(page)
    form.get_by_role("button", name="Gửi ý kiến chỉ đạo").click()
    expect(page.locator("#comments")).to_contain_text(direction)
    expect(page.locator(".messages")).to_contain_text("Đã gửi ý kiến chỉ đạo.")

    # The targets, and the chart of one that has figures.
    page.get_by_role("link", name="Chỉ tiêu", exact=True).click()
    expect(page.get_by_role("heading", name="Chỉ tiêu phát triển kinh tế - xã hội")).to_be_visible()
    rows = page.locator("table.targets tbody tr")
    assert rows.count() > 5
    with_figures = rows.filter(has_not=page.locator("td:nth-child(4)", has_text=re.compile(r"^–$")))
    with_figures.first.locator("td").nth(1).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/targets/\d+/$"))
    expect(page.locator("#target-status")).not_to_be_empty()
    expect(page.locator("svg.tchart")).to_be_visible()
    assert page.locator("svg.tchart circle.point").count() >= 1
    visit.check()


def test_admin_pages_render_with_their_collected_hashed_styles(sign_in):
    visit = sign_in("admin")
    page = visit.page
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Quản trị", exact=True)).to_be_visible()

    stylesheets = page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(l => l.href)")
    assert stylesheets
    for href in stylesheets:
        path = urllib.parse.urlsplit(href).path
        assert HASHED_STATIC.match(path), path
        answer = page.request.get(href)
        assert answer.status == 200 and answer.headers["content-type"].startswith("text/css"), href
    # The styles apply: the admin's header has its colour, not the browser's default.
    assert page.eval_on_selector("#header", "e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"

    page.goto("/admin/directives/task/")
    expect(page.locator("#result_list tbody tr").first).to_be_visible()
    assert page.locator("#result_list tbody tr").count() > 10
    page.locator("#result_list tbody tr").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/admin/directives/task/\d+/change/$"))
    expect(page.locator("#content form, #content fieldset").first).to_be_visible()
    visit.check()


def test_worker_and_beat_are_alive_and_static_files_are_cached(sign_in, stack):
    visit = sign_in("vanphong")
    page = visit.page

    # The footer shows the heartbeat beat schedules every HEARTBEAT_SECONDS and the worker records;
    # the office's bulletin shows the reminder scan the worker ran.
    footer = re.compile(r"Tác vụ nền chạy lần cuối lúc (\d\d/\d\d/\d{4} \d\d:\d\d)")
    deadline = datetime.datetime.now(VN) + datetime.timedelta(seconds=30)
    while True:
        match = footer.search(page.locator("footer").inner_text())
        scan = page.locator("#reminder-bulletin .bulletin-head .meta").inner_text()
        if match and "Rà soát nhắc việc lần cuối lúc" in scan:
            shown = datetime.datetime.strptime(match.group(1), "%d/%m/%Y %H:%M").replace(tzinfo=VN)
            # Minutes are shown: fresh means this minute or the one before.
            if datetime.datetime.now(VN) - shown < datetime.timedelta(minutes=2):
                break
        assert datetime.datetime.now(VN) < deadline, (
            f"no fresh heartbeat or scan: {page.locator('footer').inner_text()!r}, {scan!r}"
        )
        page.wait_for_timeout(1000)
        page.reload()

    # The processes are the deployed ones: gunicorn with two workers, Celery on the stack's broker.
    assert stack.tail("web", 10_000).count("Booting worker with pid") >= 2
    if stack.broker_url:
        broker = urllib.parse.urlsplit(stack.broker_url)
        # Celery prints the URL with its credentials masked: redis://:**@host:port/db
        where = re.escape(broker.netloc.rsplit("@", 1)[-1] + broker.path)
        transport = rf"transport: +{broker.scheme}://(\S*@)?{where}\s"
    else:
        transport = r"transport: +filesystem://"
    assert re.search(transport, stack.tail("worker", 10_000)), transport

    # Static files: hashed names, compressed, cached for a year.
    scripts = page.eval_on_selector_all("script[src]", "scripts => scripts.map(s => s.src)")
    styles = page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(l => l.href)")
    assert len(scripts) >= 2 and styles, (scripts, styles)
    for url in [*styles, *scripts]:
        assert HASHED_STATIC.match(urllib.parse.urlsplit(url).path), url
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
            cache = answer.headers["Cache-Control"]
            assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= ONE_YEAR, cache
            assert "immutable" in cache, cache
            assert answer.headers["Content-Encoding"] == "gzip", url
            assert gzip.decompress(answer.read())
    visit.check()
