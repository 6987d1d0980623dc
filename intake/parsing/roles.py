"""Who leads and who supports, from the ways Vietnamese directives say it.

- "X chủ trì, phối hợp với Y …", "X, Z theo chức năng, nhiệm vụ phối hợp với Y …": X (and Z) lead, Y supports;
- "Giao X …", "Yêu cầu X …", "Đề nghị X …" (also after "UBND tỉnh" or a clause: "Căn cứ …, yêu cầu X …");
- "X có trách nhiệm …", "X chịu trách nhiệm …", or a list of subjects "Sở Y tế, Sở Xây dựng, … đôn đốc …";
- a block header "X, Y, các chủ đầu tư, UBND các huyện:" names its subjects up to the colon, known or not;
- "Các cơ quan, đơn vị … gồm: A, B, C tăng cường …": the list after "gồm" is the subject;
- "X chủ trì, Y phối hợp", "với sự phối hợp của Y": Y supports;
- objects of other verbs ("chỉ đạo", "đôn đốc", "hướng dẫn", "gửi", "báo cáo") are neither;
- "theo chức năng, nhiệm vụ" and titles ("Thủ trưởng", "Giám đốc", "Chủ tịch") are not part of a name;
- the issuing authority (UBND tỉnh, Chủ tịch UBND tỉnh) is never an assignee.
"""

import re
from dataclasses import dataclass, field

from .gazetteer import Mention
from .lexicon import (
    CLOSING,
    DISCOURSE,
    EXECUTION,
    INTRODUCER,
    ORG_HEAD,
    PREDICATE,
    STRONG_PREDICATE,
    TITLES,
)

# Between two names: a comma, "và", "cùng" (a bare space is not a separator: "Báo cáo … về Sở X").
SEPARATOR = re.compile(r"\s*(?:[,;]\s*(?:(?:va|cung)(?![a-z0-9])\s*)?|(?:va|cung)(?![a-z0-9])\s*)")
LIST_GAP = re.compile(r"(?:cac\s+)?(?:so|(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+(?:cac\s+)?huyen)?\s*:?\s*")
APPOSITION = re.compile(r"[^.:;]{0,200}?(?<![a-z])(?:bao\s+)?gom(?:\s+co)?\s*:\s*")
SUPPORT_CUES = re.compile(
    r"(?<![a-z])(?:phoi\s+hop(?:\s+chat\s+che)?\s+(?:voi|cung)|voi\s+su\s+phoi\s+hop\s+cua)\s+"
)
CO_LEAD_SUPPORT = re.compile(r"\s*chu\s+tri\s*,\s*")
THEN_SUPPORTS = re.compile(r"\s*(?:cung\s+)?phoi\s+hop(?!\s+(?:voi|cung|chat))")


@dataclass
class Item:
    """One name in a list of who: a mention the gazetteer knows, or a phrase it does not."""

    start: int
    end: int
    mention: Mention | None = None


@dataclass
class Roles:
    leads: list[Item] = field(default_factory=list)
    supports: list[Item] = field(default_factory=list)
    authority: bool = False  # the subject is the issuer itself ("UBND tỉnh xác định …")
    execution: bool = False  # "… chịu trách nhiệm thi hành Chỉ thị này"
    introduced: bool = False  # "Giao X …", "Yêu cầu X …"
    body_start: int = 0  # where the duty itself starts, after the subject and its role words


class RoleReader:
    def __init__(self, folded: str, mentions: list[Mention]):
        self.folded = folded
        self.mentions = {m.start: m for m in mentions}
        self.starts = sorted(self.mentions)

    def mention_near(self, pos: int, end: int) -> Mention | None:
        """A mention at pos, or after a shared head ('các Sở: Tài chính')."""
        if pos in self.mentions:
            return self.mentions[pos]
        gap = LIST_GAP.match(self.folded, pos, end)
        if gap and gap.end() > pos and gap.end() in self.mentions:
            return self.mentions[gap.end()]
        return None

    def org_phrase(self, pos: int, end: int) -> int | None:
        """End of an organisation's name the gazetteer lacks, starting at pos, or None."""
        head = ORG_HEAD.match(self.folded, pos, end)
        if not head:
            return None
        q = base = head.end()
        for word in re.finditer(r"[^\s,;:.()]+|[,;:.()]", self.folded[base:end]):
            at = base + word.start()
            text = word.group()
            if text in ",;:.()" or text in ("va",) or at in self.mentions:
                break
            if PREDICATE.match(self.folded, at, end) and not self._inside_name(at):
                break
            q = at + len(text)
        return q if q > head.end() or head.group().strip() not in ("so", "ban", "bo", "nganh") else None

    def _inside_name(self, at: int) -> bool:
        return self.folded.startswith("quan ly", at) and self.folded[:at].rstrip().endswith(("co quan", "so"))

    def item_at(self, pos: int, end: int) -> tuple[Item | None, bool]:
        """(item, is_authority) at pos, after any title."""
        while title := TITLES.match(self.folded, pos, end):
            if title.end() == pos:
                break
            pos = title.end()
        mention = self.mention_near(pos, end)
        if mention:
            if not mention.is_assignee:
                return None, True
            return Item(mention.start if mention.start >= pos else pos, mention.end, mention), False
        stop = self.org_phrase(pos, end)
        return (Item(pos, stop), False) if stop else (None, False)

    def read_list(self, pos: int, end: int) -> tuple[list[Item], int, bool]:
        """Names separated by commas and "và" from pos: (items, position after them, authority first)."""
        items: list[Item] = []
        while pos < end:
            start = pos + len(self.folded[pos:end]) - len(self.folded[pos:end].lstrip())
            item, authority = self.item_at(start, end)
            if authority and not items:
                return [], pos, True
            if item is None:
                break
            items.append(item)
            pos = item.end
            sep = SEPARATOR.match(self.folded, pos, end)
            if not sep or sep.end() == pos:
                break
            nxt, _ = self.item_at(sep.end(), end)
            if nxt is None:
                break
            pos = sep.end()
        return items, pos, False

    def header_list(self, pos: int, end: int) -> list[Item] | None:
        """A block header 'A, B, các chủ đầu tư, UBND các huyện:': every name up to the colon, known or not."""
        colon = self.folded.find(":", pos, end)
        if (
            colon < 0
            or self.folded[colon + 1 : end].strip()
            or STRONG_PREDICATE.search(self.folded, pos, colon)
        ):
            return None
        items: list[Item] = []
        while pos < colon:
            pos += len(self.folded[pos:colon]) - len(self.folded[pos:colon].lstrip())
            if pos >= colon:
                break
            item, authority = self.item_at(pos, colon)
            if authority:
                return None
            if item is None or not item.mention:
                if item is None and not items:
                    return None
                comma = re.search(r"[,;]|(?<![a-z])va(?![a-z])", self.folded[pos:colon])
                stop = pos + comma.start() if comma else colon
                item = Item(pos, len(self.folded[:stop].rstrip()))
            items.append(item)
            sep = SEPARATOR.match(self.folded, item.end, colon)
            pos = sep.end() if sep and sep.end() > item.end else item.end + 1
        return items or None


