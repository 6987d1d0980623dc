"""Rules of the code's shape that a reader relies on (docs/architecture.md)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCT = [
    "accounts",
    "backups",
    "camau_tasks",
    "core",
    "demo",
    "directives",
    "intake",
    "reminders",
    "summaries",
    "targets",
    "tracking",
]
MAX_LINES = 80


def test_no_product_function_is_over_80_lines():
    long = []
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > MAX_LINES:
                        long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert long == []


def test_the_rule_sees_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    tree = ast.parse(f"def long():\n{body}\n")
    node = tree.body[0]
    assert node.end_lineno - node.lineno + 1 > MAX_LINES


def test_tests_are_laid_out_by_app():
    """tests/<app>/ for every app of the product; at the top only shared set-up (conftest, factories,
    workflow, servers); tests of the whole (docs, structure, compose, recovery) in tests/project/."""
    apps = [p for p in PRODUCT if (ROOT / p / "apps.py").exists()]
    missing = [app for app in apps if not (ROOT / "tests" / app).is_dir()]
    assert missing == []
    assert sorted(p.name for p in (ROOT / "tests").glob("test_*.py")) == []
    assert (ROOT / "tests" / "project").is_dir()
