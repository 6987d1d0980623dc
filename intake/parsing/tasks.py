"""From the body's paragraphs to clauses and tasks.

Numbering ("A.", "I.", "1.", "1.1.", "a)", "Điều 1.", "Thứ nhất,", "-", "+") gives the clause path; the kinds
nest in the order the document first uses them. Then, paragraph by paragraph:

- a paragraph ending with ":" is a block header: its subject (if any) leads the items under it, and each item
  (bullet, letter, plain paragraph) is one task, even without a verb or a subject of its own;
- a paragraph with a subject of its own is a task for that subject; a later sentence with another subject
  ("… Giao Sở Kế hoạch và Đầu tư tham mưu …") starts a task of its own; a sentence without a subject
  ("Đồng thời, …") keeps the subject before it;
- a numbered paragraph without a subject is a task of the addressees in force (the block header above it,
  the "Kính gửi" of a letter, or the execution clause "… chịu trách nhiệm thi hành Chỉ thị này") when it
  starts with a verb; once something with its own subject or numbering is found under it, it was a heading;
- a paragraph starting in lower case continues the one before (a capture broken over lines);
- what the issuer itself sets out ("Ủy ban nhân dân tỉnh xác định 05 nhóm nhiệm vụ trọng tâm …:") are
  priorities, not tasks; the execution clause is boilerplate, not a task.
"""

import contextlib
import datetime
import re
from dataclasses import dataclass, field

from .deadlines import DeadlineFinder
from .gazetteer import Gazetteer
from .header import Layout
from .lexicon import DISCOURSE, VERB
from .model import AgencyRef, Deadline, Group, Milestone, Span, Target, TaskProposal
from .roles import Item, Roles, read_roles
from .targets import find_targets
from .text import Line, sentence_bounds

