"""Agencies as the texts name them.

The caller passes the agencies (code, name, aliases, kind) as plain data; the gazetteer adds the ways
Vietnamese administrative writing shortens a name and matches them on folded, canonical tokens:

- the connectors "và", "&", "-", "," inside a name are one connector, so "Sở Kế hoạch và Đầu tư",
  "Sở Kế hoạch - Đầu tư" and "Sở Kế hoạch, Đầu tư" are one name;
- the initials of each part give "Sở KH&ĐT", "Sở KH-ĐT", "Sở KHĐT" (and every grouping of the parts:
  "Sở LĐ-TB&XH", "Sở LĐTB&XH", "Sở LĐTBXH");
- the usual abbreviations are one token: "Ủy ban nhân dân" = "UBND", "Văn phòng" = "VP", "Thành phố" = "TP",
  "Ban Quản lý" = "BQL", "Bảo hiểm xã hội" = "BHXH", …;
- "tỉnh <province>" after a name may be left out or added ("Sở Y tế tỉnh Cà Mau" = "Sở Y tế");
- a shared head noun is carried over a list: "các Sở: Tài chính, Nội vụ", "UBND huyện Đầm Dơi, Năm Căn".

Groups are matched by word patterns: "các sở, ban, ngành tỉnh", "UBND các huyện, thành phố", "các chủ đầu tư",
"thủ trưởng các cơ quan, đơn vị", "các cơ quan Trung ương trên địa bàn"; followed by "(có) liên quan" a group
names no one in particular and expands to nobody.
"""

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from .text import fold

TOKEN = re.compile(r"[a-z0-9]+|[&,;:+\-–—]")
CONNECTORS = {"va", "&", ",", "-", "–", "—", "+"}
STOPS = {";", ":"}
# Multi-word forms and their usual abbreviation, compared as one token.
REWRITES = {
    ("uy", "ban", "nhan", "dan"): "ubnd",
    ("hoi", "dong", "nhan", "dan"): "hdnd",
    ("van", "phong"): "vp",
    ("thanh", "pho"): "tp",
    ("thi", "xa"): "tx",
    ("ban", "quan", "ly"): "bql",
    ("bo", "chi", "huy"): "bch",
    ("bo", "ch"): "bch",
    ("quan", "su"): "qs",
    ("bo", "doi", "bien", "phong"): "bdbp",
    ("hop", "tac", "xa"): "htx",
    ("ngan", "hang", "nha", "nuoc"): "nhnn",
    ("bao", "hiem", "xa", "hoi"): "bhxh",
    ("kho", "bac", "nha", "nuoc"): "kbnn",
    ("trung", "tam"): "tt",
    ("khu", "kinh", "te"): "kkt",
}
MAX_REWRITE = max(len(k) for k in REWRITES)
# Names whose words are also common nouns keep "tỉnh": "thanh tra" or "công an" alone is not the agency.
COMMON_HEADS = {"thanh", "cong", "bhxh", "toa", "vien", "cuc", "bdbp"}
LIST_HEADS = [("ubnd", "huyen"), ("ubnd", "tp"), ("ubnd", "tx"), ("so",)]
KINDS_OF_GROUP = {
    "@departments": ("department",),
    "@districts": ("district",),
    "@central": ("central",),
    "@units": ("department", "office", "central", "other"),
    "@investors": (),
}
UB = r"(?:ubnd|uy ban nhan dan)"
B = r"(?<![a-z0-9])"
E = r"(?![a-z0-9])"
DEPARTMENTS = (
    r"(?:cac\s+)?so\s*,\s*ban\s*,?\s*nganh(?:\s*,\s*doan\s+the)?(?:\s+(?:cap\s+)?tinh)?"
    r"|(?:cac\s+)?so\s+ban\s+nganh(?:\s+(?:cap\s+)?tinh)?"
    r"|(?:cac\s+)?so\s*,\s*nganh(?:\s+tinh)?"
    rf"|cac\s+co\s+quan\s+chuyen\s+mon\s+(?:truc\s+)?thuoc\s+{UB}\s+tinh"
)
DISTRICTS = (
    rf"(?:{UB}\s+)?(?:cac\s+)?huyen\s*,\s*(?:thi\s+xa\s*,\s*)?thanh\s+pho(?:\s+PROVINCE)?"
    rf"|{UB}\s+cap\s+huyen"
    rf"|{UB}\s+cac\s+huyen(?:\s*,\s*thi\s+xa)?"
    r"|cac\s+dia\s+phuong"
)
GROUP_PATTERNS = [
    # "các sở, ngành, địa phương": every department and every district.
    (
        ("@departments", "@districts"),
        r"(?:cac\s+)?so\s*,\s*(?:ban\s*,\s*)?nganh\s*(?:,|va)\s*(?:cac\s+)?dia\s+phuong",
    ),
    (("@departments",), DEPARTMENTS),
    (("@districts",), DISTRICTS),
    (("@investors",), r"(?:cac\s+)?chu\s+dau\s+tu"),
    (
        ("@central",),
        r"cac\s+co\s+quan\s+trung\s+uong(?:\s+(?:dong|dat))?(?:\s+tren)?\s+dia\s+ban(?:\s+tinh)?",
    ),
    (("@units",), r"cac\s+co\s+quan\s*,\s*(?:to\s+chuc\s*,\s*)?don\s+vi(?:\s+tren\s+dia\s+ban\s+tinh)?"),
]
RELATED = re.compile(r"\s*(?:co\s+)?lien\s+quan" + E)
QUALIFIERS = re.compile(r"\s+(?:ven\s+bien|ven\s+song|bien\s+gioi|vung\s+\w+|khu\s+vuc\s+\w+|noi\s+co)" + E)
AUTHORITY = re.compile(
    B
    + rf"(?:(?:thuong\s+truc|ban\s+thuong\s+vu)\s+)?(?:(?:pho\s+)?chu\s+tich\s+)?{UB}\s+tinh(?:\s+PROVINCE)?"
    r"|(?:thuong\s+truc\s+)?tinh\s+uy|(?:hdnd|hoi\s+dong\s+nhan\s+dan)\s+tinh"
    r"|(?:thu\s+tuong\s+)?chinh\s+phu|quoc\s+hoi" + E
)


