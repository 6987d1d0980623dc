"""A month of work built through the write services, on the days it happened.

Reporting month 11/2026 runs 15/10/2026 .. 14/11/2026 (cut-off 14/11); the tests run on 22/11/2026.
Each letter is one assignment whose fate is known, chosen to sit on the rules' edges:

    A  SKHDT  due 31/10, completed 25/10                → done on time, completed in the month
    B  SKHDT  due 20/10, never done; its text is a formula → became overdue in the month (25 days)
    C  STC    due 30/09, completed 20/10                → done late, completed in the month
    D  STC    due 01/10, never done                     → overdue more than 30 days (44); became overdue
                                                          in the previous month
    E  SYT    due 10/11, extended on 06/11 to 15/12     → in progress (extension granted in the month)
    F  SKHDT  no deadline, progress report on 03/11     → no deadline; SKHDT reported in the month
    G  SYT    due 31/12, urged on 12/11                 → in progress; urged in the month
    H  STC    due 30/11, paused on 10/10                → paused (counted apart)
    I  SYT    due 14/10                                 → overdue from 15/10, the first day: became
                                                          overdue in the month
    J  SYT    due 13/10                                 → overdue from 14/10, the previous cut-off day:
                                                          not in the month's list
    K  STC    due 14/11, the cut-off day                → still in progress on time at the cut-off
    L  SKHDT  assigned 20/11, after the cut-off          → not counted at all
"""

import datetime
import zoneinfo

import pytest
import time_machine

from directives.models import Agency, Directive, PriorityGroup
from tracking import services

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
CUT_OFF = D(2026, 11, 14)
START = D(2026, 10, 15)
INJECTION = '=HYPERLINK("http://evil.example/x","Bấm vào đây")'


def at(day: datetime.date, hour: int = 9):
    """Travel to a day in Cà Mau (the services judge "today" there)."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=VN), tick=False)


class Scenario(dict):
    """Assignments by letter, plus the people who made them."""

    people: dict
    directive: Directive


def _task(office, directive, letter, lead, deadline, *, text=None, leader=None, groups=()):
    task = services.create_task(
        office,
        directive,
        leads=[Agency.objects.get(code=lead)],
        groups=list(PriorityGroup.objects.filter(code__in=groups)),
        clause=f"S.{letter}",
        item=0,
        text=text or f"Nhiệm vụ thử nghiệm {letter}: tham mưu, báo cáo kết quả thực hiện",
        deadline_kind="date" if deadline else "none",
        deadline=deadline,
        deadline_text="",
        recurrence="",
        leader=leader,
    )
    return task.assignments.get()


def build_scenario(people) -> Scenario:
    office, leader = people["office"], people["leader"]
    skhdt, stc, syt = people["lead_officer"], people["other_officer"], people["unrelated_officer"]
    result = Scenario()
    with at(D(2026, 9, 1)):
        directive = services.save_directive(
            office,
            None,
            number="99/KH-VPTEST",
            type=Directive.Type.KE_HOACH,
            issue_date=D(2026, 9, 1),
            summary="Kế hoạch thử nghiệm báo cáo tháng",
        )
        result["A"] = _task(
            office, directive, "A", "SKHDT", D(2026, 10, 31), leader=leader, groups=["2023.1"]
        )
        result["B"] = _task(
            office, directive, "B", "SKHDT", D(2026, 10, 20), text=INJECTION, groups=["2023.1", "C.5"]
        )
        result["C"] = _task(office, directive, "C", "STC", D(2026, 9, 30), leader=leader)
        result["D"] = _task(office, directive, "D", "STC", D(2026, 10, 1), groups=["C.5"])
        result["E"] = _task(office, directive, "E", "SYT", D(2026, 11, 10), leader=leader)
        result["F"] = _task(office, directive, "F", "SKHDT", None)
        result["G"] = _task(office, directive, "G", "SYT", D(2026, 12, 31))
        result["H"] = _task(office, directive, "H", "STC", D(2026, 11, 30))
        result["I"] = _task(office, directive, "I", "SYT", D(2026, 10, 14))
        result["J"] = _task(office, directive, "J", "SYT", D(2026, 10, 13))
        result["K"] = _task(office, directive, "K", "STC", D(2026, 11, 14))
    with at(D(2026, 10, 10)):
        services.set_task_state(office, result["H"].task, state="paused", reason="Chờ chủ trương của tỉnh")
    with at(D(2026, 10, 20)):
        a = result["C"]
        services.propose_completion(stc, a, version=a.version, delivered_on=D(2026, 10, 20), text="Đã xong")
    with at(D(2026, 10, 21)):
        a = result["C"].__class__.objects.get(pk=result["C"].pk)
        services.confirm_completion(office, a, version=a.version)
    with at(D(2026, 10, 25)):
        a = result["A"]
        services.propose_completion(skhdt, a, version=a.version, delivered_on=D(2026, 10, 25), text="Đã xong")
    with at(D(2026, 10, 26)):
        a = result["A"].__class__.objects.get(pk=result["A"].pk)
        services.confirm_completion(office, a, version=a.version)
    with at(D(2026, 11, 3)):
        a = result["F"]
        services.record_progress(
            skhdt, a, version=a.version, reported_on=D(2026, 11, 3), percent=30, text="Đang làm"
        )
    with at(D(2026, 11, 5)):
        a = result["E"]
        extension = services.request_extension(
            syt, a, version=a.version, new_deadline=D(2026, 12, 15), reason="Chờ ý kiến Bộ"
        )
    with at(D(2026, 11, 6)):
        services.decide_extension(office, extension, approve=True)
    with at(D(2026, 11, 12)):
        services.urge(office, [result["G"]], message="Đề nghị khẩn trương thực hiện")
    with at(D(2026, 11, 20)):
        result["L"] = _task(office, directive, "L", "SKHDT", D(2026, 12, 20))
    for letter, assignment in result.items():
        result[letter] = assignment.__class__.objects.select_related("task").get(pk=assignment.pk)
    result.people = people
    result.directive = directive
    return result


@pytest.fixture
def scenario(people, frozen):
    """The month above; the test then runs on 22/11/2026 09:00 (tests/conftest.py NOW)."""
    return build_scenario(people)
