"""The document's lines cut into pieces for the review screen: each piece of a span the parser read is
marked with what it is (a task's text, a lead or supporting agency, a deadline, a target, a field of
the directive) and which draft task it belongs to, so the text and the task cards point at each other."""

from dataclasses import dataclass, field

# Inner marks win over the task's own span: an agency inside a task's sentence is shown as the agency.
PRIORITY = {"lead": 0, "support": 1, "deadline": 2, "target": 3, "doc": 4, "task": 9}


@dataclass
class Line:
    number: int
    pieces: list[tuple[str, str]] = field(default_factory=list)  # (text, kind or "")
    task: int | None = None  # the pk of the first draft task read from this line


def _marks(draft, tasks) -> dict[int, list[tuple[int, int, str, int | None]]]:
    marks: dict[int, list] = {}
    for name, span in (draft.sources or {}).items():
        if isinstance(span, dict) and name != "title":
            marks.setdefault(span.get("line"), []).append((span["start"], span["end"], "doc", None))
    for task in tasks:
        for span in task.spans or []:
            if isinstance(span, dict) and "line" in span:
                kind = span.get("kind", "task")
                marks.setdefault(span["line"], []).append((span["start"], span["end"], kind, task.pk))
    return marks


def _cut(text: str, marks: list[tuple[int, int, str, int | None]]) -> list[tuple[str, str]]:
    """Pieces of `text`: each character takes the most specific mark covering it."""
    kinds = [""] * len(text)
    rank = [99] * len(text)
    for start, end, kind, _task in marks:
        for i in range(max(start, 0), min(end, len(text))):
            if PRIORITY.get(kind, 8) < rank[i]:
                kinds[i], rank[i] = kind, PRIORITY.get(kind, 8)
    pieces: list[tuple[str, str]] = []
    for char, kind in zip(text, kinds, strict=True):
        if pieces and pieces[-1][1] == kind:
            pieces[-1] = (pieces[-1][0] + char, kind)
        else:
            pieces.append((char, kind))
    return pieces


def highlighted_lines(draft, tasks) -> list[Line]:
    marks = _marks(draft, tasks)
    lines = []
    for number, text in enumerate((draft.text or "").split("\n"), start=1):
        on_line = marks.get(number, [])
        task = next((m[3] for m in on_line if m[3] is not None), None)
        lines.append(Line(number, _cut(text, on_line) if on_line else [(text, "")], task))
    return lines
