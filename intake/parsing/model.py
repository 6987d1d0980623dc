"""What the parser proposes. Every field keeps where it was read: a span (line, start, end) of the text.

Lines are 1-based as in the file; start and end are character offsets in that line, end exclusive. The
proposal carries the text's lines, so a screen can highlight any span.
"""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    line: int
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"line": self.line, "start": self.start, "end": self.end}


def _span(span: Span | None) -> dict | None:
    return span.as_dict() if span else None


@dataclass
class AgencyRef:
    """One way the text names who does the work: a named agency, a group, or a phrase the gazetteer lacks.

    `agencies` are gazetteer codes (a group is expanded to its members); `group` is the group's token
    ("@departments", "@districts", "@investors", …) or None.
    """

    phrase: str
    agencies: list[str]
    source: Span
    group: str | None = None

    def as_dict(self) -> dict:
        return {
            "phrase": self.phrase,
            "agencies": self.agencies,
            "group": self.group,
            "source": _span(self.source),
        }


@dataclass
class Deadline:
    """kind: "date" (value is the day), "period" (value is the period's last day), "recurring" or "none"."""

    kind: str = "none"
    value: datetime.date | None = None
    phrase: str = ""
    recurrence: str | None = None
    source: Span | None = None
    recurrence_source: Span | None = None

    def as_json_value(self):
        if self.kind == "date" and self.value:
            return self.value.isoformat()
        if self.kind in ("period", "recurring"):
            return self.phrase or None
        return None


@dataclass
class Milestone:
    due: datetime.date
    value: float
    phrase: str
    source: Span

    def as_dict(self) -> dict:
        return {
            "due": self.due.isoformat(),
            "value": self.value,
            "phrase": self.phrase,
            "source": _span(self.source),
        }


@dataclass
class Target:
    """A numeric target: "giải ngân đạt từ 95%", "giảm ít nhất 0,8 điểm %", "tăng ít nhất 05 bậc"."""

    phrase: str
    indicator: str
    direction: str | None  # "increase", "decrease" or None (a level to reach)
    comparator: str  # ">=", ">", "<=", "<", "="
    value: float
    unit: str
    source: Span
    value_max: float | None = None
    due: datetime.date | None = None
    due_phrase: str = ""
    per: str | None = None  # "year", "month", … for "02 doanh nghiệp/năm"
    milestones: list[Milestone] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "phrase": self.phrase,
            "indicator": self.indicator,
            "direction": self.direction,
            "comparator": self.comparator,
            "value": self.value,
            "value_max": self.value_max,
            "unit": self.unit,
            "due": self.due.isoformat() if self.due else None,
            "due_phrase": self.due_phrase,
            "per": self.per,
            "milestones": [m.as_dict() for m in self.milestones],
            "source": _span(self.source),
        }


@dataclass
class Group:
    """A suggested priority group: a heading the task sits under, or a priority the document lists."""

    code: str
    name: str
    source: Span

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "source": _span(self.source)}


@dataclass
class TaskProposal:
    text: str
    clause: str
    source: Span
    leads: list[AgencyRef] = field(default_factory=list)
    supports: list[AgencyRef] = field(default_factory=list)
    deadline: Deadline = field(default_factory=Deadline)
    targets: list[Target] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    item: int | None = None
    spans: list[Span] = field(default_factory=list)  # every line of the text, the first one included

    def lead_codes(self) -> list[str]:
        return _codes(self.leads)

    def support_codes(self) -> list[str]:
        return _codes(self.supports)

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "clause": self.clause,
            "item": self.item,
            "leads": [ref.as_dict() for ref in self.leads],
            "supports": [ref.as_dict() for ref in self.supports],
            "deadline": self.deadline.as_json_value(),
            "deadline_kind": self.deadline.kind,
            "deadline_date": self.deadline.value.isoformat() if self.deadline.value else None,
            "deadline_source": _span(self.deadline.source),
            "recurrence": self.deadline.recurrence,
            "recurrence_source": _span(self.deadline.recurrence_source),
            "targets": [t.as_dict() for t in self.targets],
            "groups": [g.as_dict() for g in self.groups],
            "source": _span(self.source),
            "spans": [s.as_dict() for s in self.spans],
        }


def _codes(refs: list[AgencyRef]) -> list[str]:
    codes: list[str] = []
    for ref in refs:
        codes.extend(code for code in ref.agencies if code not in codes)
    return codes


@dataclass
class DirectiveProposal:
    type: str | None = None  # the app's Directive.Type values: "chi_thi", "cong_van", …
    type_label: str = ""
    number: str = ""
    issue_date: datetime.date | None = None
    place: str = ""
    issuer: str = ""
    signer: str = ""
    signer_title: str = ""
    title: str = ""
    sources: dict[str, Span] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "type_label": self.type_label,
            "number": self.number,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "place": self.place,
            "issuer": self.issuer,
            "signer": self.signer,
            "signer_title": self.signer_title,
            "title": self.title,
            "sources": {name: span.as_dict() for name, span in self.sources.items()},
        }


@dataclass
class Proposal:
    directive: DirectiveProposal
    tasks: list[TaskProposal]
    lines: list[str]
    priorities: list[Group] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)  # targets stated outside any task
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "directive": self.directive.as_dict(),
            "tasks": [task.as_dict() for task in self.tasks],
            "priorities": [g.as_dict() for g in self.priorities],
            "targets": [t.as_dict() for t in self.targets],
            "warnings": self.warnings,
        }
