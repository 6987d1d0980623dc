"""The PDF export of a summary in the layout of Nghị định 30/2020/NĐ-CP (docs/domain.md,
"Reporting conventions"): A4; the two-column header (issuing body left, national title and motto right);
"Số: …/BC-VP" and the italic place and date; the title "BÁO CÁO" and the summary's subject; the body
with its tables and charts; "Nơi nhận" and the signer's title; page numbers centred in the top
margin from page 2 on (the first page is not numbered, as the decree says).

The font is Liberation Serif (metric-compatible with Times New Roman, full Vietnamese), read from the
project's static files (static/fonts, SIL OFL), never from the system.
"""

import io
from xml.sax.saxutils import escape

from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from . import charts, columns
from .columns import COLUMN_LABELS, FIGURE_PDF_WIDTH, NUMBER, TABLE_COLUMNS
from .report import Report, vn_date, vn_int

FAMILY = "LiberationSerif"
FONT_FILES = {
    FAMILY: "fonts/LiberationSerif-Regular.ttf",
    f"{FAMILY}-Bold": "fonts/LiberationSerif-Bold.ttf",
    f"{FAMILY}-Italic": "fonts/LiberationSerif-Italic.ttf",
    f"{FAMILY}-BoldItalic": "fonts/LiberationSerif-BoldItalic.ttf",
}
LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 15 * mm, 20 * mm, 20 * mm
WIDTH = A4[0] - LEFT - RIGHT
LIST_ROWS = 30
GRID = colors.HexColor("#808080")
HEAD = colors.HexColor("#e8ecf2")
TONES = {"good": colors.HexColor("#1e7a3c"), "bad": colors.HexColor("#b3261e")}


def register_fonts() -> None:
    """Register the project's serif with reportlab once per process."""
    if FAMILY in pdfmetrics.getRegisteredFontNames():
        return
    for name, relative in FONT_FILES.items():
        path = finders.find(relative)
        if not path:
            raise FileNotFoundError(f"static/{relative} is missing: the PDF needs the project's font.")
        pdfmetrics.registerFont(TTFont(name, path))
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=FAMILY,
        bold=f"{FAMILY}-Bold",
        italic=f"{FAMILY}-Italic",
        boldItalic=f"{FAMILY}-BoldItalic",
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FAMILY, fontSize=13, leading=17)
    return {
        "body": ParagraphStyle("body", base, alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=4),
        "center": ParagraphStyle("center", base, alignment=TA_CENTER),
        "organ": ParagraphStyle("organ", base, fontSize=12, leading=15, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title", base, fontSize=14, leading=18, alignment=TA_CENTER, fontName=f"{FAMILY}-Bold"
        ),
        "h1": ParagraphStyle("h1", base, fontName=f"{FAMILY}-Bold", spaceBefore=8, spaceAfter=4),
        "h2": ParagraphStyle(
            "h2", base, fontName=f"{FAMILY}-Bold", fontSize=12.5, spaceBefore=6, spaceAfter=3
        ),
        "note": ParagraphStyle("note", base, fontSize=11, leading=14, fontName=f"{FAMILY}-Italic"),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=11, alignment=TA_LEFT),
        "num": ParagraphStyle("num", base, fontSize=9, leading=11, alignment=TA_RIGHT),
        "th": ParagraphStyle(
            "th", base, fontSize=9, leading=11, alignment=TA_CENTER, fontName=f"{FAMILY}-Bold"
        ),
        "small": ParagraphStyle("small", base, fontSize=11, leading=13),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _figure_cell(figure, style, bold=False) -> Paragraph:
    value = escape(figure.text)
    if bold:
        value = f"<b>{value}</b>"
    tone = next((t for t in ("good", "bad") if t in figure.css), None)
    colour = TONES[tone].hexval()[2:] if tone else "5c6675"
    change = escape(figure.change_short)
    return Paragraph(f'{value}<br/><font size="7" color="#{colour}">{change}</font>', style)


def _grid(data, widths, header_rows=1, bold_last=False) -> Table:
    table = Table(data, colWidths=widths, repeatRows=header_rows)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FAMILY),  # for the empty cells, which are plain strings
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if bold_last:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), HEAD))
    table.setStyle(TableStyle(commands))
    return table


