"""The write services: what each does, what it refuses, the history it leaves, conflicts."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from directives.models import Agency, Assignment, Directive, Task
from tracking import services
from tracking.classification import Status, classify
from tracking.models import (
    AppendOnlyError,
    Comment,
    Contribution,
    Extension,
    ProgressReport,
    TaskEvent,
    Urging,
)

from .. import factories
from ..conftest import TODAY
from ..workflow import office_task

D = datetime.date
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def setup(people):
    task, assignment = office_task(people["office"])
    return people, task, assignment


def fresh(assignment) -> Assignment:
    return Assignment.objects.get(pk=assignment.pk)


def snapshot():
    """Everything a write could touch, to prove a refused one changed nothing."""
    return (
        list(Assignment.objects.order_by("pk").values()),
        list(Task.objects.order_by("pk").values("pk", "text", "deadline", "version")),
        ProgressReport.objects.count(),
        Extension.objects.order_by("pk").values_list("pk", "status").count(),
        TaskEvent.objects.count(),
        Urging.objects.count(),
        Comment.objects.count(),
        Contribution.objects.count(),
        list(Directive.objects.order_by("pk").values_list("pk", "summary")),
    )


def pdf(name="bao-cao.pdf", size=None):
    content = b"%PDF-1.4\n" + b"0" * ((size or 100) - 9)
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="ket-qua.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


# --- create_task ----------------------------------------------------------------------------------


def test_create_task_makes_one_assignment_per_lead_and_records_it(people):
    task, _a = office_task(people["office"], lead=["SKHDT", "STC"], supporters=["SYT"])
    assert sorted(task.assignments.values_list("agency__code", flat=True)) == ["SKHDT", "STC"]
    assert list(task.supporting_agencies.values_list("code", flat=True)) == ["SYT"]
    for assignment in task.assignments.all():
        assert assignment.assigned_on == TODAY
        assert assignment.deadline == task.deadline
    events = TaskEvent.objects.filter(task=task, kind=TaskEvent.Kind.CREATED)
    assert events.count() == 2 and all(e.actor == people["office"] for e in events)


# --- record_progress ------------------------------------------------------------------------------


def test_record_progress_updates_percent_and_keeps_history(setup):
    people, task, assignment = setup
    report = services.record_progress(
        people["lead_officer"],
        assignment,
        version=assignment.version,
        reported_on=TODAY,
        percent=40,
        text="Đã dự thảo",
        file=pdf(),
    )
    a = fresh(assignment)
    assert (a.percent, a.last_report_on, a.version) == (40, TODAY, assignment.version + 1)
    assert report.file.name.endswith(".pdf") and report.agency.code == "SKHDT"
    event = TaskEvent.objects.filter(assignment=a, kind=TaskEvent.Kind.REPORT).get()
    assert event.before == {"percent": 0, "last_report_on": None}
    assert event.after["percent"] == 40 and event.actor == people["lead_officer"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"percent": 101}, "Tiến độ phải từ 0 đến 100%."),
        ({"percent": -1}, "Tiến độ phải từ 0 đến 100%."),
        ({"text": "   "}, "Chưa nhập nội dung báo cáo."),
        ({"reported_on": TODAY + datetime.timedelta(days=1)}, "là ngày trong tương lai"),
        ({"reported_on": TODAY - datetime.timedelta(days=1)}, "trước ngày giao nhiệm vụ"),
        ({"file": pdf(size=20 * 1024 * 1024 + 1)}, "vượt quá giới hạn 20 MB"),
        ({"file": SimpleUploadedFile("virus.exe", b"MZ...")}, "không được chấp nhận"),
        ({"file": SimpleUploadedFile("gia.pdf", b"<html>not a pdf</html>")}, "không đúng định dạng PDF"),
        ({"file": SimpleUploadedFile("gia.docx", b"%PDF-1.4 renamed")}, "không đúng định dạng DOCX"),
    ],
)
def test_record_progress_refuses_bad_input_and_changes_nothing(setup, kwargs, message):
    people, task, assignment = setup
    before = snapshot()
    values = {"reported_on": TODAY, "percent": 50, "text": "Báo cáo"} | kwargs
    with pytest.raises(services.ServiceError) as error:
        services.record_progress(people["lead_officer"], assignment, version=assignment.version, **values)
    assert message in " ".join(error.value.messages)
    assert snapshot() == before


def test_a_real_docx_is_accepted(setup):
    people, task, assignment = setup
    services.record_progress(
        people["lead_officer"], assignment, version=0, reported_on=TODAY, percent=10, text="x", file=docx()
    )
    assert ProgressReport.objects.filter(assignment=assignment).get().file.name.endswith(".docx")


def test_a_stale_version_is_a_conflict_and_the_first_save_stands(setup):
    people, task, assignment = setup
    services.record_progress(
        people["lead_officer"], assignment, version=0, reported_on=TODAY, percent=30, text="Người thứ nhất"
    )
    before = snapshot()
    with pytest.raises(services.Conflict) as conflict:
        services.record_progress(
            people["lead_officer"], assignment, version=0, reported_on=TODAY, percent=90, text="Người thứ hai"
        )
    assert conflict.value.current.percent == 30 and conflict.value.current.version == 1
    assert snapshot() == before


# --- propose, confirm, return ---------------------------------------------------------------------


def test_propose_then_confirm_completes_on_the_delivery_day(setup, frozen):
    people, task, assignment = setup
    frozen.shift(datetime.timedelta(days=3))
    delivered = TODAY + datetime.timedelta(days=2)
    services.propose_completion(
        people["lead_officer"], assignment, version=0, delivered_on=delivered, text="Đã ban hành", file=pdf()
    )
    a = fresh(assignment)
    assert (a.state, a.proposed_on, a.percent) == (Assignment.State.PROPOSED, delivered, 100)
    # Until the office confirms, it is still in progress.
    assert classify(a, TODAY + datetime.timedelta(days=3)) == Status.IN_PROGRESS
    services.confirm_completion(people["office"], a, version=a.version)
    a = fresh(a)
    assert (a.state, a.completed_on) == (Assignment.State.DONE, delivered)
    assert classify(a, TODAY + datetime.timedelta(days=3)) == Status.DONE_ON_TIME
    kinds = list(TaskEvent.objects.filter(assignment=a).values_list("kind", flat=True))
    assert kinds == ["created", "proposed", "completed"]


def test_return_sends_the_proposal_back_with_a_reason(setup):
    people, task, assignment = setup
    services.propose_completion(
        people["lead_officer"], assignment, version=0, delivered_on=TODAY, text="Xong"
    )
    a = fresh(assignment)
    with pytest.raises(services.ServiceError):
        services.return_completion(people["office"], a, version=a.version, reason="")
    services.return_completion(people["office"], a, version=a.version, reason="Thiếu văn bản")
    a = fresh(a)
    assert (a.state, a.proposed_on) == (Assignment.State.OPEN, None)
    assert "Thiếu văn bản" in TaskEvent.objects.filter(kind=TaskEvent.Kind.RETURNED).get().summary


def test_confirm_requires_a_proposal(setup):
    people, task, assignment = setup
    with pytest.raises(services.ServiceError, match="không ở trạng thái chờ xác nhận"):
        services.confirm_completion(people["office"], assignment, version=0)


# --- extensions -----------------------------------------------------------------------------------


def test_extension_request_and_approval_move_the_deadline_and_keep_the_original(setup, frozen):
    people, task, assignment = setup
    original = task.deadline
    wanted = original + datetime.timedelta(days=20)
    extension = services.request_extension(
        people["lead_officer"], assignment, version=0, new_deadline=wanted, reason="Chờ ý kiến Bộ"
    )
    assert extension.old_deadline == original and extension.status == Extension.Status.PENDING
    # Past the original deadline, before the decision: overdue.
    frozen.shift(datetime.timedelta(days=12))
    day = TODAY + datetime.timedelta(days=12)
    assert classify(assignment, day) == Status.OVERDUE
    other = original + datetime.timedelta(days=15)
    services.decide_extension(people["office"], extension, approve=True, new_deadline=other, note="Đồng ý")
    a = fresh(assignment)
    assert (a.deadline, a.extended_on) == (other, day)
    assert Task.objects.get(pk=task.pk).deadline == original
    assert classify(a, day) == Status.IN_PROGRESS
    # As the office reported it the day before the decision: still overdue.
    assert classify(a, day - datetime.timedelta(days=1)) == Status.OVERDUE


@pytest.mark.parametrize("days", [0, -1])
def test_extension_must_be_after_the_current_deadline(setup, days):
    people, task, assignment = setup
    before = snapshot()
    with pytest.raises(services.ServiceError, match="phải sau thời hạn hiện tại"):
        services.request_extension(
            people["lead_officer"],
            assignment,
            version=0,
            new_deadline=task.deadline + datetime.timedelta(days=days),
            reason="Lý do",
        )
    assert snapshot() == before


def test_only_one_pending_extension_and_rejection_needs_a_reason(setup):
    people, task, assignment = setup
    later = task.deadline + datetime.timedelta(days=5)
    extension = services.request_extension(
        people["lead_officer"], assignment, version=0, new_deadline=later, reason="A"
    )
    with pytest.raises(services.ServiceError, match="đang chờ"):
        services.request_extension(
            people["lead_officer"], assignment, version=1, new_deadline=later, reason="B"
        )
    with pytest.raises(services.ServiceError, match="lý do không đồng ý"):
        services.decide_extension(people["office"], extension, approve=False)
    services.decide_extension(people["office"], extension, approve=False, note="Không có căn cứ")
    assert fresh(assignment).deadline == task.deadline
    with pytest.raises(services.ServiceError, match="đã được quyết định"):
        services.decide_extension(people["office"], extension, approve=True)


def test_no_deadline_tasks_cannot_be_extended(people):
    task, assignment = office_task(people["office"], deadline=None)
    Task.objects.filter(pk=task.pk).update(deadline=None, deadline_kind="none")
    Assignment.objects.filter(pk=assignment.pk).update(deadline=None)
    with pytest.raises(services.ServiceError, match="không có thời hạn"):
        services.request_extension(
            people["lead_officer"], fresh(assignment), version=0, new_deadline=TODAY, reason="x"
        )


# --- urging, comments, contributions --------------------------------------------------------------


def test_urge_overdue_urges_every_overdue_assignment_of_the_agency(people):
    late = [office_task(people["office"], deadline=TODAY - datetime.timedelta(days=d))[1] for d in (1, 40)]
    on_time = office_task(people["office"])[1]
    urgings = services.urge_overdue(people["office"], Agency.objects.get(code="SKHDT"), message="Khẩn trương")
    urged = {u.assignment_id for u in urgings}
    assert {a.pk for a in late} <= urged and on_time.pk not in urged
    assert fresh(late[0]).last_urged_on == TODAY
    assert (
        TaskEvent.objects.filter(kind=TaskEvent.Kind.URGED, assignment=late[1])
        .get()
        .summary.endswith("Khẩn trương")
    )


def test_urge_overdue_with_nothing_overdue_says_so(people):
    with pytest.raises(services.ServiceError, match="không có nhiệm vụ quá hạn"):
        services.urge_overdue(people["office"], factories.agency(), message="x")


def test_comment_and_contribution_are_recorded(setup):
    people, task, assignment = setup
    services.add_comment(people["leader"], task, text="Ưu tiên hoàn thành trước Tết")
    services.add_contribution(people["other_officer"], task, text="Sở Tài chính đã bố trí kinh phí")
    kinds = set(TaskEvent.objects.filter(task=task).values_list("kind", flat=True))
    assert {"comment", "contribution"} <= kinds
    assert Contribution.objects.get().agency.code == "STC"


# --- office edits ---------------------------------------------------------------------------------


def test_update_task_records_before_and_after_and_follows_the_deadline(setup):
    people, task, assignment = setup
    new_deadline = task.deadline + datetime.timedelta(days=3)
    services.update_task(
        people["office"],
        task,
        version=0,
        supporters=list(Agency.objects.filter(code__in=["STC", "SYT"])),
        text="Nội dung mới",
        deadline=new_deadline,
    )
    assert fresh(assignment).deadline == new_deadline
    event = TaskEvent.objects.filter(task=task, kind=TaskEvent.Kind.CHANGED).get()
    assert event.before["text"] == "Tham mưu kế hoạch thử nghiệm" and event.after["text"] == "Nội dung mới"
    assert event.after["supporting_agencies"] == ["STC", "SYT"]
    with pytest.raises(services.Conflict):
        services.update_task(people["office"], task, version=0, text="Bản cũ")
    assert Task.objects.get(pk=task.pk).text == "Nội dung mới"


def test_reassign_keeps_the_old_name_in_history(setup):
    people, task, assignment = setup
    services.reassign_lead(
        people["office"],
        assignment,
        version=0,
        agency=Agency.objects.get(code="SYT"),
        reason="Đúng chức năng",
    )
    a = fresh(assignment)
    assert a.agency.code == "SYT" and a.agency_name == a.agency.name
    event = TaskEvent.objects.filter(kind=TaskEvent.Kind.REASSIGNED).get()
    assert event.before["agency"] == "SKHDT" and event.after["agency"] == "SYT"
    with pytest.raises(services.ServiceError, match="trùng"):
        services.reassign_lead(people["office"], a, version=a.version, agency=a.agency, reason="x")


def test_pause_resume_cancel(setup, frozen):
    people, task, assignment = setup
    assert services.set_task_state(people["office"], task, state=Assignment.State.PAUSED, reason="Chờ") == 1
    assert classify(assignment, TODAY) == Status.PAUSED
    with pytest.raises(services.ServiceError):
        services.record_progress(
            people["lead_officer"], fresh(assignment), version=None, reported_on=TODAY, percent=5, text="x"
        )
    frozen.shift(datetime.timedelta(days=1))
    services.set_task_state(people["office"], task, state=Assignment.State.OPEN, reason="Tiếp tục")
    assert classify(assignment, TODAY + datetime.timedelta(days=1)) == Status.IN_PROGRESS
    services.set_task_state(
        people["office"], task, state=Assignment.State.CANCELLED, reason="Không còn phù hợp"
    )
    assert classify(assignment, TODAY + datetime.timedelta(days=1)) == Status.CANCELLED
    with pytest.raises(services.ServiceError, match="lý do"):
        services.set_task_state(people["office"], task, state=Assignment.State.PAUSED, reason=" ")


# --- permissions at the service level and the append-only history --------------------------------


@pytest.mark.parametrize("who", ["leader", "other_officer", "unrelated_officer"])
def test_only_the_lead_agency_reports(setup, who):
    people, task, assignment = setup
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.record_progress(people[who], assignment, version=0, reported_on=TODAY, percent=5, text="x")
    assert snapshot() == before


def test_history_cannot_be_edited_or_deleted(setup):
    event = TaskEvent.objects.filter(task=setup[1]).first()
    event.summary = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        TaskEvent.objects.filter(pk=event.pk).update(summary="sửa")
    with pytest.raises(AppendOnlyError):
        TaskEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db(transaction=True)
def test_two_users_saving_at_once_one_wins_the_other_gets_a_conflict(people):
    """Real concurrency on the configured database (PostgreSQL in CI): row lock + version check."""
    import threading

    from django.db import connection

    task, assignment = office_task(people["office"])
    barrier = threading.Barrier(2)
    outcomes = []

    def save(percent):
        try:
            barrier.wait()
            services.record_progress(
                people["lead_officer"],
                assignment,
                version=0,
                reported_on=TODAY,
                percent=percent,
                text=f"{percent}",
            )
            outcomes.append("saved")
        except services.Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(p,)) for p in (40, 70)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    a = fresh(assignment)
    assert a.version == 1 and ProgressReport.objects.filter(assignment=a).count() == 1
    assert a.percent == ProgressReport.objects.get(assignment=a).percent


def test_finished_work_is_not_urged(setup):
    people, task, assignment = setup
    services.set_task_state(
        people["office"], task, state=Assignment.State.CANCELLED, reason="Không còn phù hợp"
    )
    before = snapshot()
    with pytest.raises(services.ServiceError, match="không cần đôn đốc"):
        services.urge(people["office"], [fresh(assignment)], message="Khẩn trương")
    assert snapshot() == before


def test_the_history_shows_labels_not_codes(setup):
    from tracking.templatetags.tracking_tags import changes

    people, task, assignment = setup
    services.propose_completion(
        people["lead_officer"], assignment, version=0, delivered_on=TODAY, text="Xong"
    )
    services.confirm_completion(people["office"], fresh(assignment), version=1)
    event = TaskEvent.objects.get(kind=TaskEvent.Kind.COMPLETED)
    assert ("Trạng thái", "Đề nghị hoàn thành", "Đã hoàn thành") in changes(event)
    assert ("Ngày hoàn thành", "–", TODAY.strftime("%d/%m/%Y")) in changes(event)


def test_a_directive_number_taken_meanwhile_is_a_message(people):
    from directives.models import Directive as D_

    D_.objects.create(reference="99/UBND-TH", number="", type="cong_van", summary="Đã có")
    with pytest.raises(services.ServiceError, match="Đã có văn bản số 99/UBND-TH"):
        services.save_directive(people["office"], None, number="99/UBND-TH", type="cong_van", summary="Mới")
