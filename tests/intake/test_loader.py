"""The real data: counts, a sample of clauses, leads and supporters checked against the seed text."""

import datetime
import json

import pytest
from django.core.management import call_command

from accounts.models import User
from directives.models import Agency, Assignment, Directive, PriorityGroup, Task
from intake.loading.programme import DATA_FILE, SOURCES_DIR, load_programme
from tracking.models import TaskEvent

pytestmark = pytest.mark.django_db

DATA = json.loads(DATA_FILE.read_text(encoding="utf-8"))
DEPARTMENTS = 18
DISTRICTS = 9


def leads(directive_ref, clause, item=0):
    task = Task.objects.get(directive__reference=directive_ref, clause=clause, item=item)
    return sorted(task.assignments.values_list("agency__code", flat=True))


def test_counts(programme):
    assert Agency.objects.count() == 38
    assert Agency.objects.filter(kind=Agency.Kind.DISTRICT).count() == DISTRICTS
    assert Agency.objects.filter(kind=Agency.Kind.DEPARTMENT).count() == DEPARTMENTS
    assert Directive.objects.count() == 3
    assert Task.objects.count() == 209
    part_c = Task.objects.filter(directive__reference="01/CTr-UBND", clause__startswith="C.").count()
    assert 180 <= part_c <= 220
    assert PriorityGroup.objects.filter(kind=PriorityGroup.Kind.FOCUS_GROUP).count() == 5
    assert (
        PriorityGroup.objects.filter(kind=PriorityGroup.Kind.BREAKTHROUGH, parent__code="2023.3").count() == 3
    )
    assert PriorityGroup.objects.filter(kind=PriorityGroup.Kind.FOCUS_AREA).count() == 6
    assert PriorityGroup.objects.filter(kind=PriorityGroup.Kind.TASK_AREA).count() == 11
    # Every task area of part C has tasks, each tagged with its area.
    for n in range(1, 12):
        assert Task.objects.filter(groups__code=f"C.{n}", clause__startswith=f"C.{n}").exists()


def test_the_nine_district_committees(programme):
    names = set(Agency.objects.filter(kind=Agency.Kind.DISTRICT).values_list("name", flat=True))
    for place in [
        "Cà Mau",
        "U Minh",
        "Thới Bình",
        "Trần Văn Thời",
        "Cái Nước",
        "Đầm Dơi",
        "Năm Căn",
        "Phú Tân",
        "Ngọc Hiển",
    ]:
        assert any(name.endswith(place) for name in names), place


def test_directives_as_printed(programme):
    ct04 = Directive.objects.get(reference="04/CT-UBND")
    assert (ct04.number, ct04.issue_date, ct04.signer) == (
        "04/CT-UBND",
        datetime.date(2023, 3, 14),
        "Lâm Văn Bi",
    )
    ctr01 = Directive.objects.get(reference="01/CTr-UBND")
    assert (ctr01.number, ctr01.issue_date, ctr01.type) == (
        "01/CTr-UBND",
        datetime.date(2023, 1, 19),
        "chuong_trinh",
    )
    assert ctr01.signer == "Huỳnh Quốc Việt"
    # The administrative-reform Chỉ thị: its number is not in the capture, so none is invented.
    cchc = Directive.objects.get(reference="CT-CCHC-2021-2030")
    assert cchc.number == "" and cchc.issue_date is None
    assert "cải cách hành chính" in cchc.summary
    assert "(chưa rõ số, ký hiệu)" in str(cchc)