def _standard_table(report: Report, spec: columns.FigureTable, s) -> Table:
    table = getattr(report, spec.attribute)
    figures = len(TABLE_COLUMNS)
    widths = [NUMBER.pdf_width * mm, WIDTH - NUMBER.pdf_width * mm - figures * FIGURE_PDF_WIDTH * mm]
    widths += [FIGURE_PDF_WIDTH * mm] * figures
    rows = [
        [
            _p(NUMBER.label, s["th"]),
            _p(spec.first, s["th"]),
            *[_p(COLUMN_LABELS[c], s["th"]) for c in TABLE_COLUMNS],
        ]
    ]
    kind_label = None
    spans = []
    for index, row in enumerate(table.rows, start=1):
        label = row.extra.get("kind_label")
        if label and label != kind_label:
            kind_label = label
            spans.append(len(rows))
            rows.append([Paragraph(f"<b>{escape(label)}</b>", s["cell"])] + [""] * 8)
        name = f"{row.key} – {row.name}" if row.extra.get("kind") else row.name
        rows.append(
            [_p(index, s["num"]), _p(name, s["cell"]), *[_figure_cell(f, s["num"]) for f in row.figures]]
        )
    rows.append(
        [
            "",
            Paragraph(f"<b>{escape(_('Tổng cộng'))}</b>", s["cell"]),
            *[_figure_cell(f, s["num"], True) for f in table.total.figures],
        ]
    )
    grid = _grid(rows, widths, bold_last=True)
    for index in spans:
        grid.setStyle(
            TableStyle(
                [
                    ("SPAN", (0, index), (-1, index)),
                    ("BACKGROUND", (0, index), (-1, index), colors.HexColor("#f5f7fa")),
                ]
            )
        )
    return grid


def _drawing(chart: charts.Chart, width: float) -> Drawing:
    """The chart's geometry (SVG coordinates, y down) drawn with reportlab.graphics, scaled to `width`."""
    scale = width / chart.width
    drawing = Drawing(width, chart.height * scale)
    # The renderer starts every drawing in its default font (Helvetica): start it in ours.
    drawing.initialFontName, drawing.initialFontSize = FAMILY, 10

    def y(value):
        return (chart.height - value) * scale

    for line in chart.lines:
        points = []
        for px, py in line.points:
            points += [px * scale, y(py)]
        drawing.add(
            PolyLine(
                points,
                strokeColor=colors.HexColor(line.colour),
                strokeWidth=line.width * scale,
                strokeDashArray=[2, 2] if line.dash else None,
            )
        )
    for r in chart.rects:
        drawing.add(
            Rect(
                r.x * scale,
                y(r.y + r.height),
                r.width * scale,
                r.height * scale,
                fillColor=colors.HexColor(r.colour),
                strokeColor=None,
            )
        )
    for cx, cy, _title in chart.dots:
        drawing.add(Circle(cx * scale, y(cy), 2.5 * scale, fillColor=colors.black, strokeColor=None))
    for t in chart.texts:
        drawing.add(
            String(
                t.x * scale,
                y(t.y),
                t.text,
                fontName=FAMILY,
                fontSize=t.size * scale * 1.05,
                textAnchor=t.anchor,
            )
        )
    return drawing


def _cell(column: columns.Column, row, s) -> Paragraph:
    value = column.value(row)
    if column.kind == columns.COUNT:
        text = vn_int(value)
    elif column.kind == columns.DATE:
        text = vn_date(value)
    else:
        text = "" if value is None else str(value)
        if column.pdf_chars and len(text) > column.pdf_chars:
            text = text[: column.pdf_chars - 1] + "…"
    return _p(text, s["num"] if column.right else s["cell"])


def _listing_grid(report: Report, listing: columns.Listing, rows: list, s) -> Table:
    """A list as summaries/columns.py gives it to the PDF."""
    numbered = columns.PDF in listing.numbered
    shown = ([NUMBER] if numbered else []) + listing.columns_in(columns.PDF, report)
    data = [[_p(c.pdf_label, s["th"]) for c in shown]]
    for index, row in enumerate(rows, start=1):
        cells = [_cell(c, row, s) for c in shown[numbered:]]
        data.append([_p(index, s["num"]), *cells] if numbered else cells)
    return _grid(data, columns.widths(shown, WIDTH, mm))


