"""The entry points: parse a text or a file against a list of agencies."""

import json
import re
import time
from pathlib import Path

from .gazetteer import Gazetteer
from .header import read_layout
from .model import Proposal
from .readers import read_document
from .tasks import Assembler
from .text import split_lines

# The project's real 2023 data: its agencies are the default gazetteer. One place to change when the file moves.
DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "camau_2023.json"
SOURCES_DIR = DATA_FILE.parent / "sources"


def load_agencies(path: Path | None = None) -> list[dict]:
    """The agencies of a data file shaped like camau_2023.json (code, name, kind, aliases)."""
    data = json.loads(Path(path or DATA_FILE).read_text(encoding="utf-8"))
    return data["agencies"] if isinstance(data, dict) else data


def parse_text(text: str, agencies: list[dict] | Gazetteer | None = None, province: str = "") -> Proposal:
    """The proposal for a document's text. `agencies` is the gazetteer's data (default: the project's)."""
    gazetteer = (
        agencies if isinstance(agencies, Gazetteer) else Gazetteer(agencies or load_agencies(), province)
    )
    lines = split_lines(text)
    layout = read_layout(lines)
    if gazetteer.province and layout.directive.title:
        province = re.compile(re.escape(gazetteer.province.lower()))
        layout.directive.title = province.sub(gazetteer.province, layout.directive.title)
    assembler = Assembler(lines, layout, gazetteer)
    tasks = assembler.run()
    year = layout.directive.issue_date.year if layout.directive.issue_date else None
    outside = assembler.finish(year)
    proposal = Proposal(
        directive=layout.directive,
        tasks=tasks,
        lines=[line.text for line in lines],
        priorities=assembler.priorities,
        targets=outside,
    )
    return proposal


def parse_file(
    path: str | Path, agencies: list[dict] | Gazetteer | None = None, ocr: bool = True
) -> Proposal:
    path = Path(path)
    text = read_document(path.read_bytes(), path.name, ocr=ocr)
    return parse_text(text, agencies)


def timed_parse(text: str, gazetteer: Gazetteer) -> tuple[Proposal, float]:
    began = time.perf_counter()
    proposal = parse_text(text, gazetteer)
    return proposal, time.perf_counter() - began
