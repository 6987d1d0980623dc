"""History with no gaps: every change to directives, tasks and assignments leaves exactly one
append-only entry with who, when, before and after; the Django admin changes none of them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directives.models import Agency, Assignment, Directive, PriorityGroup, Task
from tracking import services
from tracking.models import AppendOnlyError, DirectiveEvent, TaskEvent
from tracking.templatetags.tracking_tags import changes

from ..conftest import NOW, TODAY
from ..workflow import office_task
from .test_services import snapshot

pytestmark = pytest.mark.usefixtures("frozen")


def html(response) -> str:
    return response.content.decode()


def everything():
    """The rows a refused change must leave as they are, histories included."""
    return (
        snapshot(),
        list(Directive.objects.order_by("pk").values()),
        list(Task.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
        list(DirectiveEvent.objects.order_by("pk").values_list("pk", flat=True)),
        list(TaskEvent.objects.order_by("pk").values_list("pk", flat=True)),
    )


@pytest.fixture
def directive(people):
    return services.save_directive(
        people["office"],
        None,
        number="15/KH-UBND",
        type="ke_hoach",
        issue_date=datetime.date(2026, 11, 2),
        issuer="UBND tỉnh Cà Mau",
        summary="Kế hoạch thử nghiệm",
    )


# Directives -------------------------------------------------------------------------------------


def test_a_new_directive_leaves_one_entry(people, directive):
    event = DirectiveEvent.objects.get()
    assert (event.kind, event.actor, event.at, event.directive) == (
        "created",
        people["office"],
        NOW,
        directive,
    )
    assert event.before == {}
    assert event.after["number"] == "15/KH-UBND" and event.after["issue_date"] == "2026-11-02"


def test_a_directive_edit_leaves_one_entry_with_the_changed_fields(people, directive, frozen):
    frozen.shift(datetime.timedelta(minutes=5))
    services.save_directive(
        people["admin"],
        directive,
        number="15/KH-UBND",
        type="quyet_dinh",
        issue_date=datetime.date(2026, 11, 3),
        issuer="UBND tỉnh Cà Mau",
        summary="Kế hoạch đã sửa",
        file=None,
    )
    event = DirectiveEvent.objects.get(kind="changed")
    assert (event.actor, event.at) == (people["admin"], NOW + datetime.timedelta(minutes=5))
    assert event.before == {"type": "ke_hoach", "issue_date": "2026-11-02", "summary": "Kế hoạch thử nghiệm"}
    assert event.after == {"type": "quyet_dinh", "issue_date": "2026-11-03", "summary": "Kế hoạch đã sửa"}
    assert changes(event) == [
        ("Loại văn bản", "Kế hoạch", "Quyết định"),
        ("Ngày ban hành", "02/11/2026", "03/11/2026"),
        ("Trích yếu", "Kế hoạch thử nghiệm", "Kế hoạch đã sửa"),
    ]


def test_a_directive_saved_unchanged_leaves_no_entry(people, directive):
    services.save_directive(people["office"], directive, summary="Kế hoạch thử nghiệm", file=None)
    assert DirectiveEvent.objects.count() == 1


def test_the_edit_form_records_the_stored_value_as_before(client, people, directive):
    """The edit form writes its values onto the instance while it validates; the entry's "before"
    is still what was stored."""
    client.force_login(people["office"])
    response = client.post(
        reverse("directive-edit", args=[directive.pk]),
        {
            "number": "15/KH-UBND",
            "type": "ke_hoach",
            "issue_date": "02/11/2026",
            "issuer": "UBND tỉnh Cà Mau",
            "signer": "Nguyễn Văn A",
            "signer_title": "Phó Chủ tịch",
            "summary": "Kế hoạch thử nghiệm",
        },
    )
    assert response.status_code == 302
    event = DirectiveEvent.objects.get(kind="changed")
    assert event.actor == people["office"]
    assert event.before == {"signer": "", "signer_title": ""}
    assert event.after == {"signer": "Nguyễn Văn A", "signer_title": "Phó Chủ tịch"}
    page = html(client.get(directive.get_absolute_url()))
    history = page[page.index('id="directive-history"') :]
    assert "Sửa văn bản" in history and "Thêm văn bản" in history
    assert "Người ký: – → Nguyễn Văn A; Chức vụ người ký: – → Phó Chủ tịch" in history
    assert history.index("Sửa văn bản") < history.index("Thêm văn bản")  # newest first


@pytest.mark.parametrize("role", ["leader", "lead_officer", "unrelated_officer"])
def test_others_may_not_edit_a_directive(client, people, directive, role):
    client.force_login(people[role])
    before = everything()
    response = client.post(
        reverse("directive-edit", args=[directive.pk]), {"type": "cong_van", "summary": "Sửa trái phép"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.save_directive(people[role], directive, summary="Sửa trái phép")
    assert everything() == before


def test_the_directive_page_runs_the_same_queries_however_long_its_history(client, people, directive):
    client.force_login(people["leader"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(directive.get_absolute_url()).status_code == 200
        return len(captured)

    first = queries()
    for n in range(12):
        services.save_directive(people["office"], directive, summary=f"Lần sửa {n}", file=None)
    assert DirectiveEvent.objects.count() == 13
    assert queries() == first


def test_the_directive_history_is_append_only(directive):
    event = DirectiveEvent.objects.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        DirectiveEvent.objects.filter(pk=event.pk).update(after={})
    with pytest.raises(AppendOnlyError):
        DirectiveEvent.objects.filter(pk=event.pk).delete()


# Tasks and assignments: each kind of change, exactly one entry ---------------------------------


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def _report(people, task, a):
    services.record_progress(
        people["lead_officer"], a, version=a.version, reported_on=TODAY, percent=40, text="Đang làm"
    )


def _propose(people, task, a):
    services.propose_completion(people["lead_officer"], a, version=a.version, delivered_on=TODAY, text="Xong")


def _confirm(people, task, a):
    services.confirm_completion(people["office"], a, version=a.version)


def _return(people, task, a):
    services.return_completion(people["office"], a, version=a.version, reason="Thiếu hồ sơ")


def _request_extension(people, task, a):
    services.request_extension(
        people["lead_officer"],
        a,
        version=a.version,
        new_deadline=TODAY + datetime.timedelta(days=40),
        reason="x",
    )


def _decide_extension(people, task, a):
    services.decide_extension(people["office"], a.extensions.get(), approve=True)


def _urge(people, task, a):
    services.urge(people["office"], [a], message="Khẩn trương")


def _reassign(people, task, a):
    services.reassign_lead(
        people["office"], a, version=a.version, agency=Agency.objects.get(code="SYT"), reason="Đúng chức năng"
    )


def _pause(people, task, a):
    services.set_task_state(people["office"], task, state=Assignment.State.PAUSED, reason="Chờ chủ trương")


def _cancel(people, task, a):
    services.set_task_state(people["office"], task, state=Assignment.State.CANCELLED, reason="Không phù hợp")


def _edit_task(people, task, a):
    task = _fresh(task)
    services.update_task(people["office"], task, version=task.version, text="Nội dung đã sửa")


def _regroup_task(people, task, a):
    task = _fresh(task)
    services.update_task(
        people["office"], task, version=task.version, groups=[PriorityGroup.objects.order_by("code").first()]
    )


def _add_lead(people, task, a):
    task = _fresh(task)
    leads = [a.agency, Agency.objects.get(code="SYT")]
    services.update_task(people["office"], task, version=task.version, leads=leads)


def _comment(people, task, a):
    services.add_comment(people["leader"], task, text="Ưu tiên")


def _contribute(people, task, a):
    services.add_contribution(people["other_officer"], task, text="Đã phối hợp")


# change: (a set-up step that leaves its own entry, the change, its kind, actor, a key it records)
CHANGES = {
    "report": (None, _report, "report", "lead_officer", "percent"),
    "propose": (None, _propose, "proposed", "lead_officer", "state"),
    "confirm": (_propose, _confirm, "completed", "office", "state"),
    "return": (_propose, _return, "returned", "office", "proposed_on"),
    "request_extension": (
        None,
        _request_extension,
        "extension_requested",
        "lead_officer",
        "requested_deadline",
    ),
    "decide_extension": (_request_extension, _decide_extension, "extension_decided", "office", "deadline"),
    "urge": (None, _urge, "urged", "office", "last_urged_on"),
    "reassign": (None, _reassign, "reassigned", "office", "agency"),
    "pause": (None, _pause, "paused", "office", "state"),
    "cancel": (None, _cancel, "cancelled", "office", "state"),
    "edit_task": (None, _edit_task, "changed", "office", "text"),
    "regroup_task": (None, _regroup_task, "changed", "office", "groups"),
    "add_lead": (None, _add_lead, "created", "office", "agency"),
    "comment": (None, _comment, "comment", "leader", "comment"),
    "contribute": (None, _contribute, "contribution", "other_officer", "contribution"),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_each_change_leaves_exactly_one_entry(people, frozen, name):
    setup, change, kind, actor, key = CHANGES[name]
    task, assignment = office_task(people["office"], supporters=("STC",))
    if setup:
        setup(people, task, _fresh(assignment))
    frozen.shift(datetime.timedelta(minutes=7))
    known = set(TaskEvent.objects.values_list("pk", flat=True))
    change(people, task, _fresh(assignment))
    added = list(TaskEvent.objects.exclude(pk__in=known))
    assert len(added) == 1, [e.kind for e in added]
    event = added[0]
    assert (event.kind, event.actor, event.task_id) == (kind, people[actor], task.pk)
    assert event.at == NOW + datetime.timedelta(minutes=7)
    assert key in event.after
    if name not in ("comment", "contribute", "add_lead"):  # a new row has no "before"
        assert event.before


def test_the_task_page_shows_group_and_urging_changes_with_labels(client, people):
    task, assignment = office_task(people["office"])
    group = PriorityGroup.objects.order_by("code").first()
    services.update_task(people["office"], task, version=task.version, groups=[group])
    services.urge(people["office"], [_fresh(assignment)], message="Khẩn trương")
    client.force_login(people["leader"])
    page = html(client.get(task.get_absolute_url()))
    assert f"Nhóm nhiệm vụ: – → {group.code}" in page
    assert f"Đôn đốc gần nhất: – → {TODAY:%d/%m/%Y}" in page


# The Django admin: directives, tasks and assignments are read-only there ------------------------


def admin_client(people) -> Client:
    client = Client()
    client.force_login(people["admin"])
    return client


def test_the_admin_shows_but_does_not_change_directives_tasks_and_assignments(people, directive):
    task, assignment = office_task(people["office"])
    client = admin_client(people)
    # Shown, with the way to the app's page.
    for name, obj in [("directive", directive), ("task", task)]:
        page = client.get(reverse(f"admin:directives_{name}_change", args=[obj.pk]))
        assert page.status_code == 200
        assert "Mở trang trong ứng dụng" in html(page) and obj.get_absolute_url() in html(page)
        assert 'name="_save"' not in html(page)
        assert client.get(reverse(f"admin:directives_{name}_changelist")).status_code == 200
    before = everything()
    # The issue's example: an assignment marked done through the task's inline.
    done = {
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "1",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-id": str(assignment.pk),
        "assignments-0-task": str(task.pk),
        "assignments-0-agency": str(assignment.agency_id),
        "assignments-0-agency_name": assignment.agency_name,
        "assignments-0-state": "done",
        "assignments-0-completed_on": TODAY.isoformat(),
        "assignments-0-percent": "100",
        "directive": str(task.directive_id),
        "clause": task.clause,
        "item": str(task.item),
        "text": "Sửa trong trang quản trị",
        "deadline_kind": "none",
        "_save": "Lưu",
    }
    refused = [
        (reverse("admin:directives_task_change", args=[task.pk]), done),
        (reverse("admin:directives_task_delete", args=[task.pk]), {"post": "yes"}),
        (reverse("admin:directives_task_add"), done),
        (
            reverse("admin:directives_directive_change", args=[directive.pk]),
            {"reference": "X", "type": "cong_van", "summary": "Sửa trong trang quản trị"},
        ),
        (reverse("admin:directives_directive_delete", args=[directive.pk]), {"post": "yes"}),
        (reverse("admin:directives_directive_add"), {"reference": "Y", "type": "cong_van", "summary": "Mới"}),
        (reverse("admin:tracking_taskevent_delete", args=[TaskEvent.objects.first().pk]), {"post": "yes"}),
        (
            reverse("admin:tracking_directiveevent_delete", args=[DirectiveEvent.objects.get().pk]),
            {"post": "yes"},
        ),
    ]
    for url, data in refused:
        assert client.post(url, data).status_code == 403, url
    # Nor through the lists' bulk delete, which is not offered.
    for name, pk in [("directive", directive.pk), ("task", task.pk)]:
        client.post(
            reverse(f"admin:directives_{name}_changelist"),
            {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
        )
    assert everything() == before
    assert _fresh(assignment).state == Assignment.State.OPEN


def test_the_office_without_admin_access_is_sent_to_log_in(people, directive):
    client = Client()
    client.force_login(people["office"])
    before = everything()
    response = client.post(
        reverse("admin:directives_directive_change", args=[directive.pk]), {"summary": "Sửa"}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert everything() == before