def _assignment_table(report: Report, listing: columns.Listing, s) -> list:
    rows = report.lists.get(listing.name) or []
    if not rows:
        return [_p(_("Không có."), s["small"])]
    result = [_listing_grid(report, listing, rows[:LIST_ROWS], s)]
    total = report.data["figures"]["lists"].get(listing.name) or 0
    if total > min(len(rows), LIST_ROWS):
        result.append(
            _p(
                _("… và %(n)s nhiệm vụ khác (danh sách đầy đủ trên hệ thống và trong tệp XLSX).")
                % {"n": vn_int(total - min(len(rows), LIST_ROWS))},
                s["note"],
            )
        )
    return result


def _header(report: Report, s) -> list:
    produced = timezone.localtime(report.summary.produced_at).date()
    left = [
        _p(_("ỦY BAN NHÂN DÂN TỈNH CÀ MAU"), s["organ"]),
        Paragraph(f"<b>{escape(_('VĂN PHÒNG'))}</b>", s["organ"]),
        HRFlowable(width="35%", thickness=0.6, color=colors.black, spaceBefore=2, spaceAfter=0),
    ]
    right = [
        Paragraph(f"<b>{escape(_('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'))}</b>", s["organ"]),
        Paragraph(f"<b>{escape(_('Độc lập - Tự do - Hạnh phúc'))}</b>", s["center"]),
        HRFlowable(width="62%", thickness=0.6, color=colors.black, spaceBefore=2, spaceAfter=0),
    ]
    place = _("Cà Mau, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "d": f"{produced.day:02d}",
        "m": f"{produced.month:02d}",
        "y": produced.year,
    }
    head = Table(
        [
            [left, right],
            [_p(_("Số: ……/BC-VP"), s["center"]), Paragraph(f"<i>{escape(place)}</i>", s["center"])],
        ],
        colWidths=[72 * mm, WIDTH - 72 * mm],
    )
    head.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FAMILY),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),  # the short rules under the two titles too
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    subject = _(
        "Tình hình thực hiện nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao %(subject)s"
    ) % {"subject": report.subject}
    return [
        head,
        Spacer(1, 10 * mm),
        _p(_("BÁO CÁO"), s["title"]),
        _p(subject, s["title"]),
        Paragraph(f"<i>({escape(_('Số liệu') + ' ' + report.span)})</i>", s["center"]),
        HRFlowable(width="25%", thickness=0.6, color=colors.black, spaceBefore=3, spaceAfter=8),
    ]


def _opening(report: Report, s) -> list:
    story = [
        _p(
            _(
                "Văn phòng Ủy ban nhân dân tỉnh báo cáo tình hình thực hiện các nhiệm vụ do Ủy ban nhân dân tỉnh, "
                "Chủ tịch Ủy ban nhân dân tỉnh giao, số liệu %(span)s (ngày chốt số liệu theo Nghị định số "
                "09/2019/NĐ-CP), như sau:"
            )
            % {"span": report.span},
            s["body"],
        )
    ]
    if report.simulated:
        story.append(_p(_("(Số liệu gồm cả dữ liệu mô phỏng để trình diễn.)"), s["note"]))
    return story


def _in_the_period(report: Report, s) -> list:
    """The sentence on what happened in the period, when the summary counted it."""
    if report.list_figure("completed") is None:
        return []
    lists = report.data["figures"]["lists"]
    text = _(
        "Trong kỳ, đã hoàn thành %(done)s nhiệm vụ (đúng hạn %(on_time)s, quá hạn %(late)s); %(became)s "
        "nhiệm vụ trở thành quá hạn; %(ext)s nhiệm vụ được đồng ý gia hạn; Văn phòng đã đôn đốc %(urged)s "
        "lượt. %(reported)s/%(expected)s cơ quan chủ trì có nhiệm vụ đang thực hiện đã gửi báo cáo tiến độ "
        "trong kỳ."
    ) % {
        "done": vn_int(lists["completed"]),
        "on_time": vn_int(lists["completed_on_time"]),
        "late": vn_int(lists["completed_late"]),
        "became": vn_int(lists["became_overdue"]),
        "ext": vn_int(lists["extensions"]),
        "urged": vn_int(lists["urgings"]),
        "reported": vn_int(lists["agencies_reported"]),
        "expected": vn_int(lists["agencies_expected"]),
    }
    return [_p(text, s["body"])]


