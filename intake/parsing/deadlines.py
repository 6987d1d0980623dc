"""Deadlines as Vietnamese directives write them.

- a date after a deadline word: "trước ngày 30/9/2023", "chậm nhất ngày 15/01/2024", "trước 14 giờ ngày
  05/12/2017" (→ the date); the date of a cited document ("Kế hoạch số 206/KH-UBND ngày 04/11/2022") has no
  deadline word before it and is never one;
- a period: "trong quý I/2023", "quý II năm 2024", "6 tháng đầu năm", "trong tháng 3/2023", "trong năm 2023",
  "(đến) cuối năm 2023", "đến hết năm 2023" (→ the period's last day; without a year, the document's year);
- a recurrence: "hằng tháng", "hàng quý", "định kỳ hằng năm", "định kỳ 6 tháng", "họp giao ban tháng",
  "báo cáo quý", "trước ngày 20 hằng tháng";
- not deadlines: "thường xuyên", "định kỳ" without a period, event-relative phrases ("trong dịp Tết", "khi
  có yêu cầu"), a start ("ngay từ đầu năm 2023") and a horizon of several years ("đến năm 2025", which is a
  target's date, see targets.py).
"""

import calendar
import datetime
import re

from .model import Deadline, Span
from .text import Line

QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
DATE_CUE = (
    r"(?:truoc|cham\s+nhat|muon\s+nhat|han\s+chot|han\s+cuoi|khong\s+qua|den|xong|hoan\s+thanh|trong)"
    r"\s+(?:(?:luc\s+)?\d{1,2}\s*(?:gio|h)(?:\s*\d{1,2})?(?:\s*phut)?\s*,?\s*)?(?:(?:la|vao)\s+)?(?:ngay\s+)?"
)
DATE = re.compile(
    r"(?<![a-z0-9])"
    + DATE_CUE
    + r"(?:(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})|(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4}))"
)
YEAR = r"(?:\s*(?:/|nam)\s*(\d{4}))?"
QUARTER = re.compile(
    r"(?<![a-z])(trong|truoc|den\s+het|den\s+cuoi|het|cuoi)\s+quy\s+(iv|iii|ii|i|[1-4])(?![a-z0-9])" + YEAR
)
HALF = re.compile(r"(?<![a-z0-9])(6|9)\s+thang\s+(dau|cuoi)\s+nam(?:\s+(\d{4}))?")
MONTH = re.compile(r"(?<![a-z])(?:trong|truoc\s+het|den\s+het|den\s+cuoi|cuoi)\s+thang\s+(\d{1,2})" + YEAR)
YEAR_END = re.compile(
    r"(?<![a-z])(?:trong|den\s+het|den\s+cuoi|cuoi|het|truoc\s+het|truoc\s+cuoi)\s+nam\s+(?:(\d{4})|nay(?![a-z]))"
)
START_WORDS = re.compile(r"(?:tu|ngay\s+tu|bat\s+dau\s+tu)\s+$")
RECURRENCE_WORDS = {"tuan": "weekly", "thang": "monthly", "quy": "quarterly", "nam": "yearly"}
RECURRENCE = re.compile(
    r"(?<![a-z])(?:(?:dinh\s+ky\s+)?(?:hang|moi)\s+(tuan|thang|quy|nam)"
    r"|dinh\s+ky\s+(6\s+thang|tuan|thang|quy|nam)|(6)\s+thang\s+(?:mot|1)\s+lan"
    r"|(?:hop\s+giao\s+ban|giao\s+ban|bao\s+cao|so\s+ket)\s+(tuan|thang|quy|6\s+thang)(?!\s*(?:\d|dau|cuoi|nay|toi|qua)))"
    r"(?![a-z0-9])"
)
PER_UNIT = re.compile(r"/\s*(nam|thang|quy)(?![a-z])")
# "kế hoạch đầu tư công trung hạn và hằng năm", "dự toán ngân sách hằng năm": an adjective, not a recurrence.
ADJECTIVAL = re.compile(r"(?:(?:trung|dai|ngan)\s+han\s*(?:va|,)?|ngan\s+sach|du\s+toan|von|kinh\s+phi)\s+$")


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


