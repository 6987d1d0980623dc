"""The SVG chart the app draws for a target: well-formed, complete, readable without CSS."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from demo.simulation.targets import simulate_actuals
from targets.charts import build_chart, date_ticks, nice_step, vn_number, with_unit
from targets.evaluation import evaluate_targets
from targets.models import Target

from ..conftest import TODAY

SVG = "{http://www.w3.org/2000/svg}"
NUMERIC = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height"}


def test_vietnamese_numbers():
    assert vn_number(1234.5) == "1.234,5"
    assert vn_number(92.5) == "92,5"
    assert vn_number(100) == "100"
    assert vn_number(2.1500000000000004) == "2,15"
    assert vn_number(-0.001) == "0"
    assert vn_number(None) == "–"
    assert with_unit(92.5, "%") == "92,5%"
    assert with_unit(100, "MW") == "100 MW"
    assert with_unit(31, "hạng") == "hạng 31"


def test_axis_helpers():
    assert nice_step(95) == 25
    assert nice_step(2.5) == 1
    assert nice_step(0.8) == 0.2
    year = date_ticks(datetime.date(2022, 12, 31), datetime.date(2023, 12, 31))
    assert year == [
        datetime.date(2023, 3, 31),
        datetime.date(2023, 6, 30),
        datetime.date(2023, 9, 30),
        datetime.date(2023, 12, 31),
    ]
    # An end a month after the last quarter replaces it, so the two labels do not collide.
    assert date_ticks(datetime.date(2022, 12, 31), datetime.date(2024, 1, 31))[-2:] == [
        datetime.date(2023, 9, 30),
        datetime.date(2024, 1, 31),
    ]


@pytest.fixture
def evaluated(targets, frozen):
    simulate_actuals(seed=2023, today=TODAY)
    return {e.target.code: e for e in evaluate_targets(Target.objects.all(), TODAY)}


def render(item, compact=False):
    chart = build_chart(item, compact=compact)
    return render_to_string("targets/_chart.html", {"chart": chart, "chart_id": "c"}), chart


@pytest.mark.django_db
def test_the_chart_of_a_target_with_milestones(evaluated):
    item = evaluated["MP-2026-GIAI-NGAN"]
    markup, chart = render(item)
    svg = ET.fromstring(markup.strip())
    assert svg.tag == f"{SVG}svg"
    # Coordinates use a decimal point whatever the locale; labels are Vietnamese.
    for element in svg.iter():
        for name in NUMERIC & element.attrib.keys():
            float(element.attrib[name])
    assert (
        svg.find(f"{SVG}title").text
        == "Biểu đồ chỉ tiêu: Tỷ lệ giải ngân kế hoạch vốn đầu tư công năm 2026 (mô phỏng)"
    )
    goal = svg.find(f".//{SVG}line[@class='goal']")
    assert goal.find(f"{SVG}title").text == "Mức chỉ tiêu: 95%"
    assert goal.get("stroke-dasharray")
    milestones = [m.find(f"{SVG}title").text for m in svg.iter(f"{SVG}path") if m.get("class") == "milestone"]
    assert milestones == ["Mốc 25% đến 31/03/2026", "Mốc 50% đến 30/06/2026", "Mốc 75% đến 30/09/2026"]
    points = [p for p in svg.iter(f"{SVG}circle") if (p.get("class") or "").startswith("point")]
    assert len(points) == len(item.series) == 10
    assert points[-1].get("data-period") == "2026-10-31"
    assert re.fullmatch(r"Tháng 10/2026: 7\d,\d+%", points[-1].find(f"{SVG}title").text)
    forecast = svg.find(f".//{SVG}line[@class='forecast']")
    assert forecast.find(f"{SVG}title").text.startswith("Dự báo cuối kỳ: ")
    assert float(forecast.get("x2")) == chart.right  # drawn to the end of the period
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "31/03/2026" in labels and "31/01/2027" in labels
    assert all(
        re.fullmatch(r"\d{2}/\d{2}/\d{4}", t.text)
        for t in svg.find(f".//{SVG}g[@class='xaxis']").iter(f"{SVG}text")
    )
    assert {"Mức chỉ tiêu", "Các mốc, lộ trình", "Số liệu thực hiện", "Dự báo"} <= set(labels)
    # Presentation attributes only: the PDF export can embed it as it is.
    assert "style=" not in markup


@pytest.mark.django_db
def test_a_rank_is_drawn_with_the_better_rank_higher(evaluated):
    item = evaluated["2023-PAR-INDEX"]
    _markup, chart = render(item)
    # Rank 31 beats the goal rank 33: its point is above the goal line (smaller y).
    assert chart.points[0].y < chart.goal.y1
    assert chart.forecast is None  # the final figure is in


@pytest.mark.django_db
def test_the_compact_chart_has_no_axes_but_the_same_lines(evaluated):
    markup, chart = render(evaluated["2023-BHYT"], compact=True)
    svg = ET.fromstring(markup.strip())
    assert chart.compact and (chart.width, chart.height) == (300, 96)
    assert svg.find(f".//{SVG}g[@class='xaxis']") is None
    assert svg.find(f".//{SVG}line[@class='goal']") is not None
    assert svg.find(f".//{SVG}polyline[@class='trajectory']") is not None  # from the reported baseline
    assert len([c for c in svg.iter(f"{SVG}circle") if c.get("class") == "point"]) == 12


@pytest.mark.django_db
def test_a_flagged_value_is_ringed(targets, frozen, people):
    from decimal import Decimal

    from targets.services import report_actual

    target = targets["2023-GIAI-NGAN"]
    report_actual(people["lead_officer"], target, datetime.date(2023, 1, 31), Decimal("104"), confirm=True)
    item = evaluate_targets(Target.objects.filter(pk=target.pk), TODAY)[0]
    markup, _chart = render(item)
    point = ET.fromstring(markup.strip()).find(
        ".//{http://www.w3.org/2000/svg}circle[@data-period='2023-01-31']"
    )
    assert point.get("class") == "point flagged" and point.get("stroke") == "#d97706"
