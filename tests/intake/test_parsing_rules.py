"""The parser's rules, one sentence at a time: how Vietnamese directives name who leads, who supports, by
when, and what figure is to be reached. No database: the parser is pure Python."""

import datetime

import pytest

from intake.parsing import Gazetteer, load_agencies, parse_text
from intake.parsing.deadlines import DeadlineFinder
from intake.parsing.targets import find_targets
from intake.parsing.text import Line, fold


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(load_agencies())


def one_task(text: str, gazetteer):
    proposal = parse_text(text, gazetteer)
    assert len(proposal.tasks) == 1, [t.text for t in proposal.tasks]
    return proposal.tasks[0]


def leads(task):
    out = set()
    for ref in task.leads:
        out.update(ref.group.split("+") if ref.group else ref.agencies)
    return out


def supports(task):
    return {code for ref in task.supports if not ref.group for code in ref.agencies}


def codes(text: str, gazetteer) -> list[list[str]]:
    return [m.codes for m in gazetteer.mentions(fold(text)) if m.kind == "agency"]


# Agencies: aliases and abbreviations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "Sở KH&ĐT",
        "Sở KHĐT",
        "Sở KH-ĐT",
        "Sở Kế hoạch - Đầu tư",
        "Sở Kế hoạch và Đầu tư",
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
    ],
)
def test_every_way_of_writing_the_planning_department(written, gazetteer):
    assert codes(written + " chủ trì", gazetteer) == [["SKHDT"]]


@pytest.mark.parametrize(
    "written", ["Sở LĐ-TB&XH", "Sở LĐTB&XH", "Sở LĐTBXH", "Sở Lao động, Thương binh và Xã hội"]
)
def test_abbreviations_group_their_parts_any_way(written, gazetteer):
    assert codes(written, gazetteer) == [["SLDTBXH"]]


def test_a_head_noun_is_shared_by_a_list(gazetteer):
    assert codes("các Sở: Tài chính, Nội vụ và Y tế", gazetteer) == [["STC"], ["SNV"], ["SYT"]]
    assert codes("UBND huyện Đầm Dơi, Năm Căn và Phú Tân", gazetteer) == [
        ["UBND_DAMDOI"],
        ["UBND_NAMCAN"],
        ["UBND_PHUTAN"],
    ]


def test_the_province_after_a_name_may_be_added_or_left_out(gazetteer):
    assert codes("Sở Y tế tỉnh Cà Mau, Công an tỉnh", gazetteer) == [["SYT"], ["CA"]]
    # "công an", "thanh tra" alone are common nouns, not the agencies
    assert codes("tăng cường thanh tra, kiểm tra; lực lượng công an xã", gazetteer) == []


def test_a_group_expands_to_its_members_and_a_related_group_to_nobody(gazetteer):
    mentions = gazetteer.mentions(fold("các sở, ban, ngành tỉnh và các cơ quan, đơn vị có liên quan"))
    assert mentions[0].group == "@departments" and len(mentions[0].codes) == 18
    assert mentions[1].group is None and mentions[1].codes == []


# Who leads, who supports --------------------------------------------------------------------------------------


def test_lead_and_supporters(gazetteer):
    task = one_task(
        "1. Sở Y tế chủ trì, phối hợp với Sở Tài chính, Sở Nội vụ tham mưu bố trí kinh phí.", gazetteer
    )
    assert leads(task) == {"SYT"} and supports(task) == {"STC", "SNV"}


def test_giao_names_the_lead(gazetteer):
    task = one_task("2. Giao Sở Tư pháp rà soát các văn bản quy phạm pháp luật.", gazetteer)
    assert leads(task) == {"STP"}


def test_co_trach_nhiem_names_the_lead(gazetteer):
    task = one_task("3. Sở Xây dựng có trách nhiệm kiểm tra chất lượng công trình.", gazetteer)
    assert leads(task) == {"SXD"}


def test_a_list_of_subjects_all_lead_and_objects_of_don_doc_are_not_supporters(gazetteer):
    task = one_task(
        "4. Sở Y tế, Sở Xây dựng, Sở Công Thương theo chức năng, nhiệm vụ chỉ đạo, đôn đốc Công an tỉnh và "
        "Ủy ban nhân dân các huyện, thành phố thực hiện.",
        gazetteer,
    )
    assert leads(task) == {"SYT", "SXD", "SCT"} and supports(task) == set()
    assert [ref.phrase for ref in task.leads] == ["Sở Y tế", "Sở Xây dựng", "Sở Công Thương"]


def test_generic_addressees_lead(gazetteer):
    task = one_task("5. Các sở, ban, ngành tỉnh, UBND các huyện, thành phố tăng cường kiểm tra.", gazetteer)
    assert leads(task) == {"@departments", "@districts"}


def test_an_agency_the_gazetteer_lacks_is_kept_as_a_phrase(gazetteer):
    task = one_task("6. Kho bạc Nhà nước tỉnh chủ trì, phối hợp với Sở Tài chính kiểm soát chi.", gazetteer)
    assert [(ref.phrase, ref.agencies) for ref in task.leads] == [("Kho bạc Nhà nước tỉnh", [])]
    assert supports(task) == {"STC"}