def _general(report: Report, s) -> list:
    """I. The overall result, and table 1: every figure with its previous value and change."""
    story = [_p(_("I. KẾT QUẢ CHUNG"), s["h1"]), _p(report.sentence(), s["body"])]
    story += _in_the_period(report, s)
    story.append(
        _p(
            _("Bảng 1. Các số liệu chính và thay đổi so với %(label)s") % {"label": report.previous_label},
            s["h2"],
        )
    )
    data = [[_p(c.pdf_label, s["th"]) for c in columns.HEADLINE]]
    for figure in [*report.headline.figures, *report.list_figures]:
        data.append(
            [
                _p(figure.label, s["cell"]),
                _p(figure.text, s["num"]),
                _p(figure.previous_text, s["num"]),
                _figure_cell_change(figure, s),
            ]
        )
    story.append(_grid(data, columns.widths(list(columns.HEADLINE), WIDTH, mm)))
    return story


def _by_agency(report: Report, s) -> list:
    """II. Table 2 and chart 1, by lead agency."""
    rows = report.data["figures"]["agencies"]
    limit = 25
    title = _("Biểu đồ 1. Kết quả theo cơ quan chủ trì")
    if len(rows) > limit:
        title += " " + _("(%(n)s cơ quan có nhiều nhiệm vụ nhất)") % {"n": limit}
    chart = KeepTogether(
        [_p(title, s["h2"]), _drawing(charts.agency_bars(rows, width=640, limit=limit), WIDTH)]
    )
    return [
        CondPageBreak(60 * mm),
        _p(_("II. KẾT QUẢ THEO CƠ QUAN CHỦ TRÌ"), s["h1"]),
        _p(_("Bảng 2. Kết quả theo cơ quan chủ trì"), s["h2"]),
        _p(_("▲ ▼: thay đổi so với kỳ trước; với tỷ lệ, tính bằng điểm phần trăm."), s["note"]),
        _standard_table(report, columns.AGENCIES, s),
        Spacer(1, 4 * mm),
        chart,
    ]


def _by_group_and_leader(report: Report, s) -> list:
    """III and IV: the standard table by priority group and by leader in charge."""
    return [
        CondPageBreak(60 * mm),
        _p(_("III. THEO NHÓM NHIỆM VỤ TRỌNG TÂM"), s["h1"]),
        _standard_table(report, columns.GROUPS, s),
        CondPageBreak(50 * mm),
        _p(_("IV. THEO LÃNH ĐẠO PHỤ TRÁCH"), s["h1"]),
        _standard_table(report, columns.LEADERS, s),
    ]


def _listing_or_nothing(report: Report, listing: columns.Listing, s) -> list:
    rows = report.lists.get(listing.name) or []
    if not rows:
        return [_p(_("Không có."), s["small"])]
    return [_listing_grid(report, listing, rows[:LIST_ROWS], s)]


def _developments(report: Report, s) -> list:
    """V. 1–5: the period's lists (completed, became overdue, long overdue, extensions, urgings)."""
    lists = report.data["figures"]["lists"]
    headings = (
        _("1. Hoàn thành trong kỳ: %(n)s nhiệm vụ") % {"n": vn_int(lists["completed"])},
        _("2. Trở thành quá hạn trong kỳ: %(n)s nhiệm vụ") % {"n": vn_int(lists["became_overdue"])},
        _("3. Quá hạn trên 30 ngày tại ngày chốt: %(n)s nhiệm vụ") % {"n": vn_int(lists["overdue_long"])},
    )
    story = [CondPageBreak(60 * mm), _p(_("V. DIỄN BIẾN TRONG KỲ"), s["h1"])]
    for heading, listing in zip(headings, columns.ASSIGNMENT_LISTS, strict=True):
        story.append(_p(heading, s["h2"]))
        story += _assignment_table(report, listing, s)
    story.append(
        _p(_("4. Gia hạn được đồng ý trong kỳ: %(n)s lượt") % {"n": vn_int(lists["extensions"])}, s["h2"])
    )
    story += _listing_or_nothing(report, columns.EXTENSIONS, s)
    story.append(_p(_("5. Đôn đốc, nhắc việc trong kỳ"), s["h2"]))
    story += _listing_or_nothing(report, columns.URGINGS, s)
    return story


