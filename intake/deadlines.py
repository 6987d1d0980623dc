"""Turn a period deadline as the documents write it into the date it ends on.

"trong quý I năm 2023" means by 31/03/2023 (docs/domain.md, "Deadlines"); "6 tháng đầu năm 2023" by 30/06/2023.
"""

import datetime
import re

from core.dates import month_end
from core.text import fold

QUARTERS = {"i": 3, "ii": 6, "iii": 9, "iv": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def period_end(text: str) -> datetime.date | None:
    """The last day of the period named in `text`, or None if no period is recognised."""
    folded = fold(text)
    if match := re.search(r"quy\s+(iv|iii|ii|i|[1-4])\b\D*?(?:nam\s+)?(\d{4})", folded):
        return month_end(int(match[2]), QUARTERS[match[1]])
    if match := re.search(r"(6|9) thang (?:dau )?nam\s+(\d{4})", folded):
        return month_end(int(match[2]), int(match[1]))
    if match := re.search(r"thang\s+(\d{1,2})\s*(?:nam\s+|/)(\d{4})", folded):
        month = int(match[1])
        return month_end(int(match[2]), month) if 1 <= month <= 12 else None
    if match := re.search(r"(?:cuoi|het)\s+nam\s+(\d{4})", folded):
        return datetime.date(int(match[1]), 12, 31)
    return None