def test_sample_of_clauses_leads_and_supporters(programme):
    assert leads("01/CTr-UBND", "C.1.3", 1) == ["NHNN"]
    assert Task.objects.filter(directive__reference="01/CTr-UBND", clause="C.1.3").count() == 5
    assert leads("01/CTr-UBND", "C.5.2.a", 3) == ["SKHDT"]
    assert leads("01/CTr-UBND", "C.8.5", 1) == ["BHXH"]
    # "Sở Công Thương, Ban Quản lý Khu kinh tế căn cứ chức năng, nhiệm vụ chủ trì": each is a lead.
    assert leads("01/CTr-UBND", "C.6.2.c") == ["BQLKKT", "SCT"]
    # Part D: the deadlines, and the named supporter of the publicity duty.
    d = Task.objects.filter(directive__reference="01/CTr-UBND", clause="D.1")
    assert sorted(d.exclude(deadline=None).values_list("deadline", flat=True)) == [
        datetime.date(2023, 1, 31),
        datetime.date(2023, 12, 20),
    ]
    publicity = Task.objects.get(directive__reference="01/CTr-UBND", clause="D.3")
    assert leads("01/CTr-UBND", "D.3") == ["STTTT"]
    assert list(publicity.supporting_agencies.values_list("code", flat=True)) == ["BTGTU"]
    assert publicity.support_text.startswith("Ban Tuyên giáo Tỉnh ủy, các cơ quan báo chí")
    # Chỉ thị 04: duties a)–g) go to every department and district, each counted apart.
    assert len(leads("04/CT-UBND", "3.a")) == DEPARTMENTS + DISTRICTS
    assert leads("04/CT-UBND", "4") == ["VPUBND"]
    monitoring = Task.objects.get(directive__reference="CT-CCHC-2021-2030", clause="8")
    assert sorted(monitoring.supporting_agencies.values_list("code", flat=True)) == [
        "SNV",
        "STC",
        "STP",
        "STTTT",
    ]


def test_every_task_text_is_verbatim_from_its_source(programme):
    sources = {d["key"]: (SOURCES_DIR / d["source"]).read_text(encoding="utf-8") for d in DATA["directives"]}
    lines = {key: text.splitlines() for key, text in sources.items()}
    for task in Task.objects.select_related("directive"):
        source = sources[task.directive.reference]
        assert task.text in source, task.clause_display
        if task.block_text:
            assert task.block_text in source, task.clause_display
        assert task.text.splitlines()[0][:40] in lines[task.directive.reference][task.source_line - 1]


def test_lead_agencies_are_named_in_the_block_they_come_from(programme):
    """Named leads appear (by name or alias) in their block; group leads come from a group phrase."""
    by_key = {(t["directive"], t["clause"], t.get("item") or 0): t for t in DATA["tasks"]}
    for task in Task.objects.filter(directive__reference="01/CTr-UBND").select_related("directive"):
        text = (task.block_text + " " + task.text).lower()
        entry = by_key[(task.directive.reference, task.clause, task.item)]
        if any(code.startswith("@") for code in entry["leads"]):
            assert "sở, ban, ngành" in text or "huyện" in text, task.clause_display
            continue
        for assignment in task.assignments.select_related("agency"):
            agency = assignment.agency
            names = [agency.name.lower(), *(alias.lower() for alias in agency.aliases)]
            assert any(name in text for name in names), (task.clause_display, agency.code)


def test_loading_twice_changes_nothing(programme):
    before = (Task.objects.count(), Assignment.objects.count(), TaskEvent.objects.count())
    stamps = list(Task.objects.order_by("id").values_list("updated_at", flat=True))
    counts = load_programme()
    assert counts == {"agencies": 0, "groups": 0, "directives": 0, "tasks": 0, "assignments": 0, "changed": 0}
    assert (Task.objects.count(), Assignment.objects.count(), TaskEvent.objects.count()) == before
    assert list(Task.objects.order_by("id").values_list("updated_at", flat=True)) == stamps


def test_each_assignment_has_its_creation_in_the_history(programme):
    assert TaskEvent.objects.filter(kind=TaskEvent.Kind.CREATED).count() == Assignment.objects.count()


def test_command_creates_demo_users_only_with_debug(programme, settings, capsys):
    settings.DEBUG = False
    call_command("load_camau_2023")
    assert not User.objects.exists()
    assert "không tạo tài khoản mẫu" in capsys.readouterr().out
    settings.DEBUG = True
    call_command("load_camau_2023")
    assert set(User.objects.values_list("username", flat=True)) == {
        "vanphong",
        "lanhdao",
        "sokhdt",
        "sotaichinh",
        "admin",
    }
    assert User.objects.get(username="sokhdt").agency.code == "SKHDT"
    assert User.objects.get(username="sotaichinh").agency.code == "STC"
    assert User.objects.get(username="vanphong").check_password("camau2023")
    call_command("load_camau_2023")
    assert User.objects.count() == 5
