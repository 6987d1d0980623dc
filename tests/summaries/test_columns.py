"""The column specification (summaries/columns.py) is what the page, the XLSX and the PDF show, and
it reads keys the stored rows really have; no function of the summaries app grows past 80 lines."""

import ast
import io
import pathlib

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from summaries import columns
from summaries.periods import Kind
from summaries.services import produce_summary

from .conftest import CUT_OFF

pytestmark = pytest.mark.django_db
APP = pathlib.Path(columns.__file__).parent


@pytest.fixture
def summary(scenario):
    return produce_summary(Kind.MONTH, CUT_OFF, actor=scenario.people["office"])


def test_every_column_reads_a_key_the_stored_rows_have(summary):
    for listing in columns.LISTS:
        rows = summary.data["lists"][listing.name]
        if not rows:
            continue
        for column in listing.columns:
            for part in column.parts or (column,):
                if part.get is None:
                    assert part.key in rows[0], (listing.name, part.key)


def test_the_xlsx_and_the_page_use_the_specified_headings(client, scenario, summary):
    client.force_login(scenario.people["leader"])
    wb = load_workbook(io.BytesIO(client.get(reverse("summary-xlsx", args=[summary.pk])).content))
    page = client.get(reverse("summary-detail", args=[summary.pk])).content.decode()
    for listing in columns.LISTS:
        if listing.optional and summary.data["lists"].get(listing.name) is None:
            continue
        ws = wb[str(listing.sheet)]
        expected = ["STT"] + [str(c.label) for c in listing.xlsx_columns()]
        header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "STT")
        assert list(header) == expected, listing.name
        shown = "".join(f"<th>{c.label}</th>" for c in listing.columns_in(columns.PAGE))
        assert shown in page, listing.name
    assert [ws.title for ws in wb.worksheets][1:4] == [str(t.sheet) for t in columns.FIGURE_TABLES]


def test_the_pdf_widths_fill_the_text_width():
    shown = [columns.NUMBER, *columns.COMPLETED.columns_in(columns.PDF)]
    widths = columns.widths(shown, 500, 2)
    assert widths[0] == 20 and sum(widths) == pytest.approx(500)


def test_no_function_of_the_summaries_app_is_over_80_lines():
    long = []
    for path in APP.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                if node.end_lineno - start + 1 > 80:
                    long.append(f"{path.name}:{node.lineno} {node.name}")
    assert not long