def test_a_sentence_without_a_subject_keeps_the_one_before(gazetteer):
    task = one_task(
        "7. Sở Công Thương kiểm tra thị trường. Đồng thời, phối hợp với Sở Y tế bảo đảm an toàn thực phẩm.",
        gazetteer,
    )
    assert leads(task) == {"SCT"} and supports(task) == {"SYT"}


def test_a_sentence_with_a_subject_of_its_own_is_a_task_of_its_own(gazetteer):
    proposal = parse_text(
        "8. Sở Nội vụ tổ chức đánh giá. Giao Sở Kế hoạch và Đầu tư tham mưu tổng hợp báo cáo.", gazetteer
    )
    assert [leads(t) for t in proposal.tasks] == [{"SNV"}, {"SKHDT"}]


def test_a_block_header_leads_its_items(gazetteer):
    proposal = parse_text(
        "a) Sở Tài chính, Cục thuế tỉnh theo chức năng, nhiệm vụ phối hợp với sở, ngành có liên quan:\n"
        "- Tăng cường quản lý thu ngân sách.\n"
        "- Chỉ đạo các chi cục thuế chống thất thu.\n",
        gazetteer,
    )
    assert [leads(t) for t in proposal.tasks] == [{"STC", "CT"}, {"STC", "CT"}]
    assert [t.item for t in proposal.tasks] == [1, 2]
    assert proposal.tasks[0].leads[1].phrase == "Cục thuế tỉnh"  # "theo chức năng, nhiệm vụ" is not the name


def test_what_the_issuer_sets_out_is_a_priority_not_a_task(gazetteer):
    proposal = parse_text(
        "2. Ủy ban nhân dân tỉnh xác định 03 nhóm nhiệm vụ trọng tâm, cụ thể như sau:\n"
        "Thứ nhất, tập trung tháo gỡ khó khăn cho sản xuất.\nThứ hai, đẩy mạnh cải cách hành chính.\n",
        gazetteer,
    )
    assert proposal.tasks == []
    assert [p.name for p in proposal.priorities] == [
        "tập trung tháo gỡ khó khăn cho sản xuất",
        "đẩy mạnh cải cách hành chính",
    ]


def test_the_execution_clause_is_not_a_task_but_names_the_addressees(gazetteer):
    proposal = parse_text(
        "1. Tiếp tục rà soát thủ tục hành chính.\n"
        "2. Kết quả cải cách hành chính là cơ sở đánh giá thi đua.\n"
        "3. Thủ trưởng các sở, ban, ngành tỉnh chịu trách nhiệm thi hành Chỉ thị này./.\n",
        gazetteer,
    )
    assert [t.source.line for t in proposal.tasks] == [1]
    assert leads(proposal.tasks[0]) == {"@departments"}


def test_asking_everyone_to_carry_the_letter_out_is_not_a_task(gazetteer):
    proposal = parse_text(
        "1. Sở Tài chính chủ trì theo dõi tình hình giải ngân, báo cáo hằng tháng.\n\n"
        "Yêu cầu thủ trưởng các cơ quan, đơn vị triển khai thực hiện./.\n",
        gazetteer,
    )
    assert [t.source.line for t in proposal.tasks] == [1]
    # A request with a duty of its own still is one.
    proposal = parse_text(
        "Yêu cầu Sở Y tế triển khai thực hiện tiêm chủng mở rộng trước ngày 30/6/2023.\n", gazetteer
    )
    assert len(proposal.tasks) == 1


# Deadlines ----------------------------------------------------------------------------------------------------


def deadline(text: str, year: int | None = 2023):
    line = Line.make(1, text)
    return DeadlineFinder(year).find([(line, 0, len(text))])


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("gửi Sở Tài chính trước ngày 30/9/2023", "date", datetime.date(2023, 9, 30)),
        ("báo cáo trước 14 giờ ngày 05/12/2017", "date", datetime.date(2017, 12, 5)),
        ("hoàn thành chậm nhất ngày 15 tháng 01 năm 2024", "date", datetime.date(2024, 1, 15)),
        ("hoàn thành trong quý I/2023", "period", datetime.date(2023, 3, 31)),
        ("trình trong quý II năm 2024", "period", datetime.date(2024, 6, 30)),
        ("tổng hợp kết quả 6 tháng đầu năm", "period", datetime.date(2023, 6, 30)),
        ("Trong năm 2023, hoàn thành đưa vào khai thác", "period", datetime.date(2023, 12, 31)),
        ("phấn đấu đến cuối năm 2023 đạt chuẩn", "period", datetime.date(2023, 12, 31)),
        ("cấp phát xong trong tháng 01/2023", "period", datetime.date(2023, 1, 31)),
    ],
)
def test_dates_and_periods(text, kind, value):
    found = deadline(text)
    assert (found.kind, found.value) == (kind, value)
    assert found.source.start < found.source.end


