"""Read a directive (plain text, DOCX, PDF, a scanned PDF through OCR) and propose its tasks.

A pure-Python package: it imports no app of the project. Agencies come in as plain data (code, name, aliases,
kind); `parse_text` and `parse_file` return a `Proposal` whose every field keeps its source span.
"""

from .api import load_agencies, parse_file, parse_text
from .gazetteer import Gazetteer
from .model import AgencyRef, Deadline, DirectiveProposal, Proposal, Span, Target, TaskProposal
from .readers import IntakeError

__all__ = [
    "AgencyRef",
    "Deadline",
    "DirectiveProposal",
    "Gazetteer",
    "IntakeError",
    "Proposal",
    "Span",
    "Target",
    "TaskProposal",
    "load_agencies",
    "parse_file",
    "parse_text",
]
