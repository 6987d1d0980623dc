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

from . import charts
from .report import COLUMN_LABELS, TABLE_COLUMNS, Report, vn_date, vn_int

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


def _standard_table(table, first: str, s) -> Table:
    widths = [10 * mm, WIDTH - 10 * mm - 7 * 16 * mm] + [16 * mm] * 7
    rows = [
        [_p(_("STT"), s["th"]), _p(first, s["th"]), *[_p(COLUMN_LABELS[c], s["th"]) for c in TABLE_COLUMNS]]
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


def _assignment_table(report: Report, name: str, last: str, s) -> list:
    rows = report.lists.get(name) or []
    if not rows:
        return [_p(_("Không có."), s["small"])]
    widths = [
        10 * mm,
        28 * mm,
        WIDTH - 10 * mm - 28 * mm - 38 * mm - 18 * mm - 20 * mm,
        38 * mm,
        18 * mm,
        20 * mm,
    ]
    data = [
        [
            _p(h, s["th"])
            for h in (
                _("STT"),
                _("Văn bản, mục"),
                _("Nội dung nhiệm vụ"),
                _("Cơ quan chủ trì"),
                _("Thời hạn"),
                last,
            )
        ]
    ]
    for index, row in enumerate(rows[:LIST_ROWS], start=1):
        last_value = vn_date(row["completed_on"]) if name == "completed" else vn_int(row["days_overdue"])
        text = row["text"] if len(row["text"]) <= 260 else row["text"][:259] + "…"
        data.append(
            [
                _p(index, s["num"]),
                _p(f"{row['directive']}, {row['clause']}", s["cell"]),
                _p(text, s["cell"]),
                _p(row["agency_name"], s["cell"]),
                _p(vn_date(row["deadline"]), s["cell"]),
                _p(last_value, s["num"]),
            ]
        )
    result = [_grid(data, widths)]
    total = report.data["figures"]["lists"].get(name) or 0
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


def _story(report: Report) -> list:
    s = _styles()
    story = _header(report, s)
    story.append(
        _p(
            _(
                "Văn phòng Ủy ban nhân dân tỉnh báo cáo tình hình thực hiện các nhiệm vụ do Ủy ban nhân dân tỉnh, "
                "Chủ tịch Ủy ban nhân dân tỉnh giao, số liệu %(span)s (ngày chốt số liệu theo Nghị định số "
                "09/2019/NĐ-CP), như sau:"
            )
            % {"span": report.span},
            s["body"],
        )
    )
    if report.simulated:
        story.append(_p(_("(Số liệu gồm cả dữ liệu mô phỏng để trình diễn.)"), s["note"]))

    story.append(_p(_("I. KẾT QUẢ CHUNG"), s["h1"]))
    story.append(_p(report.sentence(), s["body"]))
    lists = report.data["figures"]["lists"]
    completed = report.list_figure("completed")
    if completed is not None:
        story.append(
            _p(
                _(
                    "Trong kỳ, đã hoàn thành %(done)s nhiệm vụ (đúng hạn %(on_time)s, quá hạn %(late)s); %(became)s "
                    "nhiệm vụ trở thành quá hạn; %(ext)s nhiệm vụ được đồng ý gia hạn; Văn phòng đã đôn đốc %(urged)s "
                    "lượt. %(reported)s/%(expected)s cơ quan chủ trì có nhiệm vụ đang thực hiện đã gửi báo cáo tiến độ "
                    "trong kỳ."
                )
                % {
                    "done": vn_int(lists["completed"]),
                    "on_time": vn_int(lists["completed_on_time"]),
                    "late": vn_int(lists["completed_late"]),
                    "became": vn_int(lists["became_overdue"]),
                    "ext": vn_int(lists["extensions"]),
                    "urged": vn_int(lists["urgings"]),
                    "reported": vn_int(lists["agencies_reported"]),
                    "expected": vn_int(lists["agencies_expected"]),
                },
                s["body"],
            )
        )
    story.append(
        _p(
            _("Bảng 1. Các số liệu chính và thay đổi so với %(label)s") % {"label": report.previous_label},
            s["h2"],
        )
    )
    data = [[_p(h, s["th"]) for h in (_("Số liệu"), _("Kỳ này"), _("Kỳ trước"), _("Thay đổi"))]]
    for figure in [*report.headline.figures, *report.list_figures]:
        data.append(
            [
                _p(figure.label, s["cell"]),
                _p(figure.text, s["num"]),
                _p(figure.previous_text, s["num"]),
                _figure_cell_change(figure, s),
            ]
        )
    story.append(_grid(data, [WIDTH - 3 * 30 * mm, 30 * mm, 30 * mm, 30 * mm]))

    story.append(CondPageBreak(60 * mm))
    story.append(_p(_("II. KẾT QUẢ THEO CƠ QUAN CHỦ TRÌ"), s["h1"]))
    story.append(_p(_("Bảng 2. Kết quả theo cơ quan chủ trì"), s["h2"]))
    story.append(_p(_("▲ ▼: thay đổi so với kỳ trước; với tỷ lệ, tính bằng điểm phần trăm."), s["note"]))
    story.append(_standard_table(report.agencies, _("Cơ quan chủ trì"), s))
    rows = report.data["figures"]["agencies"]
    limit = 25
    story.append(Spacer(1, 4 * mm))
    chart = KeepTogether(
        [
            _p(
                _("Biểu đồ 1. Kết quả theo cơ quan chủ trì")
                + (
                    " " + _("(%(n)s cơ quan có nhiều nhiệm vụ nhất)") % {"n": limit}
                    if len(rows) > limit
                    else ""
                ),
                s["h2"],
            ),
            _drawing(charts.agency_bars(rows, width=640, limit=limit), WIDTH),
        ]
    )
    story.append(chart)

    story.append(CondPageBreak(60 * mm))
    story.append(_p(_("III. THEO NHÓM NHIỆM VỤ TRỌNG TÂM"), s["h1"]))
    story.append(_standard_table(report.groups, _("Nhóm nhiệm vụ"), s))
    story.append(CondPageBreak(50 * mm))
    story.append(_p(_("IV. THEO LÃNH ĐẠO PHỤ TRÁCH"), s["h1"]))
    story.append(_standard_table(report.leaders, _("Lãnh đạo phụ trách"), s))

    story.append(CondPageBreak(60 * mm))
    story.append(_p(_("V. DIỄN BIẾN TRONG KỲ"), s["h1"]))
    story.append(_p(_("1. Hoàn thành trong kỳ: %(n)s nhiệm vụ") % {"n": vn_int(lists["completed"])}, s["h2"]))
    story += _assignment_table(report, "completed", _("Ngày hoàn thành"), s)
    story.append(
        _p(
            _("2. Trở thành quá hạn trong kỳ: %(n)s nhiệm vụ") % {"n": vn_int(lists["became_overdue"])},
            s["h2"],
        )
    )
    story += _assignment_table(report, "became_overdue", _("Số ngày quá hạn"), s)
    story.append(
        _p(
            _("3. Quá hạn trên 30 ngày tại ngày chốt: %(n)s nhiệm vụ") % {"n": vn_int(lists["overdue_long"])},
            s["h2"],
        )
    )
    story += _assignment_table(report, "overdue_long", _("Số ngày quá hạn"), s)

    story.append(
        _p(_("4. Gia hạn được đồng ý trong kỳ: %(n)s lượt") % {"n": vn_int(lists["extensions"])}, s["h2"])
    )
    extensions = report.lists.get("extensions") or []
    if extensions:
        data = [
            [
                _p(h, s["th"])
                for h in (
                    _("Văn bản, mục"),
                    _("Cơ quan chủ trì"),
                    _("Thời hạn trước"),
                    _("Thời hạn mới"),
                    _("Ngày quyết định"),
                )
            ]
        ]
        for row in extensions[:LIST_ROWS]:
            data.append(
                [
                    _p(f"{row['directive']}, {row['clause']}", s["cell"]),
                    _p(row["agency_name"], s["cell"]),
                    _p(vn_date(row["old_deadline"]), s["cell"]),
                    _p(vn_date(row["new_deadline"]), s["cell"]),
                    _p(vn_date(row["decided_on"]), s["cell"]),
                ]
            )
        story.append(_grid(data, [40 * mm, WIDTH - 40 * mm - 66 * mm, 22 * mm, 22 * mm, 22 * mm]))
    else:
        story.append(_p(_("Không có."), s["small"]))

    story.append(_p(_("5. Đôn đốc, nhắc việc trong kỳ"), s["h2"]))
    urged = report.lists.get("urgings_by_agency") or []
    with_reminders = lists.get("reminders") is not None
    if urged:
        head = [_("Cơ quan chủ trì"), _("Lượt đôn đốc")] + (
            [_("Nhắc việc tự động")] if with_reminders else []
        )
        data = [[_p(h, s["th"]) for h in head]]
        for row in urged:
            line = [_p(row["name"], s["cell"]), _p(vn_int(row["urgings"]), s["num"])]
            if with_reminders:
                line.append(_p(vn_int(row["reminders"]), s["num"]))
            data.append(line)
        numbers = len(head) - 1
        story.append(_grid(data, [WIDTH - numbers * 30 * mm] + [30 * mm] * numbers))
    else:
        story.append(_p(_("Không có."), s["small"]))

    if report.targets_at_risk is not None:
        story.append(
            _p(
                _("6. Chỉ tiêu có nguy cơ không đạt: %(n)s chỉ tiêu") % {"n": len(report.targets_at_risk)},
                s["h2"],
            )
        )
        if report.targets_at_risk:
            data = [[_p(h, s["th"]) for h in (_("Chỉ tiêu"), _("Cơ quan"), _("Tình trạng"), _("Nhận định"))]]
            for row in report.targets_at_risk:
                data.append(
                    [
                        _p(row.get("name"), s["cell"]),
                        _p(row.get("agency_short_name") or row.get("agency_name"), s["cell"]),
                        _p(row.get("status_label"), s["cell"]),
                        _p(row.get("reason") or "", s["cell"]),
                    ]
                )
            story.append(_grid(data, [55 * mm, 28 * mm, 22 * mm, WIDTH - 105 * mm]))

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
        data = [
            [
                _p(h, s["th"])
                for h in (
                    _("Cơ quan chủ trì"),
                    _("Nhiệm vụ đang thực hiện"),
                    _("Số báo cáo trong kỳ"),
                    _("Đánh giá"),
                )
            ]
        ]
        for row in discipline:
            data.append(
                [
                    _p(row["name"], s["cell"]),
                    _p(vn_int(row["open"]), s["num"]),
                    _p(vn_int(row["reports"]), s["num"]),
                    _p(_("Có báo cáo") if row["on_time"] else _("Không báo cáo"), s["cell"]),
                ]
            )
        story.append(_grid(data, [WIDTH - 3 * 28 * mm, 28 * mm, 28 * mm, 28 * mm]))

    trend = report.trend
    if trend:
        story.append(CondPageBreak(90 * mm))
        story.append(_p(_("VI. DIỄN BIẾN QUA CÁC THÁNG"), s["h1"]))
        story.append(_p(_("Biểu đồ 2. Số liệu tại ngày chốt của các báo cáo tháng trong năm"), s["h2"]))
        story.append(_drawing(charts.trend(trend, width=640, height=260), WIDTH))

    story.append(Spacer(1, 8 * mm))
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
    story.append(KeepTogether([closing]))
    return story


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
