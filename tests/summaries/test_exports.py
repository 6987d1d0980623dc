"""The PDF and XLSX exports: read back with pypdf and openpyxl, they hold the stored figures, intact
Vietnamese, the decree's layout, numbers as numbers and no formula from task texts."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from directives.models import Assignment
from summaries.models import Summary
from summaries.periods import Kind
from summaries.report import vn_int
from summaries.services import produce_summary
from tracking import services

from .conftest import CUT_OFF, INJECTION, D

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(scenario):
    return produce_summary(Kind.MONTH, CUT_OFF, actor=scenario.people["office"])


def download(client, name, summary) -> bytes:
    response = client.get(reverse(name, args=[summary.pk]))
    assert response.status_code == 200
    return response


def pdf_pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_pdf_has_the_decree_layout_the_figures_and_intact_vietnamese(client, scenario, summary):
    client.force_login(scenario.people["leader"])
    response = download(client, "summary-pdf", summary)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-month-20261114-lan-1.pdf"'
    pages = pdf_pages(response.content)
    text = " ".join(pages)
    first = pages[0]
    for words in (
        "ỦY BAN NHÂN DÂN TỈNH CÀ MAU",
        "VĂN PHÒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: ……/BC-VP",
        "Cà Mau, ngày 22 tháng 11 năm 2026",
        "BÁO CÁO",
        "giao tháng 11 năm 2026",
        "(Số liệu từ ngày 15/10/2026 đến ngày 14/11/2026)",
    ):
        assert words in first, words
    totals = summary.data["figures"]["totals"]
    assert (
        f"tổng số nhiệm vụ được giao (tính theo từng cơ quan chủ trì) là {vn_int(totals['total'])}; đã hoàn thành "
        f"{totals['done_on_time'] + totals['done_late']} nhiệm vụ (đúng hạn {totals['done_on_time']}, quá hạn "
        f"{totals['done_late']})" in text
    )
    assert f"quá hạn chưa hoàn thành {totals['overdue']} (trên 30 ngày: {totals['overdue_long']})" in text
    assert "Trong kỳ, đã hoàn thành 2 nhiệm vụ (đúng hạn 1, quá hạn 1); 2 nhiệm vụ trở thành quá hạn" in text
    for words in (
        "Hoàn thành đúng hạn",
        "Đang thực hiện trong hạn",
        "Tỷ lệ hoàn thành đúng hạn",
        "KẾT QUẢ THEO CƠ QUAN CHỦ TRÌ",
        "Sở Kế hoạch và Đầu tư",
        "Biểu đồ 1. Kết quả theo cơ quan chủ trì",
        "THEO NHÓM NHIỆM VỤ TRỌNG TÂM",
        "THEO LÃNH ĐẠO PHỤ TRÁCH",
        "Chấp hành chế độ báo cáo tiến độ",
        "Nơi nhận:",
        "CHÁNH VĂN PHÒNG",
        "20/10/2026",  # B's deadline, dd/mm/yyyy
        "15/12/2026",  # E's new deadline
    ):
        assert words in text, words
    rate = summary.data["figures"]["totals"]["on_time_rate"]
    assert f"{rate:.1f}".replace(".", ",") + "%" in text
    # Page numbers: none on the first page, then centred at the top from 2 on.
    assert len(pages) >= 3
    assert not first.startswith("1")
    for number, page in enumerate(pages[1:], start=2):
        assert page.startswith(f"{number} "), page[:20]


def test_the_pdf_embeds_the_projects_serif_font(client, scenario, summary):
    client.force_login(scenario.people["leader"])
    reader = PdfReader(io.BytesIO(download(client, "summary-pdf", summary).content))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # embedded TrueType, not a reader's substitute
            fonts.add(re.sub(r"^[A-Z]{6}\+", "", str(font["/BaseFont"]).lstrip("/")))
    assert fonts <= {
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-Italic",
        "LiberationSerif-BoldItalic",
    }
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= fonts
    assert reader.metadata.title == "Báo cáo Tháng 11/2026"


def open_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_the_xlsx_holds_the_figures_as_numbers_ready_to_print(client, scenario, summary):
    client.force_login(scenario.people["unrelated_officer"])
    response = download(client, "summary-xlsx", summary)
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-month-20261114-lan-1.xlsx"'
    wb = open_xlsx(response.content)
    assert wb.sheetnames[:7] == [
        "Tổng hợp",
        "Theo cơ quan",
        "Theo nhóm nhiệm vụ",
        "Theo lãnh đạo",
        "Hoàn thành trong kỳ",
        "Quá hạn trong kỳ",
        "Quá hạn trên 30 ngày",
    ]
    ws = wb["Theo cơ quan"]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "STT")
    assert header == (
        "STT",
        "Cơ quan chủ trì",
        "Tổng số",
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện trong hạn",
        "Quá hạn",
        "Không thời hạn",
        "Tỷ lệ hoàn thành đúng hạn",
    )
    rows = {}
    for r in ws.iter_rows():
        if isinstance(r[0].value, int):
            rows.setdefault(r[1].value, r)  # the figures; the change table repeats the names below
    for stored in summary.data["figures"]["agencies"]:
        cells = rows[stored["name"]]
        values = [c.value for c in cells[2:8]]
        assert values == [
            stored[k] for k in ("total", "done_on_time", "done_late", "in_progress", "overdue", "no_deadline")
        ]
        assert all(c.data_type == "n" for c in cells[2:9] if c.value is not None)
        rate = cells[8]
        if stored["on_time_rate"] is None:
            assert rate.value is None
        else:
            assert rate.value == pytest.approx(stored["on_time_rate"] / 100) and rate.number_format == "0.0%"
    total_row = next(r for r in ws.iter_rows() if r[1].value == "Tổng cộng")
    assert total_row[2].value == summary.data["figures"]["totals"]["total"]
    # The change table below it: SKHDT's overdue grew by B (and I belongs to SYT).
    changes = [r for r in ws.iter_rows() if r[1].value == "Sở Kế hoạch và Đầu tư"]
    assert len(changes) == 2 and changes[1][6].value == summary.data["change"]["agencies"]["SKHDT"]["overdue"]
    # Printing: A4 landscape, the header row repeated, fitted to the page width, bold headers, borders.
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows and ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    head_cell = next(c for c in ws["A"] if c.value == "STT")
    assert head_cell.font.b and head_cell.border.left.style == "thin"
    assert ws.column_dimensions["B"].width >= 40
    # Dates are dates.
    done = wb["Hoàn thành trong kỳ"]
    completed = [r for r in done.iter_rows() if r[3].value and "Nhiệm vụ thử nghiệm A" in r[3].value][0]
    assert completed[6].value.date() == D(2026, 10, 25) and completed[6].number_format == "dd/mm/yyyy"
    summary_sheet = wb["Tổng hợp"]
    figures = {r[0].value: r for r in summary_sheet.iter_rows() if r[0].value}
    assert figures["Tổng số"][1].value == summary.data["figures"]["totals"]["total"]
    assert figures["Trở thành quá hạn trong kỳ"][1].value == 2


def test_no_formula_from_task_texts(client, scenario, summary):
    client.force_login(scenario.people["leader"])
    wb = open_xlsx(download(client, "summary-xlsx", summary).content)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), (ws.title, cell.value)
    overdue = wb["Quá hạn trong kỳ"]
    texts = [r[3].value for r in overdue.iter_rows() if isinstance(r[0].value, int)]
    assert "'" + INJECTION in texts


def test_the_exports_do_not_move_after_later_edits(client, scenario, summary):
    client.force_login(scenario.people["leader"])
    pdf_before = pdf_pages(download(client, "summary-pdf", summary).content)
    xlsx_before = [
        list(ws.iter_rows(values_only=True))
        for ws in open_xlsx(download(client, "summary-xlsx", summary).content)
    ]
    b = Assignment.objects.get(pk=scenario["B"].pk)
    services.propose_completion(
        scenario.people["lead_officer"], b, version=b.version, delivered_on=D(2026, 11, 10), text="Xong"
    )
    b.refresh_from_db()
    services.confirm_completion(scenario.people["office"], b, version=b.version)
    services.urge(
        scenario.people["office"], [Assignment.objects.get(pk=scenario["D"].pk)], message="Khẩn trương"
    )
    assert pdf_pages(download(client, "summary-pdf", summary).content) == pdf_before
    xlsx_after = [
        list(ws.iter_rows(values_only=True))
        for ws in open_xlsx(download(client, "summary-xlsx", summary).content)
    ]
    assert xlsx_after == xlsx_before
    # Producing again reflects the edits in version 2's files; version 1's stay as they were.
    second = produce_summary(Kind.MONTH, CUT_OFF, actor=scenario.people["office"], again=True, based_on=1)
    text = " ".join(pdf_pages(download(client, "summary-pdf", second).content))
    assert "Trong kỳ, đã hoàn thành 3 nhiệm vụ (đúng hạn 1, quá hạn 2)" in text
    assert pdf_pages(download(client, "summary-pdf", Summary.objects.get(version=1)).content) == pdf_before


@pytest.mark.parametrize("width", [640, 900])
def test_chart_legends_fit_inside_the_chart(width):
    """The PDF draws the charts 640 wide: every legend label ends before the right edge (no "Tỷ lệ ho…")."""
    from summaries import charts

    point = {"label": "T11", "total": 4, "on_time_rate": 50.0, **dict.fromkeys(charts.CLASSES, 1)}
    for chart in (charts.trend([point, point], width=width), charts.agency_bars([], width=width)):
        legend = [t for t in chart.texts if t.y < 60 and not t.text[:1].isdigit()]
        assert legend, chart.title
        assert all(t.x + len(t.text) * 5.6 <= width for t in legend), [(t.x, t.text) for t in legend]
    assert any(t.text == "Tỷ lệ hoàn thành đúng hạn" for t in charts.trend([point], width=640).texts)


def test_an_unchanged_figure_shows_no_change_mark():
    from summaries.report import vn_change
    from summaries.xlsx import CHANGE_FORMAT, RATE_CHANGE_FORMAT

    assert vn_change(0) == "" and vn_change(0.0, is_rate=True) == ""
    assert vn_change(3) == "▲ 3" and vn_change(-1.25, is_rate=True) == "▼ 1,2 điểm %"
    assert CHANGE_FORMAT.endswith(";") and RATE_CHANGE_FORMAT.endswith(";")  # zero shows as an empty cell
