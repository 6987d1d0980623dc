"""The real targets: built from the seed documents, loaded idempotently."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from directives.models import Directive
from intake.loading.programme import SOURCES_DIR
from intake.loading.targets import DATA_FILE, load_targets
from targets.models import Milestone, Target
from targets.progress import Direction

pytestmark = pytest.mark.django_db

DATA = json.loads(DATA_FILE.read_text(encoding="utf-8"))
SOURCES = {
    "01/CTr-UBND": "003_c1d37e700e78fe4a.txt",
    "04/CT-UBND": "000_2e875a92bb06ca6c.txt",
}


def source_line(directive: str, number: int) -> str:
    return (SOURCES_DIR / SOURCES[directive]).read_text(encoding="utf-8").splitlines()[number - 1]


@pytest.mark.parametrize("item", DATA["targets"], ids=lambda item: item["code"])
def test_every_target_quotes_its_source_sentence(item):
    assert item["quote"] in source_line(item["directive"], item["source_line"])
    for milestone in item.get("milestones", []):
        assert milestone["quote"] in source_line(item["directive"], milestone["source_line"])


def test_the_targets_the_issue_names_are_all_there(targets):
    expected = {
        "2023-GRDP": ("at_least", "7", "SKHDT"),
        "2023-GIAI-NGAN": ("at_least", "95", "SKHDT"),
        "2023-TMDT": ("at_least", "8", "SCT"),
        "2023-HO-NGHEO": ("reduce_by", "0.8", "SLDTBXH"),
        "2023-BHYT": ("at_least", "92.5", "BHXH"),
        "2023-BHXH-BB": ("at_least", "96.5", "BHXH"),
        "2023-BHXH-TN": ("at_least", "7", "BHXH"),
        "2023-BHTN": ("at_least", "89", "BHXH"),
        "2023-PAR-INDEX": ("rank", "5", "VPUBND"),
        "2023-SIPAS": ("rank", "5", "VPUBND"),
        "2023-DIEN-GIO": ("at_least", "100", "SCT"),
        "2023-CUM-CN": ("at_least", "1", "SCT"),
        "2025-DO-THI-HOA": ("at_least", "31", "SXD"),
        "2025-TPCM-LOAI-I": ("rank", "1", "SXD"),
        "2026-BIEN-CHE-CC": ("at_least", "5", "SNV"),
        "2026-BIEN-CHE-VC": ("at_least", "10", "SNV"),
        # Found by re-reading the sources (issue 13, item 8).
        "2023-DN-KHCN": ("at_least", "2", "SKHCN"),
        "2023-SSCD": ("at_least", "100", "BCHQS"),
        "2023-GIAI-NGAN-CHUYEN-TIEP": ("at_least", "100", "SKHDT"),
        "2023-GIAI-NGAN-KHOI-CONG-MOI": ("at_least", "100", "SKHDT"),
    }
    assert {
        code: (t.direction, f"{t.target_value.normalize():f}", t.responsible_agency.code)
        for code, t in targets.items()
    } == expected
    assert targets["2023-PAR-INDEX"].target_is_change
    assert not any(t.is_simulated for t in targets.values())
    assert Target.objects.get(code="2023-GRDP").directive == Directive.objects.get(reference="01/CTr-UBND")
    assert set(targets["2023-BHYT"].groups.values_list("code", flat=True)) == {"C.8", "2023.5", "B.5"}


def test_the_product_says_when_the_responsible_agency_is_its_own_choice(targets):
    for code in ["2023-GRDP", "2023-GIAI-NGAN", "2023-DIEN-GIO", "2023-CUM-CN"]:
        assert targets[code].agency_note.startswith("Lựa chọn của sản phẩm"), code
    # Where the text names the lead of the block the target sits in, or the body in charge, no such note:
    # administrative reform's standing body is the provincial office (seed 002, line 9).
    for code in ["2023-TMDT", "2023-HO-NGHEO", "2025-DO-THI-HOA", "2023-PAR-INDEX", "2023-SIPAS"]:
        assert not targets[code].agency_note.startswith("Lựa chọn"), code


def test_disbursement_milestones_from_footnote_4(targets):
    target = targets["2023-GIAI-NGAN"]
    assert (target.period_start, target.period_end) == (datetime.date(2023, 1, 1), datetime.date(2024, 1, 31))
    assert list(target.milestones.values_list("due", "value")) == [
        (datetime.date(2023, 3, 31), Decimal("25")),
        (datetime.date(2023, 6, 30), Decimal("50")),
        (datetime.date(2023, 9, 30), Decimal("75")),
    ]
    assert target.baseline == 0 and target.cumulative and target.is_share
    # The footnote's own milestones for ongoing and new projects, all to be disbursed by 31/01/2024.
    for code, values in [
        ("2023-GIAI-NGAN-CHUYEN-TIEP", [35, 60, 80]),
        ("2023-GIAI-NGAN-KHOI-CONG-MOI", [20, 40, 65]),
    ]:
        assert [int(v) for v in targets[code].milestones.values_list("value", flat=True)] == values
        assert targets[code].period_end == datetime.date(2024, 1, 31)


def test_loading_twice_changes_nothing(targets):
    stamps = dict(Target.objects.values_list("code", "updated_at"))
    assert load_targets() == {"targets": 0, "milestones": 0, "changed": 0}
    assert dict(Target.objects.values_list("code", "updated_at")) == stamps
    assert Target.objects.count() == 20
    assert Milestone.objects.count() == 9


def test_a_changed_data_file_updates_only_what_changed(targets):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    item = next(i for i in data["targets"] if i["code"] == "2023-GIAI-NGAN")
    item["milestones"] = item["milestones"][:2]
    item["target_value"] = "96"
    counts = load_targets(data)
    assert counts == {"targets": 0, "milestones": 0, "changed": 2}
    target = Target.objects.get(code="2023-GIAI-NGAN")
    assert target.target_value == 96
    assert target.milestones.count() == 2


def test_the_load_command_loads_the_targets_and_says_so(programme, capsys):
    call_command("load_camau_2023", "--no-demo-users")
    assert "Đã nạp chỉ tiêu: 20 chỉ tiêu, 9 mốc mới" in capsys.readouterr().out
    call_command("load_camau_2023", "--no-demo-users")
    assert "Đã nạp chỉ tiêu: 0 chỉ tiêu, 0 mốc mới; 0 bản ghi cập nhật." in capsys.readouterr().out
    assert Target.objects.filter(direction=Direction.RANK).count() == 3