def read_roles(folded: str, mentions: list[Mention], start: int, end: int) -> Roles:
    """The roles one sentence (folded[start:end]) gives."""
    reader = RoleReader(folded, mentions)
    roles = Roles(body_start=start)
    roles.execution = bool(EXECUTION.search(folded, start, end) or CLOSING.match(folded, start, end))
    pos = start
    if opener := DISCOURSE.match(folded, pos, end):
        pos = opener.end()
    leads, after, authority, introduced = _subject(reader, pos, end)
    roles.authority = authority and not leads
    roles.introduced = introduced
    if leads:
        if apposition := APPOSITION.match(folded, after, end):
            listed, after_list, _ = reader.read_list(apposition.end(), end)
            if any(item.mention for item in listed):
                leads, after = listed, after_list
        roles.leads = leads
        roles.body_start = after
        if co := CO_LEAD_SUPPORT.match(folded, after, end):
            helpers, after_helpers, _ = reader.read_list(co.end(), end)
            if helpers and THEN_SUPPORTS.match(folded, after_helpers, end):
                roles.supports.extend(helpers)
    for cue in SUPPORT_CUES.finditer(folded, start, end):
        helpers, _, _ = reader.read_list(cue.end(), end)
        near = cue.start() <= pos + 1 or (leads and cue.start() <= roles.body_start + 12)
        # Right after the subject ("X chủ trì, phối hợp với …") or opening the sentence, a phrase the gazetteer
        # lacks is kept; further on only known names count ("phối hợp với các công ty du lịch" names none).
        roles.supports.extend(item for item in helpers if near or item.mention)
    return roles


def _subject(reader: RoleReader, pos: int, end: int) -> tuple[list[Item], int, bool, bool]:
    """(leads, position after them, the issuer is the subject, introduced by Giao/Yêu cầu/Đề nghị)."""
    folded = reader.folded
    header = reader.header_list(pos, end)
    if header:
        return header, end, False, False
    intro = INTRODUCER.match(folded, pos, end)
    if intro:
        items, after, authority = reader.read_list(intro.end(), end)
        if items:
            return items, after, False, True
    items, after, authority = reader.read_list(pos, end)
    if authority:
        # "UBND tỉnh giao/yêu cầu X …" or "Căn cứ …, UBND tỉnh yêu cầu X …": look for the introducer after it.
        return _introduced_later(reader, pos, end) or ([], pos, True, False)
    if items and _confirmed(reader, items, after, end):
        return items, after, False, False
    return _introduced_later(reader, pos, end) or ([], pos, False, False)


def _confirmed(reader: RoleReader, items: list[Item], after: int, end: int) -> bool:
    """A known agency or group may start any duty; a phrase the gazetteer lacks needs a role word after it."""
    if any(item.mention for item in items):
        return True
    return bool(
        STRONG_PREDICATE.match(reader.folded, after, end)
        or re.match(r"\s+\S", reader.folded[after:end])
        and STRONG_PREDICATE.match(reader.folded, after + 1, end)
    )


def _introduced_later(reader: RoleReader, pos: int, end: int):
    for intro in re.finditer(
        r"(?:^|(?<=[\s,]))(?:giao\s+cho|giao|yeu\s+cau|de\s+nghi)(?![a-z0-9])\s*:?\s*", reader.folded[pos:end]
    ):
        before = reader.folded[max(0, pos + intro.start() - 5) : pos + intro.start()]
        if "duoc" in before:
            continue
        items, after, authority = reader.read_list(pos + intro.end(), end)
        if items and any(item.mention for item in items):
            return items, after, False, True
    return None