ORDINALS = {
    "nhat": "1",
    "hai": "2",
    "ba": "3",
    "tu": "4",
    "nam": "5",
    "sau": "6",
    "bay": "7",
    "tam": "8",
    "chin": "9",
    "muoi": "10",
}
MARKERS = [
    ("article", re.compile(r"^\s*(?:Điều|ĐIỀU)\s+(\d+)\s*[.:]?\s+")),
    ("roman", re.compile(r"^\s*([IVX]{1,5})[.)]\s+")),
    ("upper", re.compile(r"^\s*([A-ZĐ])[.)]\s+")),
    ("dec", re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+")),
    ("dec", re.compile(r"^\s*(\d{1,2})[.)]\s+")),
    ("lower", re.compile(r"^\s*([a-zđ])[).]\s+")),
    ("bullet", re.compile(r"^\s*[-–—•*]\s+")),
    ("bullet2", re.compile(r"^\s*\+\s+")),
]
ORDINAL = re.compile(r"^\s*thu\s+(nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi)\s*[,:]\s*")
PRIORITY_SENTENCE = re.compile(
    r"(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+tinh\s+xac\s+dinh|(?<![a-z])xac\s+dinh\s+\d+\s+"
)
TARGET_ONLY = re.compile(r"\s*phan\s+dau(?![a-z])")
FOOTNOTE_REF = re.compile(r"\((\d{1,2})\)")


@dataclass
class Marker:
    kind: str
    label: str
    end: int


@dataclass
class Frame:
    kind: str
    label: str
    line: Line
    text_start: int
    numbered: bool
    is_header: bool = False
    leads: list[AgencyRef] | None = None
    supports: list[AgencyRef] = field(default_factory=list)
    priority: bool = False
    tasks: list[TaskProposal] = field(default_factory=list)
    children: int = 0


def detect_marker(line: Line) -> Marker | None:
    if match := ORDINAL.match(line.folded):
        return Marker("ordinal", ORDINALS[match[1]], match.end())
    for kind, pattern in MARKERS:
        if match := pattern.match(line.clean):
            if kind == "dec":
                kind = f"dec{match[1].count('.') + 1}"
            label = match[1] if match.groups() else ""
            return Marker(kind, label, match.end())
    return None


def _ref(line: Line, item: Item) -> AgencyRef:
    phrase = line.clean[item.start : item.end].strip(" ,;:")
    start = line.clean.find(phrase, item.start) if phrase else item.start
    mention = item.mention
    return AgencyRef(
        phrase=phrase,
        agencies=list(mention.codes) if mention else [],
        source=Span(line.number, start, start + len(phrase)),
        group=mention.group if mention else None,
    )


class Assembler:
    def __init__(self, lines: list[Line], layout: Layout, gazetteer: Gazetteer):
        self.lines = lines
        self.layout = layout
        self.gazetteer = gazetteer
        self.frames: list[Frame] = []
        self.tasks: list[TaskProposal] = []
        self.priorities: list[Group] = []
        self.segments: dict[int, list[tuple[int, int, int]]] = {}  # id(task) → (line index, start, end)
        self.open_task: TaskProposal | None = None
        self.default_leads: list[AgencyRef] | None = None
        self.index = {line.number: i for i, line in enumerate(lines)}

    # Entry point ------------------------------------------------------------------------------------------

    def run(self) -> list[TaskProposal]:
        self.default_leads = self._addressees() or self._execution_subjects()
        for i in range(self.layout.body_start, self.layout.body_end):
            if not self.lines[i].is_blank:
                self._paragraph(i)
        return self.tasks

    def _addressees(self) -> list[AgencyRef] | None:
        refs = []
        for i in self.layout.addressees:
            line = self.lines[i]
            for mention in self.gazetteer.mentions(line.folded):
                if mention.is_assignee and mention.codes:
                    refs.append(_ref(line, Item(mention.start, mention.end, mention)))
        return refs or None

    def _execution_subjects(self) -> list[AgencyRef] | None:
        for i in range(self.layout.body_start, self.layout.body_end):
            line = self.lines[i]
            if line.is_blank or "thi hanh" not in line.folded and "to chuc thuc hien" not in line.folded:
                continue
            marker = detect_marker(line)
            start = marker.end if marker else 0
            mentions = self.gazetteer.mentions(line.folded)
            for s, e in sentence_bounds(line.clean, start):
                roles = read_roles(line.folded, mentions, s, e)
                if roles.execution and roles.leads:
                    refs = [_ref(line, item) for item in roles.leads if item.mention]
                    return refs or None
        return None

    # One paragraph ----------------------------------------------------------------------------------------

    def _paragraph(self, i: int) -> None:
        line = self.lines[i]
        marker = detect_marker(line)
        start = marker.end if marker else len(line.clean) - len(line.clean.lstrip())
        if not marker and line.clean[start : start + 1].islower():
            if self.open_task:
                self._continue(self.open_task, i, start)
            return  # a capture broken over lines: it continues the paragraph before
        top = self.frames[-1] if self.frames else None
        if (
            marker
            and marker.kind == "bullet2"
            and top
            and top.kind == "bullet"
            and top.tasks
            and self.open_task
        ):
            self._continue(self.open_task, i, start)  # "+" details the "-" item above it
            return
        mentions = self.gazetteer.mentions(line.folded)
        bounds = sentence_bounds(line.clean, start)
        if not bounds:
            return
        roles = read_roles(line.folded, mentions, *bounds[0])
        header = line.clean.rstrip().endswith(":")
        if header and len(bounds) > 1 and not (roles.leads or roles.authority):
            roles = read_roles(line.folded, mentions, *bounds[-1])  # the sentence the colon ends
        if marker:
            self._push_numbered(marker)
        elif roles.leads or roles.authority or roles.execution:
            self._pop_for_subject(header)
        elif self.open_task and self.frames and not self.frames[-1].is_header:
            self._continue(self.open_task, i, start)
            return
        parent = self.frames[-1] if self.frames else None
        frame = Frame(
            kind=marker.kind if marker else "para",
            label=marker.label if marker else "",
            line=line,
            text_start=start,
            numbered=bool(marker) and not (marker.kind.startswith("bullet")),
            is_header=header,
        )
        if parent is not None:
            parent.children += 1
            if parent.tasks and not parent.is_header and (marker or roles.leads or header):
                self._demote(parent)
        self.frames.append(frame)
        self._classify(frame, i, bounds, roles, mentions, parent)

    def _push_numbered(self, marker: Marker) -> None:
        kinds = [f.kind for f in self.frames]
        if marker.kind in kinds:
            del self.frames[kinds.index(marker.kind) :]
        else:
            while self.frames and self.frames[-1].kind == "para" and not self.frames[-1].is_header:
                self.frames.pop()

    def _pop_for_subject(self, header: bool) -> None:
        """A plain paragraph with a subject of its own: it closes the items before it."""
        while self.frames and (
            self.frames[-1].kind in ("para", "bullet", "bullet2") or (not header and self.frames[-1].tasks)
        ):
            self.frames.pop()

    def _demote(self, frame: Frame) -> None:
        """A numbered paragraph that turned out to head others is a heading, not a task; when it named its
        subject ("1. Sở Thông tin và Truyền thông" then bullets), the items under it are that subject's."""
        own = [task for task in frame.tasks if task.leads and task.source.line == frame.line.number]
        if own and frame.leads is None and self._named_subject(frame):
            frame.leads, frame.supports, frame.is_header = own[0].leads, own[0].supports, True
        for task in frame.tasks:
            if task in self.tasks:
                self.tasks.remove(task)
        frame.tasks = []
        if self.open_task and self.open_task not in self.tasks:
            self.open_task = None

    def _named_subject(self, frame: Frame) -> bool:
        mentions = self.gazetteer.mentions(frame.line.folded)
        return read_roles(frame.line.folded, mentions, frame.text_start, len(frame.line.clean)).leads != []

    def _continue(self, task: TaskProposal, i: int, start: int) -> None:
        line = self.lines[i]
        end = len(line.clean.rstrip())
        self.segments[id(task)].append((i, start, end))
        task.text = task.text + "\n" + line.clean[start:end].strip()
        task.spans.append(Span(line.number, start, end))

    # What a paragraph is ----------------------------------------------------------------------------------

    def _classify(self, frame: Frame, i: int, bounds, roles: Roles, mentions, parent: Frame | None) -> None:
        line = self.lines[i]
        self.open_task = None
        if any(f.priority for f in self.frames[:-1]):
            self._priority(frame, line)
            return
        if roles.execution:
            return
        if frame.is_header:
            self._header(frame, i, roles, bounds)
            return
        if roles.leads:
            self._tasks(frame, i, bounds, mentions, roles, own=True)
            return
        inherited = self._inherited()
        listed = parent is not None and parent.is_header and (parent.leads or parent.kind != "para")
        verb_first = (
            frame.numbered
            and self._starts_with_verb(line, frame.text_start)
            and not TARGET_ONLY.match(line.folded, frame.text_start)
        )
        if inherited is not None and (listed or verb_first):
            self._tasks(frame, i, bounds, mentions, roles, own=False)

    def _header(self, frame: Frame, i: int, roles: Roles, bounds) -> None:
        line = self.lines[i]
        if roles.leads:
            frame.leads = [_ref(line, item) for item in roles.leads]
            frame.supports = [_ref(line, item) for item in roles.supports]
        elif roles.authority or PRIORITY_SENTENCE.search(line.folded, frame.text_start):
            frame.priority = True

    def _priority(self, frame: Frame, line: Line) -> None:
        frame.priority = True
        parent = self.frames[-2]
        own = frame.label or str(parent.children)
        code = ".".join([f.label for f in self.frames[:-1] if f.priority and f.label and f.numbered] + [own])
        text = line.clean[frame.text_start :].strip()
        name = re.split(r"(?<=[.;:])\s", text, maxsplit=1)[0].rstrip(".;:")
        span = Span(line.number, frame.text_start, frame.text_start + len(name))
        self.priorities.append(Group(code=code, name=name[:200], source=span))

    def _inherited(self) -> tuple[list[AgencyRef], list[AgencyRef]] | None:
        for frame in reversed(self.frames[:-1]):
            if frame.priority:
                return None
            if frame.leads:
                return frame.leads, frame.supports
        if self.default_leads:
            return self.default_leads, []
        return None

    def _starts_with_verb(self, line: Line, start: int) -> bool:
        pos = start
        if opener := DISCOURSE.match(line.folded, pos):
            pos = opener.end()
        return bool(VERB.match(line.folded, pos))

    # Tasks ------------------------------------------------------------------------------------------------

    def _tasks(self, frame: Frame, i: int, bounds, mentions, roles: Roles, own: bool) -> None:
        line = self.lines[i]
        if own:
            leads = [_ref(line, item) for item in roles.leads]
            supports = [_ref(line, item) for item in roles.supports]
        else:
            inherited_leads, inherited_supports = self._inherited() or ([], [])
            leads = list(inherited_leads)
            supports = list(inherited_supports) + [_ref(line, item) for item in roles.supports]
        current = self._new_task(frame, i, frame.text_start, leads, supports)
        for s, e in bounds[1:]:
            later = read_roles(line.folded, mentions, s, e)
            if (
                later.leads
                and not later.authority
                and not later.execution
                and self._other(later, current, line)
            ):
                self._close(current, i, s)
                current = self._new_task(
                    frame,
                    i,
                    s,
                    [_ref(line, it) for it in later.leads],
                    [_ref(line, it) for it in later.supports],
                )
            else:
                self._add_supports(current, [_ref(line, it) for it in later.supports])
        self._close(current, i, len(line.clean.rstrip()))
        self.open_task = current

    def _other(self, roles: Roles, task: TaskProposal, line: Line) -> bool:
        phrases = {" ".join(ref.phrase.lower().split()) for ref in task.leads}
        new = {" ".join(line.clean[it.start : it.end].strip(" ,;:").lower().split()) for it in roles.leads}
        coded = any(it.mention and it.mention.codes for it in roles.leads)
        return new != phrases and coded

    def _new_task(self, frame: Frame, i: int, start: int, leads, supports) -> TaskProposal:
        line = self.lines[i]
        lead_codes = {c for ref in leads for c in ref.agencies}
        supports = [ref for ref in supports if not ref.agencies or not set(ref.agencies) <= lead_codes]
        task = TaskProposal(
            text="",
            clause=self._clause(),
            source=Span(line.number, start, start),
            leads=leads,
            supports=[],
            groups=self._groups(),
        )
        self._add_supports(task, supports)
        parent = self.frames[-2] if len(self.frames) > 1 else None
        if frame.kind.startswith("bullet") or (parent is not None and parent.is_header):
            task.item = parent.children if parent is not None else None
        frame.tasks.append(task)
        self.tasks.append(task)
        self.segments[id(task)] = [(i, start, start)]
        return task

    def _close(self, task: TaskProposal, i: int, end: int) -> None:
        line = self.lines[i]
        _, start, _ = self.segments[id(task)][0]
        self.segments[id(task)][0] = (i, start, end)
        text = line.clean[start:end]
        lead = len(text) - len(text.lstrip())
        task.text = text.strip()
        task.source = Span(line.number, start + lead, start + lead + len(task.text))
        task.spans = [task.source]

    def _add_supports(self, task: TaskProposal, refs: list[AgencyRef]) -> None:
        seen = {ref.phrase for ref in task.supports}
        lead_codes = set(task.lead_codes())
        for ref in refs:
            if ref.phrase not in seen and not (ref.agencies and set(ref.agencies) <= lead_codes):
                task.supports.append(ref)
                seen.add(ref.phrase)

    def _clause(self) -> str:
        parts = []
        for frame in self.frames:
            if not frame.numbered:
                continue
            if frame.kind.startswith("dec") and parts and "." in frame.label:
                # "5.2" already says "5": keep the deepest decimal number only
                parts = [p for p in parts if not (p[0].startswith("dec"))]
            parts.append((frame.kind, frame.label))
        return ".".join(label for _, label in parts)

    def _groups(self) -> list[Group]:
        groups = []
        for depth, frame in enumerate(self.frames[:-1]):
            if frame.numbered and not frame.leads and not frame.priority and not frame.tasks:
                saved, self.frames = self.frames, self.frames[: depth + 1]
                code = self._clause()
                self.frames = saved
                line = frame.line
                name = line.clean[frame.text_start :].strip().rstrip(".:")
                groups.append(
                    Group(code, name[:200], Span(line.number, frame.text_start, len(line.clean.rstrip())))
                )
        return groups

    # After the walk ---------------------------------------------------------------------------------------

    def finish(self, year: int | None) -> list[Target]:
        """Deadlines, targets and footnote milestones of each task; returns the targets outside any task."""
        finder = DeadlineFinder(year)
        covered: set[int] = set()
        for task in self.tasks:
            segments = [(self.lines[i], s, e) for i, s, e in self.segments[id(task)]]
            covered.update(i for i, _, _ in self.segments[id(task)])
            task.deadline = finder.find(segments)
            task.targets = [t for line, s, e in segments for t in find_targets(line, s, e)]
            self._footnotes(task, segments, finder)
            if task.deadline.kind == "none" and any(t.per for t in task.targets):
                per = next(t for t in task.targets if t.per)
                names = {"year": "yearly", "month": "monthly", "quarter": "quarterly"}
                task.deadline = Deadline("recurring", None, per.unit, names[per.per], per.source, per.source)
        outside = []
        for i in range(self.layout.body_start, self.layout.body_end):
            if i not in covered and not self.lines[i].is_blank:
                line = self.lines[i]
                outside.extend(find_targets(line, 0, len(line.clean)))
        return outside

    def _footnotes(self, task: TaskProposal, segments, finder: DeadlineFinder) -> None:
        """'… theo thời gian quy định (4)': the footnote's dated figures are the milestones of the task's target."""
        for line, s, e in segments:
            for ref in FOOTNOTE_REF.finditer(line.clean, s, e):
                lines = self.layout.footnotes.get(ref[1])
                if not lines:
                    continue
                milestones, last_due = self._milestones(lines, finder)
                if milestones and task.targets:
                    task.targets[0].milestones = milestones
                if last_due and task.deadline.kind == "none":
                    task.deadline = Deadline(
                        "date",
                        last_due,
                        line.clean[ref.start() : ref.end()],
                        source=Span(line.number, ref.start(), ref.end()),
                    )

    def _milestones(self, indexes: list[int], finder: DeadlineFinder) -> tuple[list[Milestone], object]:
        out, last_due = [], None
        for i in indexes:
            line = self.lines[i]
            dated = re.search(r"\(ngay\s+(\d{1,2})/(\d{1,2})/(\d{4})\)", line.folded)
            found = finder.find([(line, 0, len(line.clean))])
            due = found.value
            if dated:
                with contextlib.suppress(ValueError):
                    due = datetime.date(int(dated[3]), int(dated[2]), int(dated[1]))
            last_due = max(filter(None, [last_due, due]), default=None)
            targets = find_targets(line, 0, len(line.clean))
            if due and targets:
                first = targets[0]
                out.append(Milestone(due, first.value, line.clean.strip()[:200], first.source))
        return out, (last_due if out else None)
