"""`python manage.py parse_directive FILE [--format json]` (issue 13, item 3) and the package's purity."""

import ast
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from directives.models import Agency
from intake.parsing.api import SOURCES_DIR
from intake.parsing.cli import main

SOURCE_000 = next(SOURCES_DIR.glob("000_*.txt"))
PARSING = Path(__file__).resolve().parents[2] / "intake" / "parsing"


def test_json_has_the_shape_the_issue_gives():
    out = io.StringIO()
    assert main([str(SOURCE_000), "--format", "json"], out) == 0
    proposal = json.loads(out.getvalue())
    assert proposal["directive"]["number"] == "04/CT-UBND"
    assert proposal["directive"]["issue_date"] == "2023-03-14"
    assert len(proposal["tasks"]) == 8
    task = proposal["tasks"][-1]
    for key in (
        "text",
        "clause",
        "leads",
        "supports",
        "deadline",
        "deadline_kind",
        "recurrence",
        "targets",
        "groups",
        "source",
    ):
        assert key in task
    assert task["leads"][0]["phrase"] == "Văn phòng Ủy ban nhân dân tỉnh"
    assert task["leads"][0]["agencies"] == ["VPUBND"]
    assert task["source"] == {"line": 67, "start": 0, "end": len(task["text"])}


def test_text_is_for_a_person_in_vietnamese():
    out = io.StringIO()
    assert main([str(SOURCE_000)], out) == 0
    text = out.getvalue()
    assert "Văn bản: Chỉ thị số 04/CT-UBND, ngày 14/03/2023" in text
    assert "Chủ trì: các sở, ban, ngành tỉnh (18 cơ quan)" in text
    assert "Thời hạn: không thời hạn" in text


@pytest.mark.parametrize(
    "argv, message",
    [
        (["khong-co.txt"], "Không tìm thấy tệp: khong-co.txt"),
        ([], "Cách dùng: parse_directive"),
        ([str(SOURCE_000), "--format", "xml"], "Cách dùng: parse_directive"),
    ],
)
def test_bad_arguments_get_a_vietnamese_message(argv, message):
    out = io.StringIO()
    assert main(argv, out) == 2
    assert message in out.getvalue()


@pytest.mark.django_db
def test_the_command_uses_the_agencies_of_the_database(tmp_path):
    Agency.objects.create(
        code="KBNN", name="Kho bạc Nhà nước tỉnh Cà Mau", short_name="KBNN tỉnh", kind="central"
    )
    letter = tmp_path / "cong-van.txt"
    letter.write_text("1. Giao Kho bạc Nhà nước tỉnh kiểm soát chi, báo cáo hằng tháng.\n", encoding="utf-8")
    out = io.StringIO()
    call_command("parse_directive", str(letter), "--format", "json", stdout=out)
    (task,) = json.loads(out.getvalue())["tasks"]
    assert task["leads"][0]["agencies"] == ["KBNN"]
    assert (task["deadline_kind"], task["recurrence"]) == ("recurring", "monthly")


@pytest.mark.django_db
def test_the_command_refuses_a_missing_file():
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("parse_directive", "khong-co.docx")


def test_the_parser_imports_no_django_app_and_stays_short():
    """Pure Python (import-linter checks the project's apps too); Django only for translated messages."""
    for path in PARSING.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert node.module.split(".")[0] not in {"directives", "tracking", "accounts", "targets"}, (
                    path
                )
                assert not node.module.startswith("django") or path.name == "messages.py", path
            if isinstance(node, ast.FunctionDef):
                assert node.end_lineno - node.lineno + 1 <= 80, (path.name, node.name)