class DeadlineFinder:
    def __init__(self, year: int | None):
        self.year = year

    def find(self, segments: list[tuple[Line, int, int]]) -> Deadline:
        """The deadline of a task whose text is the given (line, start, end) segments."""
        dated = period = recurring = None
        for line, start, end in segments:
            folded = line.folded
            dated = dated or self._date(line, folded, start, end)
            period = period or self._period(line, folded, start, end)
            recurring = recurring or self._recurrence(line, folded, start, end)
        deadline = dated or period or Deadline()
        if recurring:
            deadline.recurrence, deadline.recurrence_source, phrase = recurring
            if deadline.kind == "none":
                deadline.kind, deadline.phrase, deadline.source = (
                    "recurring",
                    phrase,
                    deadline.recurrence_source,
                )
        return deadline

    def _date(self, line: Line, folded: str, start: int, end: int) -> Deadline | None:
        for match in DATE.finditer(folded, start, end):
            day, month, year = (match[1], match[2], match[3]) if match[1] else (match[4], match[5], match[6])
            if re.search(r"(?:hang|moi)\s+thang", folded[match.end() : match.end() + 12]):
                continue
            try:
                value = datetime.date(int(year), int(month), int(day))
            except ValueError:
                continue
            span = Span(line.number, match.start(), match.end())
            return Deadline("date", value, line.clean[match.start() : match.end()], source=span)
        return None

    def _period(self, line: Line, folded: str, start: int, end: int) -> Deadline | None:
        found = []
        for match in QUARTER.finditer(folded, start, end):
            year = int(match[3]) if match[3] else self.year
            quarter = QUARTERS[match[2]] - (1 if match[1] == "truoc" else 0)
            if year and quarter >= 1:
                found.append((match, _month_end(year, quarter * 3)))
            elif year is None:
                found.append((match, None))
        for match in HALF.finditer(folded, start, end):
            year = int(match[3]) if match[3] else self.year
            month = 12 if match[2] == "cuoi" else int(match[1])
            found.append((match, _month_end(year, month) if year else None))
        for match in MONTH.finditer(folded, start, end):
            year = int(match[2]) if match[2] else self.year
            month = int(match[1])
            if 1 <= month <= 12:
                found.append((match, _month_end(year, month) if year else None))
        for match in YEAR_END.finditer(folded, start, end):
            year = int(match[1]) if match[1] else self.year
            found.append((match, datetime.date(year, 12, 31) if year else None))
        found = [
            (m, d) for m, d in found if not START_WORDS.search(folded[max(0, m.start() - 12) : m.start()])
        ]
        if not found:
            return None
        match, value = min(found, key=lambda item: item[0].start())
        span = Span(line.number, match.start(), match.end())
        return Deadline("period", value, line.clean[match.start() : match.end()], source=span)

    def _recurrence(self, line: Line, folded: str, start: int, end: int):
        for match in RECURRENCE.finditer(folded, start, end):
            if ADJECTIVAL.search(folded[max(0, match.start() - 25) : match.start()]):
                continue
            if re.match(r"\s+la(?![a-z])", folded[match.end() : match.end() + 4]):
                continue  # "Kết quả … hằng năm là cơ sở …": a noun's modifier
            unit = next(g for g in match.groups() if g)
            recurrence = "half_yearly" if unit.startswith("6") else RECURRENCE_WORDS[unit]
            span = Span(line.number, match.start(), match.end())
            return recurrence, span, line.clean[match.start() : match.end()]
        for match in PER_UNIT.finditer(folded, start, end):
            if re.search(r"\d[^,;.]{0,30}$", folded[max(0, match.start() - 30) : match.start()]):
                span = Span(line.number, match.start(), match.end())
                return RECURRENCE_WORDS[match[1]], span, line.clean[match.start() : match.end()]
        return None


HORIZON = re.compile(r"(?<![a-z])den\s+(?:het\s+|cuoi\s+)?nam\s+(\d{4})|(?<![a-z])cuoi\s+nam\s+(\d{4})")


def horizon(folded: str, start: int, end: int) -> tuple[re.Match, datetime.date] | None:
    """'đến năm 2025', '(đến) cuối năm 2023': the date a target is to be reached by."""
    match = HORIZON.search(folded, start, end)
    if match:
        return match, datetime.date(int(match[1] or match[2]), 12, 31)
    return None