@pytest.mark.parametrize(
    "text, recurrence",
    [
        ("báo cáo Ủy ban nhân dân tỉnh hằng tháng", "monthly"),
        ("định kỳ hằng quý tổng hợp kết quả", "quarterly"),
        ("xây dựng kế hoạch triển khai thực hiện hàng năm", "yearly"),
        ("tổ chức họp giao ban tháng kiểm điểm tình hình", "monthly"),
        ("định kỳ 6 tháng báo cáo", "half_yearly"),
        ("báo cáo trước ngày 25 hằng tháng", "monthly"),
    ],
)
def test_recurrences(text, recurrence):
    found = deadline(text)
    assert (found.kind, found.recurrence) == ("recurring", recurrence)


@pytest.mark.parametrize(
    "text",
    [
        "thường xuyên kiểm tra, giám sát",
        "thực hiện đầy đủ các chính sách trong dịp Tết Nguyên đán",
        "theo Kế hoạch số 206/KH-UBND ngày 04/11/2022 của Ủy ban nhân dân tỉnh",
        "tiếp công dân định kỳ, thường xuyên",
        "đẩy nhanh giải ngân ngay từ đầu năm 2023",
        "theo kế hoạch đầu tư công trung hạn và hàng năm",
        "tham gia cứu hộ khi có yêu cầu",
        "Đề án phát triển du lịch đến năm 2025",
    ],
)
def test_not_deadlines(text):
    assert deadline(text).kind == "none"


# Targets ------------------------------------------------------------------------------------------------------


def targets(text: str):
    return find_targets(Line.make(1, text), 0, len(text))


def test_reach_at_least():
    (target,) = targets("giải ngân đạt từ 95% kế hoạch vốn đầu tư công năm 2023")
    assert (target.comparator, target.value, target.unit, target.direction) == (">=", 95.0, "%", None)
    assert target.indicator == "giải ngân"


def test_decrease_by_percentage_points():
    (target,) = targets("tỷ lệ hộ nghèo giảm ít nhất 0,8 điểm % so với năm 2022")
    assert (target.direction, target.comparator, target.value, target.unit) == (
        "decrease",
        ">=",
        0.8,
        "điểm %",
    )
    assert target.indicator == "tỷ lệ hộ nghèo"


def test_rise_in_rank_and_a_shared_predicate():
    found = targets(
        "Phấn đấu tăng ít nhất 05 bậc vị trí xếp hạng của Chỉ số PAR INDEX; Chỉ số hài lòng (SIPAS)."
    )
    assert [(t.direction, t.value, t.unit) for t in found] == [
        ("increase", 5.0, "bậc"),
        ("increase", 5.0, "bậc"),
    ]
    assert found[1].indicator == "Chỉ số hài lòng (SIPAS)"


def test_two_numbers_share_one_verb_and_a_horizon():
    found = targets("để đến năm 2026 đạt chỉ tiêu giảm 5% biên chế công chức và 10% biên chế viên chức")
    assert [(t.value, t.direction, t.due) for t in found] == [
        (5.0, "decrease", datetime.date(2026, 12, 31)),
        (10.0, "decrease", datetime.date(2026, 12, 31)),
    ]


def test_numbers_without_a_target_word_are_not_targets():
    assert targets("Quyết định số 1046/QĐ-TTg, giai đoạn 2021 - 2025, 03 vùng kinh tế, Phụ lục 1") == []


# The document and the spans -----------------------------------------------------------------------------------


def test_the_header_of_chi_thi_04(gazetteer):
    from intake.parsing.api import SOURCES_DIR

    text = next(SOURCES_DIR.glob("000_*.txt")).read_text(encoding="utf-8")
    proposal = parse_text(text, gazetteer)
    d = proposal.directive
    assert (d.type, d.number, d.issue_date, d.place) == (
        "chi_thi",
        "04/CT-UBND",
        datetime.date(2023, 3, 14),
        "Cà Mau",
    )
    assert (d.signer_title, d.signer) == ("Phó Chủ tịch", "Lâm Văn Bi")
    assert d.title.startswith("Về việc nâng cao hiệu lực")
    lines = proposal.lines
    for name, span in d.sources.items():
        assert lines[span.line - 1][span.start : span.end].strip(), name
    assert (
        lines[d.sources["number"].line - 1][d.sources["number"].start : d.sources["number"].end]
        == "04 /CT-UBND"
    )


def test_every_span_points_at_what_it_names(gazetteer):
    from intake.parsing.api import SOURCES_DIR

    text = next(SOURCES_DIR.glob("003_*.txt")).read_text(encoding="utf-8")
    proposal = parse_text(text, gazetteer)
    lines = proposal.lines
    for task in proposal.tasks:
        assert lines[task.source.line - 1][task.source.start : task.source.end] == task.text.split("\n")[0]
        for ref in task.leads + task.supports:
            assert lines[ref.source.line - 1][ref.source.start : ref.source.end] == ref.phrase
        if task.deadline.source:
            span = task.deadline.source
            assert lines[span.line - 1][span.start : span.end] == task.deadline.phrase
        for target in task.targets:
            assert lines[target.source.line - 1][target.source.start : target.source.end] == target.phrase
