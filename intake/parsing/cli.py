"""`parse_directive FILE [--format json]`: print what the parser proposes for a document.

`main(argv, stdout)` is the whole command; the Django management command only passes the agencies of the
database. The text format is for a person (Vietnamese, dates dd/mm/yyyy); the JSON format is the proposal
itself (issue 13, item 3): {"directive": {...}, "tasks": [{"text", "clause", "leads": [{"phrase",
"agencies"}], "supports", "deadline", "deadline_kind", "recurrence", "targets", "groups", "source"}]}.
"""

import argparse
import datetime
import json
import sys
from pathlib import Path

from .api import load_agencies, parse_text
from .gazetteer import Gazetteer
from .messages import gettext as _
from .model import AgencyRef, Proposal, TaskProposal
from .readers import IntakeError, read_document

RECURRENCES = {
    "weekly": "hằng tuần",
    "monthly": "hằng tháng",
    "quarterly": "hằng quý",
    "half_yearly": "6 tháng một lần",
    "yearly": "hằng năm",
}


class UsageError(Exception):
    """Bad arguments or an unreadable file; the message is Vietnamese."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parse_directive", add_help=False)
    parser.add_argument("file")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--agencies", default=None)
    parser.add_argument("--no-ocr", action="store_true")
    return parser


def run(argv: list[str], agencies: list[dict] | None = None) -> tuple[Proposal, str]:
    """Parse the arguments and the file: (proposal, output format). Raises UsageError."""
    try:
        options = build_parser().parse_args(argv)
    except SystemExit as error:
        raise UsageError(
            _("Cách dùng: parse_directive TỆP [--format json] [--agencies TỆP_CƠ_QUAN]")
        ) from error
    path = Path(options.file)
    if not path.is_file():
        raise UsageError(_("Không tìm thấy tệp: %(path)s") % {"path": options.file})
    try:
        if options.agencies:
            agencies = load_agencies(Path(options.agencies))
        text = read_document(path.read_bytes(), path.name, ocr=not options.no_ocr)
    except IntakeError as error:
        raise UsageError(str(error)) from error
    except (OSError, ValueError, KeyError) as error:
        raise UsageError(
            _("Không đọc được danh sách cơ quan: %(path)s") % {"path": options.agencies}
        ) from error
    gazetteer = Gazetteer(agencies or load_agencies())
    return parse_text(text, gazetteer), options.format


def main(argv: list[str], stdout=None, agencies: list[dict] | None = None) -> int:
    stdout = stdout or sys.stdout
    try:
        proposal, output = run(argv, agencies)
    except UsageError as error:
        print(str(error), file=stdout)
        return 2
    if output == "json":
        json.dump(proposal.as_dict(), stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
    else:
        stdout.write(render_text(proposal))
    return 0


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def render_text(proposal: Proposal) -> str:
    d = proposal.directive
    lines = [
        _("Văn bản: %(type)s số %(number)s, ngày %(date)s")
        % {
            "type": d.type_label or _("(chưa rõ loại)"),
            "number": d.number or "—",
            "date": _date(d.issue_date) or "—",
        },
        _("Trích yếu: %(title)s") % {"title": d.title or "—"},
        _("Người ký: %(title)s %(name)s") % {"title": d.signer_title, "name": d.signer or "—"},
        _("Nhiệm vụ: %(count)d") % {"count": len(proposal.tasks)},
    ]
    for number, task in enumerate(proposal.tasks, start=1):
        lines.extend(_task_lines(number, task))
    if proposal.targets:
        lines.append(_("Chỉ tiêu ngoài nhiệm vụ:"))
        lines.extend(f"  - {t.phrase} ({_('dòng')} {t.source.line})" for t in proposal.targets)
    return "\n".join(lines) + "\n"


def _refs(refs: list[AgencyRef]) -> str:
    parts = []
    for ref in refs:
        count = len(ref.agencies)
        if ref.group and count:
            parts.append(_("%(phrase)s (%(count)d cơ quan)") % {"phrase": ref.phrase, "count": count})
        elif count:
            parts.append(ref.phrase)
        else:
            parts.append(_("%(phrase)s (chưa có trong danh mục)") % {"phrase": ref.phrase})
    return "; ".join(parts) or "—"


def _deadline(task: TaskProposal) -> str:
    deadline = task.deadline
    parts = []
    if deadline.kind == "date":
        parts.append(_date(deadline.value))
    elif deadline.kind == "period":
        parts.append(f"{deadline.phrase} ({_date(deadline.value)})" if deadline.value else deadline.phrase)
    if deadline.recurrence:
        parts.append(RECURRENCES.get(deadline.recurrence, deadline.recurrence))
    return ", ".join(parts) or _("không thời hạn")


def _task_lines(number: int, task: TaskProposal) -> list[str]:
    text = task.text if len(task.text) <= 160 else task.text[:157] + "…"
    lines = [
        f"{number}. [{task.clause or '—'}] {_('dòng')} {task.source.line}: {text}",
        "   " + _("Chủ trì: %(refs)s") % {"refs": _refs(task.leads)},
        "   " + _("Phối hợp: %(refs)s") % {"refs": _refs(task.supports)},
        "   " + _("Thời hạn: %(deadline)s") % {"deadline": _deadline(task)},
    ]
    if task.targets:
        lines.append(
            "   " + _("Chỉ tiêu: %(targets)s") % {"targets": "; ".join(t.phrase for t in task.targets)}
        )
    return lines


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
