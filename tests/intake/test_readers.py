"""Reading the document: DOCX (made here with python-docx, Word's automatic numbering included), a PDF with a
text layer (made here with reportlab and the app's own font), a scanned PDF through OCR when Tesseract's
Vietnamese model is installed (CI installs it), and clear Vietnamese messages for what cannot be read."""

import io
import unicodedata
from pathlib import Path

import pytest

from intake.parsing import IntakeError, parse_text
from intake.parsing.readers import ocr_available, read_document

FONT = Path(__file__).resolve().parents[2] / "static" / "fonts" / "LiberationSerif-Regular.ttf"
LETTER = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH CÀ MAU",
    "Số: 3456/UBND-XD",
    "V/v đẩy nhanh tiến độ giải ngân vốn đầu tư công năm 2023",
    "Cà Mau, ngày 08 tháng 9 năm 2023",
    "1. Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính rà soát, điều chuyển vốn trước ngày 30/9/2023.",
    "2. Sở Tài chính báo cáo Ủy ban nhân dân tỉnh hằng tháng.",
    "3. Ủy ban nhân dân các huyện, thành phố Cà Mau đẩy nhanh giải phóng mặt bằng trong quý IV/2023.",
]


def summary(proposal):
    return [
        (sorted(c for r in t.leads for c in ([r.group] if r.group else r.agencies)), t.deadline.kind)
        for t in proposal.tasks
    ]


EXPECTED = [(["SKHDT"], "date"), (["STC"], "recurring"), (["@districts"], "period")]


def docx_bytes(numbered: bool) -> bytes:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "\n".join(LETTER[:4])
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" + LETTER[4]
    for line in LETTER[5:]:
        if numbered:
            document.add_paragraph(line.split(". ", 1)[1], style="List Number")
        else:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("numbered", [False, True])
def test_a_docx_letter(numbered):
    text = read_document(docx_bytes(numbered), "cong-van.docx")
    proposal = parse_text(text)
    assert summary(proposal) == EXPECTED
    assert proposal.directive.number == "3456/UBND-XD" and proposal.directive.type == "cong_van"
    if numbered:
        assert [t.clause for t in proposal.tasks] == ["1", "2", "3"]


def pdf_bytes(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("IntakeSerif", str(FONT)))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("IntakeSerif", 11)
    y = 800
    for line in lines:
        while line:
            page.drawString(40, y, line[:95])
            line, y = line[95:], y - 16
        y -= 6
    page.save()
    return out.getvalue()


def test_a_pdf_with_a_text_layer():
    # A line wrapped by the page width becomes two lines; the parser takes the lower-case one as a continuation.
    text = read_document(pdf_bytes(LETTER), "cong-van.pdf")
    assert "Sở Kế hoạch và Đầu tư" in text
    assert [leads for leads, _ in summary(parse_text(text))] == [leads for leads, _ in EXPECTED]


def scanned_pdf_bytes() -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 30)
    image = Image.new("L", (1654, 900), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(["Số: 3456/UBND-XD", LETTER[5][:60], LETTER[6]]):
        draw.text((60, 60 + i * 70), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=200)
    return out.getvalue()


@pytest.mark.skipif(not ocr_available(), reason="ocrmypdf and Tesseract 'vie' are not installed")
def test_a_scanned_pdf_is_read_through_ocr():
    text = read_document(scanned_pdf_bytes(), "ban-quet.pdf")
    assert "Sở Tài chính" in text
    proposal = parse_text(text)
    assert proposal.directive.number == "3456/UBND-XD"
    assert any("SKHDT" in t.lead_codes() for t in proposal.tasks)


def test_a_scan_without_ocr_gets_a_clear_message():
    with pytest.raises(IntakeError, match="không có lớp chữ"):
        read_document(scanned_pdf_bytes(), "ban-quet.pdf", ocr=False)


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"PK\x03\x04 broken", "hong.docx", "DOCX bị hỏng"),
        (b"%PDF-1.4 broken", "hong.pdf", "PDF bị hỏng"),
        (b"\xd0\xcf\x11\xe0", "cu.doc", "Word 97-2003"),
        (b"x", "anh.png", "Chỉ đọc được"),
        (b"x" * (20 * 1024 * 1024 + 1), "to.txt", "tối đa 20 MB"),
    ],
)
def test_unreadable_files_get_a_vietnamese_message(data, name, message):
    with pytest.raises(IntakeError, match=message):
        read_document(data, name)


def test_a_windows_1258_text_file_is_read():
    # Windows-1258 writes "ở" as "ơ" followed by a combining hook above
    data = "S\u01a1\u0309 Ta\u0300i chi\u0301nh".encode("cp1258")
    assert unicodedata.normalize("NFC", read_document(data, "van-ban.txt")) == "Sở Tài chính"
