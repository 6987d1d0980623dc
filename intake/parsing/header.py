"""The parts of an administrative document around its body (Nghị định 30/2020/NĐ-CP, the form every
provincial document follows): issuer, "Số: 04/CT-UBND", "Cà Mau, ngày 14 tháng 3 năm 2023", the type and
title, "Kính gửi:", and after the body "Nơi nhận:", the signature block and the footnotes.
"""

import datetime
import re
from dataclasses import dataclass, field

from .model import DirectiveProposal, Span
from .text import Line, fold, is_upper_text

HEAD_LINES = 60
TYPES = [
    ("chuong trinh hanh dong", "chuong_trinh", "Chương trình hành động"),
    ("chuong trinh", "chuong_trinh", "Chương trình"),
    ("chi thi", "chi_thi", "Chỉ thị"),
    ("ke hoach", "ke_hoach", "Kế hoạch"),
    ("quyet dinh", "quyet_dinh", "Quyết định"),
    ("thong bao", "thong_bao", "Thông báo"),
    ("nghi quyet", "nghi_quyet", "Nghị quyết"),
    ("cong van", "cong_van", "Công văn"),
]
# The symbol after the number names the type: 04/CT-UBND, 01/CTr-UBND, 123/KH-UBND; 3456/UBND-XD is a công văn.
SYMBOL_TYPES = {
    "ct": "chi_thi",
    "ctr": "chuong_trinh",
    "kh": "ke_hoach",
    "qd": "quyet_dinh",
    "tb": "thong_bao",
    "nq": "nghi_quyet",
}
LABELS = {code: label for _, code, label in TYPES}
NUMBER = re.compile(r"^\s*so\s*:\s*(\S.*?)\s*$")
DATE = re.compile(r"(?:^|\s)([a-z][a-z .]{1,40}?)\s*,\s*ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
SUBJECT_LINE = re.compile(r"^\s*(?:v/v|ve viec)\s*[:.]?\s*")
TO_LINE = re.compile(r"^\s*kinh\s+gui\s*:?\s*")
NATIONAL = re.compile(r"^\s*(?:cong hoa xa hoi|doc lap\s*-|[-_=*\s]+$)")
END_OF_BODY = re.compile(r"^\s*(?:noi nhan\s*:?|(?:tm|kt|tl|tuq|q)\.\s+\S)")
SIGNER_TITLE = re.compile(
    r"^\s*(?:(?:tm|kt|tl|tuq|q)\.\s+)?(?:pho\s+)?(?:chu tich|giam doc|chanh van phong|truong ban|bi thu|"
    r"cuc truong|thu truong|uy ban nhan dan|chanh thanh tra)\b"
)
FOOTNOTE = re.compile(r"^\s*\((\d{1,2})\)\s+\S")


@dataclass
class Layout:
    """Where the body of the document runs, and what surrounds it."""

    directive: DirectiveProposal
    body_start: int  # index in lines
    body_end: int  # index in lines, exclusive
    addressees: list[int] = field(default_factory=list)  # indexes of the "Kính gửi" lines
    footnotes: dict[str, list[int]] = field(default_factory=dict)


def _span(line: Line, start: int = 0, end: int | None = None) -> Span:
    text = line.clean
    end = len(text.rstrip()) if end is None else end
    while start < end and text[start] == " ":
        start += 1
    return Span(line.number, start, end)


def _sentence_case(text: str, province: str) -> str:
    text = " ".join(text.split())
    if not is_upper_text(text):
        return text
    lowered = text.lower()
    lowered = lowered[:1].upper() + lowered[1:]
    if province:
        lowered = re.sub(re.escape(province.lower()), province, lowered)
    return lowered


def _proper(text: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH CÀ MAU' → 'Ủy ban nhân dân tỉnh Cà Mau'."""
    words = " ".join(text.split()).lower().split(" ")
    out, capital = [], False
    for i, word in enumerate(words):
        out.append(word[:1].upper() + word[1:] if i == 0 or capital else word)
        if fold(word) in ("tinh", "huyen", "pho", "xa"):
            capital = True
    return " ".join(out)


def read_layout(lines: list[Line]) -> Layout:
    directive = DirectiveProposal()
    head = lines[:HEAD_LINES]
    title_at = _read_identity(head, directive)
    body_start = _body_start(lines, title_at)
    addressees = _addressees(lines, directive, body_start)
    if addressees:
        body_start = max(body_start, addressees[-1] + 1)
    body_end = _body_end(lines, body_start)
    _read_signature(lines, body_end, directive)
    footnotes = _footnotes(lines, body_end)
    if not directive.type and directive.number:
        directive.type = _type_from_symbol(directive.number)
        directive.type_label = LABELS.get(directive.type or "", "")
    return Layout(directive, body_start, body_end, addressees, footnotes)


def _read_identity(head: list[Line], directive: DirectiveProposal) -> int:
    """Number, date and place, issuer, type and title; returns the index of the title's last line (or -1)."""
    title_at = -1
    for index, line in enumerate(head):
        folded = line.folded
        if not directive.number and (match := NUMBER.match(folded)):
            raw = line.clean[match.start(1) : match.end(1)]
            directive.number = re.sub(r"\s+", "", raw)
            directive.sources["number"] = _span(line, match.start(1), match.end(1))
        if not directive.issue_date and (match := DATE.search(folded)):
            _read_date(line, match, directive)
        if not directive.type and is_upper_text(line.clean):
            title_at = _read_type(head, index, directive) or title_at
        if title_at < 0 and (match := SUBJECT_LINE.match(folded)) and len(folded.strip()) > 8:
            directive.title = line.clean[match.end() :].strip()
            directive.sources["title"] = _span(line, match.end())
            title_at = index
    _read_issuer(head, directive)
    return title_at


def _read_date(line: Line, match: re.Match, directive: DirectiveProposal) -> None:
    try:
        directive.issue_date = datetime.date(int(match[4]), int(match[3]), int(match[2]))
    except ValueError:
        return
    directive.place = " ".join(line.clean[match.start(1) : match.end(1)].split())
    directive.sources["issue_date"] = _span(line, match.start(2) - len("ngày "), match.end(4))
    directive.sources["place"] = _span(line, match.start(1), match.end(1))


def _read_type(head: list[Line], index: int, directive: DirectiveProposal) -> int | None:
    folded = " ".join(head[index].folded.split())
    for name, code, label in TYPES:
        if folded == name or folded.startswith(name + " ") and code != "cong_van":
            directive.type, directive.type_label = code, label
            directive.sources["type"] = _span(head[index])
            return _read_title(head, index, directive)
    return None


def _read_title(head: list[Line], index: int, directive: DirectiveProposal) -> int:
    """The title runs from the first non-blank line after the type line over the lines that continue it."""
    first = next((i for i in range(index + 1, len(head)) if not head[i].is_blank), None)
    if first is None:
        return index
    last = first
    while (
        last + 1 < len(head)
        and not head[last + 1].is_blank
        and (is_upper_text(head[last + 1].clean) or head[last + 1].clean.lstrip()[:1].islower())
    ):
        last += 1
    text = " ".join(head[i].clean.strip() for i in range(first, last + 1))
    text = re.sub(r"^(?:v/v|V/v|V/V)\s*[:.]?\s*", "", text)
    directive.title = _sentence_case(text, "")
    directive.sources["title"] = _span(head[first])
    return last


def _read_issuer(head: list[Line], directive: DirectiveProposal) -> None:
    """The capitals at the top before the national motto or the number: 'ỦY BAN NHÂN DÂN / TỈNH CÀ MAU'."""
    parts, first = [], None
    for line in head:
        if line.is_blank:
            if parts:
                break
            continue
        if NATIONAL.match(line.folded) or NUMBER.match(line.folded) or not is_upper_text(line.clean):
            if parts:
                break
            continue
        if any(fold(label) == " ".join(line.folded.split()) for label in LABELS.values()):
            break
        parts.append(line.clean.strip())
        first = first or line
        if len(parts) == 3:
            break
    if parts and "uy ban" in fold(" ".join(parts)) or parts and len(parts) <= 3 and first is not None:
        directive.issuer = _proper(" ".join(parts))
        directive.sources["issuer"] = _span(first)


def _body_start(lines: list[Line], title_at: int) -> int:
    if title_at >= 0:
        return title_at + 1
    index = 0
    for i, line in enumerate(lines[:HEAD_LINES]):
        folded = line.folded
        if (
            line.is_blank
            or NATIONAL.match(folded)
            or NUMBER.match(folded)
            or DATE.search(folded)
            or (is_upper_text(line.clean) and len(line.clean.strip()) < 60)
        ):
            index = i + 1
            continue
        break
    return index


def _addressees(lines: list[Line], directive: DirectiveProposal, body_start: int) -> list[int]:
    """'Kính gửi: - Sở Tài chính; - Kho bạc Nhà nước tỉnh; …': the lines naming who the letter is for."""
    for i in range(body_start, min(len(lines), body_start + HEAD_LINES)):
        if TO_LINE.match(lines[i].folded):
            found = [i] if lines[i].folded[TO_LINE.match(lines[i].folded).end() :].strip() else []
            j = i + 1
            while j < len(lines) and (lines[j].is_blank or re.match(r"^\s*[-–+•]\s", lines[j].clean)):
                if not lines[j].is_blank:
                    found.append(j)
                j += 1
            return found or [i]
    return []


def _body_end(lines: list[Line], body_start: int) -> int:
    for i in range(body_start, len(lines)):
        line = lines[i]
        if END_OF_BODY.match(line.folded):
            return i
        if line.clean.rstrip().endswith("./."):
            return i + 1
    return len(lines)


def _read_signature(lines: list[Line], body_end: int, directive: DirectiveProposal) -> None:
    title_line = None
    for i in range(body_end, len(lines)):
        line = lines[i]
        if SIGNER_TITLE.match(line.folded) and is_upper_text(line.clean) and len(line.clean.strip()) < 60:
            title_line = i
            continue
        if title_line is not None and not line.is_blank and _looks_like_name(line.clean):
            title = lines[title_line].clean.strip()
            title = re.sub(r"^(?:TM|KT|TL|TUQ|Q)\.\s*", "", title)
            directive.signer_title = _title_case(title)
            directive.signer = " ".join(line.clean.split())
            directive.sources["signer_title"] = _span(lines[title_line])
            directive.sources["signer"] = _span(line)
            return


def _title_case(title: str) -> str:
    """'PHÓ CHỦ TỊCH' → 'Phó Chủ tịch', 'GIÁM ĐỐC' → 'Giám đốc'."""
    text = " ".join(title.split()).lower()
    for office in ("chủ tịch", "giám đốc", "chánh văn phòng", "trưởng ban", "bí thư", "cục trưởng"):
        text = text.replace(office, office[:1].upper() + office[1:])
    return text[:1].upper() + text[1:]


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in text) or ":" in text:
        return False
    if is_upper_text(text) and len(words) > 4:
        return False
    return all(w[:1].isupper() for w in words) and not SIGNER_TITLE.match(fold(text))


def _footnotes(lines: list[Line], body_end: int) -> dict[str, list[int]]:
    notes: dict[str, list[int]] = {}
    current = None
    for i in range(body_end, len(lines)):
        line = lines[i]
        if match := FOOTNOTE.match(line.folded):
            current = match[1]
            notes[current] = [i]
        elif current and not line.is_blank and len(line.clean.strip()) > 40:
            notes[current].append(i)
    return notes


def _type_from_symbol(number: str) -> str | None:
    parts = re.split(r"[/-]", fold(number))
    if len(parts) >= 2 and parts[1] in SYMBOL_TYPES:
        return SYMBOL_TYPES[parts[1]]
    if len(parts) >= 2 and parts[1] in ("ubnd", "vp", "ub"):
        return "cong_van"
    return None
