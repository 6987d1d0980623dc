"""Text helpers that keep offsets: every rule runs on a folded copy of a line with the same length, so a match
in the folded copy is a span of the line the clerk sees.

Folding lower-cases and strips Vietnamese diacritics ("Kế hoạch và Đầu tư" → "ke hoach va dau tu"); "đ" has no
decomposition and is mapped by hand. The copy in `directives/text.py` also collapses spaces, which would move
offsets, so the parser keeps its own.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Markdown left by some captures ("**Thứ nhất**", "#### **Về việc …**") is blanked, not removed, so offsets stay.
MARKUP = re.compile(r"\*\*|__|^#{1,6}(?=\s)|^\s*>")
# Word Ellipsis and non-breaking spaces are written the plain way before anything else.
PLAIN = str.maketrans({"\u00a0": " ", "\u2026": "…", "\u200b": " ", "\ufeff": " ", "\t": " "})


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """One character → one folded character (same length, so offsets are kept)."""
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    if len(base) != 1:
        return ch.lower()[:1] or " "
    return base.lower()


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one character."""
    return "".join(fold_char(ch) for ch in text)


def normalize_line(line: str) -> str:
    """Composed Unicode (NFC) with plain spaces; a PDF or DOCX may carry decomposed marks."""
    return unicodedata.normalize("NFC", line.translate(PLAIN)).rstrip()


def blank_markup(line: str) -> str:
    """The line with Markdown emphasis and heading marks replaced by spaces (same length)."""
    return MARKUP.sub(lambda m: " " * len(m.group()), line)


@dataclass(frozen=True)
class Line:
    """One line of the document: 1-based number, text as shown, and the folded copy used by the rules."""

    number: int
    text: str
    clean: str
    folded: str

    @classmethod
    def make(cls, number: int, text: str) -> "Line":
        clean = blank_markup(text)
        return cls(number, text, clean, fold(clean))

    @property
    def is_blank(self) -> bool:
        return not self.clean.strip()

    def indent(self) -> int:
        return len(self.clean) - len(self.clean.lstrip())


def split_lines(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [Line.make(number, normalize_line(raw)) for number, raw in enumerate(text.split("\n"), start=1)]


# A sentence ends at ". ", "! ", "? " or "… " before a capital letter or an opening quote, except after the
# short forms that take a dot ("TP. Cà Mau", "TX. Giá Rai", "ThS. …").
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
ABBREVIATIONS = {
    "tp",
    "tx",
    "tt",
    "h",
    "ths",
    "ts",
    "pgs",
    "gs",
    "bs",
    "ks",
    "q",
    "p",
    "x",
    "ông",
    "bà",
    "v/v",
}


def sentence_bounds(text: str, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:], ends exclusive, surrounding spaces trimmed."""
    bounds, begin = [], start
    for match in SENTENCE_END.finditer(text, start):
        following = text[match.end() : match.end() + 2].lstrip('"“(')
        if not following or not (following[0].isupper() or following[0].isdigit()):
            continue
        before = text[begin : match.start()].rstrip(".!?… ")
        last_word = before.rsplit(" ", 1)[-1].lower() if before else ""
        if last_word in ABBREVIATIONS or re.fullmatch(r"\d{1,2}", last_word):
            continue
        bounds.append((begin, match.start()))
        begin = match.end()
    if begin < len(text.rstrip()):
        bounds.append((begin, len(text.rstrip())))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def is_upper_text(text: str) -> bool:
    """A title line in capitals ("CHƯƠNG TRÌNH HÀNH ĐỘNG"): letters present, none lower case."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and not any(ch.islower() for ch in letters)