def _targets_and_discipline(report: Report, s) -> list:
    """V. 6–7: the targets at risk (when the targets app counted them) and the reporting discipline."""
    story = []
    targets = report.targets_at_risk
    if targets is not None:
        heading = _("6. Chỉ tiêu có nguy cơ không đạt: %(n)s chỉ tiêu") % {"n": len(targets)}
        story.append(_p(heading, s["h2"]))
        if targets:
            story.append(_listing_grid(report, columns.TARGETS_AT_RISK, targets, s))
    story.append(_p(_("7. Chấp hành chế độ báo cáo tiến độ"), s["h2"]))
    story.append(
        _p(
            _(
                "Cơ quan chủ trì có nhiệm vụ đang thực hiện tại ngày chốt được tính là đã báo cáo đúng kỳ khi gửi ít "
                "nhất một báo cáo tiến độ (ngày báo cáo trong kỳ) về nhiệm vụ mình chủ trì."
            ),
            s["note"],
        )
    )
    discipline = report.lists.get("discipline") or []
    if discipline:
        story.append(_listing_grid(report, columns.DISCIPLINE, discipline, s))
    return story


def _trend(report: Report, s) -> list:
    """VI. Chart 2, the year's monthly summaries, when there are any."""
    if not report.trend:
        return []
    return [
        CondPageBreak(90 * mm),
        _p(_("VI. DIỄN BIẾN QUA CÁC THÁNG"), s["h1"]),
        _p(_("Biểu đồ 2. Số liệu tại ngày chốt của các báo cáo tháng trong năm"), s["h2"]),
        _drawing(charts.trend(report.trend, width=640, height=260), WIDTH),
    ]


def _closing(s) -> list:
    """ "Nơi nhận" on the left, the signer's title on the right, kept together."""
    recipients = [
        Paragraph(f"<b><i>{escape(_('Nơi nhận:'))}</i></b>", s["small"]),
        _p(_("- Chủ tịch, các Phó Chủ tịch UBND tỉnh;"), s["small"]),
        _p(_("- Lãnh đạo Văn phòng;"), s["small"]),
        _p(_("- Lưu: VT, TH."), s["small"]),
    ]
    signer = [Paragraph(f"<b>{escape(_('CHÁNH VĂN PHÒNG'))}</b>", s["center"])]
    closing = Table([[recipients, signer]], colWidths=[WIDTH / 2, WIDTH / 2])
    closing.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FAMILY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [Spacer(1, 8 * mm), KeepTogether([closing])]


def _story(report: Report) -> list:
    """The document, part by part, in the order of the decree's layout."""
    s = _styles()
    return [
        *_header(report, s),
        *_opening(report, s),
        *_general(report, s),
        *_by_agency(report, s),
        *_by_group_and_leader(report, s),
        *_developments(report, s),
        *_targets_and_discipline(report, s),
        *_trend(report, s),
        *_closing(s),
    ]


def _figure_cell_change(figure, s) -> Paragraph:
    tone = next((t for t in ("good", "bad") if t in figure.css), None)
    text = escape(figure.change_text)
    if tone:
        text = f'<font color="#{TONES[tone].hexval()[2:]}">{text}</font>'
    return Paragraph(text, s["num"])


def _page_number(canvas, doc) -> None:
    """From page 2 on: the page number, centred in the top margin (Nghị định 30/2020/NĐ-CP)."""
    canvas.saveState()
    canvas.setFont(FAMILY, 13)
    canvas.drawCentredString(LEFT + WIDTH / 2, A4[1] - 12 * mm, str(doc.page))
    canvas.restoreState()


def render(report: Report) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=_("Báo cáo %(label)s") % {"label": report.label},
        author=_("Văn phòng Ủy ban nhân dân tỉnh Cà Mau"),
        subject=report.span,
        creator="camau-tasks",
        initialFontName=FAMILY,  # otherwise every page names Helvetica, a font the reader must supply
        initialFontSize=13,
    )
    doc.build(_story(report), onLaterPages=_page_number)
    return buffer.getvalue()