@dataclass
class Mention:
    """Where a line names an agency, a group or the issuing authority; offsets in the line."""

    start: int
    end: int
    kind: str  # "agency", "group", "authority"
    codes: list[str] = field(default_factory=list)
    group: str | None = None

    @property
    def is_assignee(self) -> bool:
        return self.kind != "authority"


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def canonical_tokens(folded: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of folded text with abbreviations merged and connectors unified; offsets kept."""
    raw = [
        Token(m.group(), m.start(), m.end())
        for m in TOKEN.finditer(folded, start, len(folded) if end is None else end)
    ]
    merged: list[Token] = []
    i = 0
    while i < len(raw):
        for n in range(MAX_REWRITE, 1, -1):
            key = tuple(t.text for t in raw[i : i + n])
            if len(key) == n and key in REWRITES:
                merged.append(Token(REWRITES[key], raw[i].start, raw[i + n - 1].end))
                i += n
                break
        else:
            token = raw[i]
            merged.append(Token("+", token.start, token.end) if token.text in CONNECTORS else token)
            i += 1
    return merged


def _words(name: str) -> list[str]:
    return [t.text for t in canonical_tokens(fold(name))]


def _parts(body: list[str]) -> list[list[str]]:
    parts, current = [], []
    for word in body:
        if word == "+":
            if current:
                parts.append(current)
            current = []
        else:
            current.append(word)
    if current:
        parts.append(current)
    return parts


def _initials(part: list[str]) -> list[list[str]]:
    """'giao thong van tai' → ['gtvt'] and ['gt', 'vt'] (a four-word part is often written as two pairs)."""
    whole = "".join(w[0] for w in part)
    forms = [[whole]]
    if len(part) == 4:
        forms.append(["".join(w[0] for w in part[:2]), "".join(w[0] for w in part[2:])])
    return forms


def abbreviations(words: list[str]) -> list[list[str]]:
    """Short forms of a name given as canonical tokens: initials of its parts, each way of grouping them."""
    head_len = 1 if words[:1] in (["so"], ["ban"]) else 0
    if not head_len or len(words) < 3:
        return []
    head, parts = words[:head_len], _parts(words[head_len:])
    if any(len(p) > 5 for p in parts):
        return []
    forms = []
    for choice in itertools.product(*(_initials(p) for p in parts)):
        pieces = [piece for form in choice for piece in form]
        for joins in itertools.product((True, False), repeat=len(pieces) - 1):
            out, current = [], pieces[0]
            for joined, piece in zip(joins, pieces[1:], strict=True):
                if joined:
                    current += piece
                else:
                    out.extend([current, "+"])
                    current = piece
            out.append(current)
            forms.append(head + out)
    if head == ["so"]:
        forms.append(["s" + "".join(pieces_all(parts))])
    return forms


def pieces_all(parts: list[list[str]]) -> list[str]:
    return ["".join(w[0] for w in p) for p in parts]


@dataclass
class Agency:
    code: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)


class Gazetteer:
    """Agencies, their generated aliases, and the groups; built once per list of agencies."""

    def __init__(self, agencies: list[dict], province: str = ""):
        self.agencies = [
            Agency(a["code"], a["name"], a.get("kind", "other"), list(a.get("aliases") or []))
            for a in agencies
        ]
        self.by_code = {a.code: a for a in self.agencies}
        self.province = province or _guess_province(self.agencies)
        self.province_words = _words(self.province) if self.province else []
        self._trie: dict = {}
        self._build()
        province_re = r"\s+".join(fold(self.province).split()) if self.province else "(?!)"
        self._groups = [
            (tokens, re.compile(B + "(?:" + pattern.replace("PROVINCE", province_re) + ")" + E))
            for tokens, pattern in GROUP_PATTERNS
        ]
        self._authority = re.compile(AUTHORITY.pattern.replace("PROVINCE", province_re))

    # Building ---------------------------------------------------------------------------------------------

    def _variants(self, agency: Agency) -> tuple[list[list[str]], list[list[str]]]:
        """(given forms, generated forms) as canonical token lists."""
        given = [_words(n) for n in [agency.name, *agency.aliases] if n.strip()]
        generated = []
        for words in given:
            generated.extend(self._without_province(words))
        for words in list(given) + list(generated):
            generated.extend(abbreviations(words))
            if words[:2] in (["ubnd", "huyen"], ["ubnd", "tp"], ["ubnd", "tx"]) and len(words) > 2:
                generated.append(words[1:])
        return given, generated

    def _without_province(self, words: list[str]) -> list[list[str]]:
        """'Sở Y tế tỉnh Cà Mau' → 'Sở Y tế tỉnh', 'Sở Y tế'; a common-noun name keeps 'tỉnh'."""
        out = []
        n = len(self.province_words)
        if n and words[-n:] == self.province_words and len(words) > n + 1 and words[-n - 1] == "tinh":
            words = words[:-n]
            out.append(words)
        if words[-1:] == ["tinh"] and len(words) > 2 and words[0] not in COMMON_HEADS:
            out.append(words[:-1])
        return out

    def _build(self) -> None:
        owners: dict[tuple, set[str]] = defaultdict(set)
        given_owner: dict[tuple, set[str]] = defaultdict(set)
        for agency in self.agencies:
            given, generated = self._variants(agency)
            for words in given:
                given_owner[tuple(words)].add(agency.code)
            for words in given + generated:
                owners[tuple(words)].add(agency.code)
        for key, codes in owners.items():
            if len(codes) > 1:
                codes = given_owner.get(key, set())  # an ambiguous short form counts only where it was given
            if len(codes) == 1 and key:
                node = self._trie
                for word in key:
                    node = node.setdefault(word, {})
                node[None] = next(iter(codes))

    # Matching ---------------------------------------------------------------------------------------------

    def _walk(self, tokens: list[Token], i: int, node: dict) -> tuple[int, str | None]:
        """Longest alias from tokens[i] starting at trie node: (index after it, code)."""
        best = (i, node.get(None))
        j = i
        while j < len(tokens) and tokens[j].text in node:
            node = node[tokens[j].text]
            j += 1
            if None in node:
                best = (j, node[None])
        return best

    def _tail(self, tokens: list[Token], j: int) -> int:
        """Skip a trailing 'tỉnh', 'tỉnh <province>' or '<province>' after a name."""
        n = len(self.province_words)
        if j < len(tokens) and tokens[j].text == "tinh":
            j += 1
        if n and [t.text for t in tokens[j : j + n]] == self.province_words:
            j += n
        return j

    def _heads(self, tokens: list[Token], i: int) -> tuple[str, ...] | None:
        for head in LIST_HEADS:
            if tuple(t.text for t in tokens[i : i + len(head)]) == head:
                return head
        return None

    def agency_mentions(self, folded: str, start: int = 0, end: int | None = None) -> list[Mention]:
        tokens = canonical_tokens(folded, start, end)
        mentions: list[Mention] = []
        carry: tuple[str, ...] | None = None  # the head noun a list shares ("Sở", "UBND huyện")
        i = 0
        while i < len(tokens):
            j, code = self._walk(tokens, i, self._trie)
            if code is None and carry:
                node = self._trie
                for word in carry:
                    node = node.get(word, {})
                j, code = self._walk(tokens, i, node)
            if code is not None and j > i:
                carry = self._heads(tokens, i) or carry
                j = self._tail(tokens, j)
                stop = tokens[j - 1].end
                if folded[stop : stop + 1] == ")" and "(" in folded[tokens[i].start : stop]:
                    stop += 1  # "… doanh nghiệp (iPEC)"
                mentions.append(Mention(tokens[i].start, stop, "agency", [code]))
                i = j
                continue
            if bare := self._bare_head(tokens, i):
                carry, i = bare
                continue
            if tokens[i].text not in ("+", "cac"):
                carry = None
            i += 1
        return mentions

    def _bare_head(self, tokens: list[Token], i: int) -> tuple[tuple[str, ...], int] | None:
        """'các Sở:' or 'UBND các huyện:' followed by names without their head."""
        words = [t.text for t in tokens[i : i + 4]]
        for head in LIST_HEADS:
            plain = list(head)
            plural = [head[0], "cac", *head[1:]] if len(head) > 1 else ["cac", *head]
            for form in (plural, plain):
                if words[: len(form)] == form and words[len(form) : len(form) + 1] == [":"]:
                    return head, i + len(form) + 1
        return None

    def group_mentions(self, folded: str, start: int = 0, end: int | None = None) -> list[Mention]:
        end = len(folded) if end is None else end
        found = []
        for tokens, pattern in self._groups:
            for match in pattern.finditer(folded, start, end):
                stop = match.end()
                if folded[stop : stop + 1] == ":" and match.group().endswith("huyen"):
                    continue  # "UBND các huyện: Đầm Dơi, …" names its members
                related = RELATED.match(folded, stop, end) or QUALIFIERS.match(folded, stop, end)
                if related:
                    found.append(Mention(match.start(), related.end(), "group", [], None))
                else:
                    found.append(Mention(match.start(), stop, "group", self.expand(tokens), "+".join(tokens)))
        for match in self._authority.finditer(folded, start, end):
            found.append(Mention(match.start(), match.end(), "authority"))
        return found

    def mentions(self, folded: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Agencies, groups and the authority named in folded[start:end], left to right, without overlaps
        (the longer one wins: "UBND các huyện, thành phố Cà Mau" is the districts, not the city)."""
        candidates = self.group_mentions(folded, start, end) + self.agency_mentions(folded, start, end)
        candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
        chosen: list[Mention] = []
        for mention in candidates:
            if chosen and mention.start < chosen[-1].end:
                if (
                    mention.end - mention.start > chosen[-1].end - chosen[-1].start
                    and mention.kind != "authority"
                ):
                    chosen[-1] = mention
                continue
            chosen.append(mention)
        return chosen

    def expand(self, tokens: tuple[str, ...]) -> list[str]:
        codes: list[str] = []
        for token in tokens:
            kinds = KINDS_OF_GROUP.get(token, ())
            codes.extend(a.code for a in self.agencies if a.kind in kinds and a.code not in codes)
        return codes


def _guess_province(agencies: list[Agency]) -> str:
    """The province most names end with ("Công an tỉnh Cà Mau" → "Cà Mau"), or ""."""
    counts: dict[str, int] = defaultdict(int)
    for agency in agencies:
        for name in [agency.name, *agency.aliases]:
            _, found, rest = name.rpartition("tỉnh ")
            words = rest.split()
            if found and words and all(w[0].isupper() for w in words) and len(words) <= 3:
                counts[rest] += 1
    return max(counts, key=counts.get) if counts else ""
