"""The documents in docs/ cannot silently rot: what they name exists, and the code points at them.

- every document the project promises is there;
- nothing cites the domain brief that used to live outside the repository;
- every relative link of docs/*.md leads to a file (and heading) of the repository;
- every repository path written in backticks (`tracking/services.py`, `tests/browser/`) exists;
- every pointer in the code such as (docs/domain.md, "Deadlines") names an existing document and
  heading;
- every environment variable camau_tasks/settings.py reads is documented in docs/operations.md.
No database: these read files only.
"""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DOCS = ROOT / "docs"
DOCUMENTS = ("architecture.md", "domain.md", "operations.md", "scaling.md")
# Folders that are not the project's own text: the virtualenv, git, what the app writes at run time
# (VAR_DIR: SQLite, uploads, backups, mail, the broker), caches.
SKIPPED_DIRS = {".venv", ".git", "var", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"}
TEXT_SUFFIXES = {".py", ".html", ".md", ".txt", ".yml", ".yaml", ".toml", ".cfg", ".sh", ".js", ".css"}
TEXT_NAMES = {"Makefile", "Dockerfile"}
# Spelled in two pieces so that this file does not cite it itself.
OLD_BRIEF = "DOMAIN" + ".md"

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
BACKTICKED = re.compile(r"`([^`\s]+)`")
PATH_LIKE = re.compile(r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*/?")
FILE_SUFFIXES = (".py", ".md", ".html", ".yml", ".yaml", ".toml", ".json", ".js", ".css", ".txt", ".sh")
# (docs/domain.md, "Deadlines"): the section name may start on the next line, after a comment's "#".
POINTER = re.compile(r"docs/([\w-]+\.md)(?:,\s*(?:#\s*)?\"([^\"\n]+)\")?")
SETTING = re.compile(r"(?:os\.environ\.get|env_bool|env_list)\(\s*\"([A-Z][A-Z0-9_]*)\"")


def project_files():
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        for name in files:
            path = Path(folder) / name
            if path.suffix in TEXT_SUFFIXES or name in TEXT_NAMES:
                yield path


def headings(text: str) -> list[str]:
    """The headings of a Markdown text, outside fenced code."""
    found, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"#{1,6}\s+(.+?)\s*$", line)):
            found.append(match[1])
    return found


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def broken_links(text: str, base: Path) -> list[str]:
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto: – outside the repository
        path_part, _, anchor = target.partition("#")
        path = (base / path_part).resolve() if path_part else None
        if path is not None and not path.exists():
            broken.append(target)
            continue
        if anchor:
            document = path or base
            if document.is_dir() or anchor not in {slug(h) for h in headings(document.read_text())}:
                broken.append(target)
    return broken


def repository_paths(text: str) -> set[str]:
    """The backticked words that name a repository path: a relative path with a folder in it, through
    a top-level entry of the repository or ending in a source suffix (so that `trackng/views.py` is
    caught). Bare names (`urls.py` of every app), URLs (`/files/…`), placeholders (`<folder>`) and
    folders under VAR_DIR (`var/`, `mail/`) are not checked."""
    top_level = {entry.name for entry in ROOT.iterdir()} - SKIPPED_DIRS
    names = set()
    for word in BACKTICKED.findall(text):
        if not PATH_LIKE.fullmatch(word) or word.startswith((".", "/")):
            continue
        first = word.split("/", 1)[0]
        if "/" in word and (first in top_level or word.endswith(FILE_SUFFIXES)):
            names.add(word)
    return names


def missing_paths(text: str) -> list[str]:
    return sorted(name for name in repository_paths(text) if not (ROOT / name).exists())


def broken_pointers(text: str) -> list[str]:
    broken = []
    for document, section in POINTER.findall(text):
        path = DOCS / document
        if not path.exists() or (section and section not in headings(path.read_text())):
            broken.append(f"docs/{document}, {section!r}")
    return broken


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_exists(name):
    assert (DOCS / name).is_file()
    assert headings((DOCS / name).read_text()), f"docs/{name} has no heading"


def test_no_code_cites_the_outside_brief():
    citing = [
        str(path.relative_to(ROOT))
        for path in project_files()
        if OLD_BRIEF in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert citing == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_relative_links_lead_somewhere(name):
    assert broken_links((DOCS / name).read_text(), DOCS) == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_backticked_paths_exist(name):
    assert missing_paths((DOCS / name).read_text()) == []


def test_code_pointers_name_existing_sections():
    broken, pointers = {}, 0
    for path in project_files():
        if path.suffix not in (".py", ".html") or path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        pointers += len(POINTER.findall(text))
        if found := broken_pointers(text):
            broken[str(path.relative_to(ROOT))] = found
    assert broken == {}
    assert pointers >= 9  # the comments that used to cite the outside brief now point here


def test_every_setting_from_the_environment_is_documented():
    read = set(SETTING.findall((ROOT / "camau_tasks" / "settings.py").read_text()))
    documented = set(BACKTICKED.findall((DOCS / "operations.md").read_text()))
    assert len(read) > 30
    assert sorted(read - documented) == []


def test_the_checks_catch_rot(tmp_path):
    """Each check above finds what it is there to find."""
    assert missing_paths("see `tracking/services.py` and `tracking/nowhere.py`") == ["tracking/nowhere.py"]
    assert missing_paths("`tests/browser/` `tests/nowhere/` `/files/<kind>/` `var/backups/`") == [
        "tests/nowhere/"
    ]
    assert missing_paths("`trackng/views.py` `urls.py` `mail/`") == ["trackng/views.py"]
    text = "[a](domain.md) [b](domain.md#deadlines) [c](domain.md#nowhere) [d](gone.md) [e](https://x.vn)"
    assert broken_links(text, DOCS) == ["domain.md#nowhere", "gone.md"]
    assert broken_pointers('(docs/domain.md,\n# "Deadlines") (docs/domain.md, "Nowhere") docs/gone.md') == [
        "docs/domain.md, 'Nowhere'",
        "docs/gone.md, ''",
    ]
    assert slug("Who uses it") == "who-uses-it"
