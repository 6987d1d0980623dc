"""Numeric targets: a target word, a number, a unit.

"giải ngân đạt từ 95% kế hoạch vốn", "giảm ít nhất 0,8 điểm %", "tăng ít nhất 05 bậc vị trí xếp hạng …",
"tỷ lệ … đạt 92,5%; tỷ lệ … đạt 96,5%", "giảm 5% biên chế công chức và 10% biên chế viên chức",
"bình quân 02 doanh nghiệp/năm", "ít nhất 100MW". Numbers use the Vietnamese decimal comma and thousands dot.
A number without a target word before it (a year, a document number, "Phụ lục 1", "03 vùng kinh tế") is not a
target. "…; Chỉ số hài lòng … (SIPAS)." after a target shares its predicate: one more target.
"""

import re

from .deadlines import horizon
from .model import Span, Target
from .text import Line

NUMBER = r"(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
UNITS = (
    r"diem\s*%|diem\s+phan\s+tram|%|bac|mw|gw|kw|km|ha|ty\s+dong|trieu\s+dong|ty|giuong|luot\s+khach|luot|"
    r"nguoi|lao\s+dong|ho|xa|doanh\s+nghiep|du\s+an|cum\s+cong\s+nghiep|san\s+pham|truong|hop\s+tac\s+xa|"
    r"can|tan|lan|diem"
)
CUE = (
    r"(?P<verb>tang|giam|dat|nang|keo\s+giam|thanh\s+lap|hoan\s+thanh|dua\s+vao\s+van\s+hanh(?:\s+thuong\s+mai)?"
    r"|binh\s+quan|con)?\s*"
    r"(?P<qual>it\s+nhat|toi\s+thieu|tren|tu|khong\s+duoi|khong\s+qua|duoi|toi\s+da|khoang|hon)?\s*"
)
TARGET = re.compile(
    r"(?<![a-z0-9])" + CUE + NUMBER + r"(?:\s*(?:-|–|den)\s*" + NUMBER + r")?\s*"
    r"(?P<unit>(?:" + UNITS + r")(?![a-z0-9])(?:\s*/\s*(?:nam|thang|quy))?)(?P<more>\s+tro\s+len)?"
)
COORDINATED = re.compile(r"\s*(?:va|,)\s*" + NUMBER + r"\s*(?P<unit>%|" + UNITS + r")(?![a-z0-9])")
BOUNDARY = re.compile(r"[;:,.]|(?<![a-z])(?:phan\s+dau|dam\s+bao|de|nham|trong\s+do|dong\s+thoi)(?![a-z])")
COMPARATORS = {
    "it nhat": ">=",
    "toi thieu": ">=",
    "tu": ">=",
    "khong duoi": ">=",
    "tren": ">",
    "hon": ">",
    "khong qua": "<=",
    "toi da": "<=",
    "duoi": "<",
    "khoang": "=",
}


def _number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def _indicator(line: Line, stop: int, floor: int) -> str:
    """The words before the target word back to a boundary: 'tỷ lệ dân số tham gia bảo hiểm y tế'."""
    folded = line.folded
    begin = floor
    for match in BOUNDARY.finditer(folded, floor, stop):
        begin = match.end()
    return line.clean[begin:stop].strip(" ,;")


def _after(line: Line, start: int, end: int) -> str:
    folded = line.folded
    stop = end
    if match := BOUNDARY.search(folded, start, end):
        stop = match.start()
    return line.clean[start:stop].strip(" ,;")[:160]


def find_targets(line: Line, start: int, end: int) -> list[Target]:
    """Targets stated in line[start:end]."""
    folded = line.folded
    targets: list[Target] = []
    for match in TARGET.finditer(folded, start, end):
        verb = " ".join((match["verb"] or "").split())
        qual = " ".join((match["qual"] or "").split())
        if not verb and not qual:
            continue
        direction = {"tang": "increase", "nang": "increase", "giam": "decrease", "keo giam": "decrease"}.get(
            verb
        )
        comparator = (
            ">=" if match["more"] else COMPARATORS.get(qual, ">=" if verb in ("dat", "binh quan") else "=")
        )
        unit_text = line.clean[match.start("unit") : match.end("unit")]
        indicator = _indicator(line, match.start(), start) or _after(line, match.end(), end)
        span = Span(line.number, _phrase_start(line, match.start(), start), match.end())
        due = horizon(folded, start, end)
        target = Target(
            phrase=line.clean[span.start : span.end],
            indicator=indicator,
            direction=direction,
            comparator=comparator,
            value=_number(match.group(3)),
            value_max=_number(match.group(4)) if match.group(4) else None,
            unit=" ".join(unit_text.split()),
            source=span,
            due=due[1] if due else None,
            due_phrase=line.clean[due[0].start() : due[0].end()] if due else "",
            per={"nam": "year", "thang": "month", "quy": "quarter"}.get(
                match["unit"].rsplit("/", 1)[-1].strip()
            )
            if "/" in match["unit"]
            else None,
        )
        targets.append(target)
        targets.extend(_coordinated(line, match, target, end))
    return targets + _shared(line, targets, end)


def _phrase_start(line: Line, at: int, floor: int) -> int:
    indicator = _indicator(line, at, floor)
    return line.clean.rfind(indicator, floor, at + 1) if indicator else at


def _coordinated(line: Line, match: re.Match, first: Target, end: int) -> list[Target]:
    """'giảm 5% biên chế công chức và 10% biên chế viên chức': the second number shares the verb."""
    out = []
    pos = match.end()
    obj = re.match(r"[^,;.]{0,60}?(?=\s+(?:va|,)\s*\d)", line.folded[pos:end])
    if obj:
        pos += obj.end()
        if more := COORDINATED.match(line.folded, pos, end):
            out.append(
                Target(
                    phrase=line.clean[more.start(1) : more.end()],
                    indicator=_after(line, more.end(), end),
                    direction=first.direction,
                    comparator=first.comparator,
                    value=_number(more.group(1)),
                    unit=" ".join(line.clean[more.start("unit") : more.end("unit")].split()),
                    source=Span(line.number, more.start(1), more.end()),
                    due=first.due,
                    due_phrase=first.due_phrase,
                )
            )
    return out


def _shared(line: Line, targets: list[Target], end: int) -> list[Target]:
    """'tăng ít nhất 05 bậc … (PAR INDEX); Chỉ số hài lòng … (SIPAS).': the indicator after ';' shares it."""
    if not targets:
        return []
    last = targets[-1]
    out = []
    pos = last.source.end
    for segment in re.finditer(r";\s*([^;]+)", line.folded[pos:end]):
        text = segment.group(1)
        if re.match(r"(?:chi\s+so|ty\s+le|chi\s+tieu)(?![a-z])", text) and not re.search(r"\d", text):
            s, e = pos + segment.start(1), pos + segment.end(1)
            clean = line.clean[s:e].rstrip(" .")
            out.append(
                Target(
                    phrase=clean,
                    indicator=clean,
                    direction=last.direction,
                    comparator=last.comparator,
                    value=last.value,
                    unit=last.unit,
                    source=Span(line.number, s, s + len(clean)),
                    due=last.due,
                    due_phrase=last.due_phrase,
                )
            )
    return out
