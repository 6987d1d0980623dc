"""The workflow pages over HTTP: the workspace, the review queue, the task page, the forms in place
(htmx) and without JavaScript, bad input and conflicts, and their query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directives.models import Agency, Assignment, Directive, Task
from tracking import services
from tracking.models import Comment, Extension, ProgressReport, TaskEvent, Urging

from ..conftest import NOW, TODAY
from ..workflow import office_task
from .test_services import snapshot

pytestmark = pytest.mark.usefixtures("frozen")
HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, user):
    client.force_login(user)
    return client


def alerts(response) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(r'role="alert">(.*?)</', response.content.decode(), re.S)
    ]


def make_load(n: int) -> None:
    """n tasks led by SKHDT and supported by STC, each proposed, with an extension request, an
    urging and a comment: everything the workspace and the review queue list."""
    directive = Directive.objects.create(
        reference=f"LOAD-{n}", number=f"{n}/TB-TEST", type="thong_bao", summary="Tải"
    )
    skhdt, stc = Agency.objects.get(code="SKHDT"), Agency.objects.get(code="STC")
    tasks = Task.objects.bulk_create(
        [
            Task(
                directive=directive,
                clause=f"L.{i}",
                text=f"Nhiệm vụ tải {i}",
                deadline=TODAY + datetime.timedelta(days=i % 30 - 10),
            )
            for i in range(n)
        ]
    )
    Task.supporting_agencies.through.objects.bulk_create(
        [Task.supporting_agencies.through(task_id=t.pk, agency_id=stc.pk) for t in tasks]
    )
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                task=t,
                agency=skhdt,
                agency_name=skhdt.name,
                assigned_on=TODAY,
                deadline=t.deadline,
                state=Assignment.State.PROPOSED if i % 2 else Assignment.State.OPEN,
                proposed_on=TODAY,
            )
            for i, t in enumerate(tasks)
        ]
    )
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                assignment=a,
                agency=skhdt,
                reported_on=TODAY,
                percent=100,
                text="Xong",
                proposes_completion=True,
            )
            for a in assignments
        ]
    )
    Extension.objects.bulk_create(
        [
            Extension(
                assignment=a,
                requested_on=TODAY,
                reason="Chờ",
                old_deadline=a.deadline,
                new_deadline=a.deadline + datetime.timedelta(days=30),
            )
            for a in assignments
        ]
    )
    Urging.objects.bulk_create([Urging(assignment=a, at=NOW, message="Khẩn trương") for a in assignments])
    Comment.objects.bulk_create([Comment(task=t, at=NOW, text="Chỉ đạo") for t in tasks])


def count(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(queries)


def test_workspace_and_review_query_counts_do_not_grow(client, people):
    agency_client = login(client.__class__(), people["lead_officer"])
    office_client = login(client.__class__(), people["office"])
    make_load(10)
    small = {
        "workspace": count(agency_client, reverse("workspace")),
        "workspace-support": count(login(client.__class__(), people["other_officer"]), reverse("workspace")),
        "review": count(office_client, reverse("review")),
    }
    make_load(1000)
    large = {
        "workspace": count(agency_client, reverse("workspace")),
        "workspace-support": count(login(client.__class__(), people["other_officer"]), reverse("workspace")),
        "review": count(office_client, reverse("review")),
    }
    assert small == large == {"workspace": 15, "workspace-support": 16, "review": 10}


def test_task_page_query_count_is_the_same_for_every_role(client, people):
    task, assignment = office_task(people["office"])
    services.add_comment(people["leader"], task, text="Chỉ đạo")
    url = reverse("task-detail", args=[task.pk])
    counts = {role: count(login(client.__class__(), people[role]), url) for role in people}
    for _ in range(5):
        services.urge(people["office"], [assignment], message="Đôn đốc")
        services.add_contribution(people["other_officer"], task, text="Phối hợp")
    assert counts == {role: count(login(client.__class__(), people[role]), url) for role in people}
    # The same for every role: the user's own agency comes with the user (accounts.backends); "does my
    # agency support it?" reads the supporting agencies the page lists anyway (it was one more query
    # before tracking.permissions.allowed_actions).
    assert counts == dict.fromkeys(people, 16)  # + the targets the task serves


@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        (
            "lead_officer",
            ["Báo cáo tiến độ", "Đề nghị hoàn thành", "Xin gia hạn"],
            ["Đôn đốc</a>", "Thêm ý kiến chỉ đạo", "Gửi ý kiến phối hợp"],
        ),
        ("other_officer", ["Gửi ý kiến phối hợp"], ["Báo cáo tiến độ</a>", "Đôn đốc</a>"]),
        ("unrelated_officer", [], ["Báo cáo tiến độ</a>", "Gửi ý kiến phối hợp", "Đôn đốc</a>"]),
        ("leader", ["Thêm ý kiến chỉ đạo"], ["Báo cáo tiến độ</a>", "Đôn đốc</a>"]),
        (
            "office",
            ["Đôn đốc</a>", "Chuyển chủ trì", "Sửa nhiệm vụ", "Tạm dừng"],
            ["Báo cáo tiến độ</a>", "Thêm ý kiến chỉ đạo"],
        ),
    ],
)
def test_task_page_offers_each_role_only_its_actions(client, people, role, shown, hidden):
    task, _a = office_task(people["office"])
    html = login(client, people[role]).get(reverse("task-detail", args=[task.pk])).content.decode()
    for text in shown:
        assert text in html, text
    for text in hidden:
        assert text not in html, text


def test_workspace_lists_overdue_first_and_shows_urgings_and_comments(client, people):
    _t, later = office_task(people["office"], deadline=TODAY + datetime.timedelta(days=30))
    t2, late = office_task(people["office"], deadline=TODAY - datetime.timedelta(days=2))
    services.urge(people["office"], [late], message="Đề nghị báo cáo ngay")
    services.add_comment(people["leader"], t2, text="Tập trung hoàn thành")
    html = login(client, people["lead_officer"]).get(reverse("workspace")).content.decode()
    assert html.index(f'id="row-{late.pk}"') < html.index(f'id="row-{later.pk}"')
    assert "Đề nghị báo cáo ngay" in html and "Tập trung hoàn thành" in html
    assert "được đôn đốc 22/11/2026" in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"agency": "KHONGCO"}, "Cơ quan “KHONGCO” không có trong danh sách."),
        ({"page": "999999"}, "Trang “999999” không tồn tại"),
    ],
)
def test_workspace_bad_input_is_a_message(client, people, params, message):
    response = login(client, people["lead_officer"]).get(reverse("workspace"), params)
    assert response.status_code == 400
    assert any(message in a for a in alerts(response))


def test_review_is_for_the_office(client, people):
    for role in ("leader", "lead_officer"):
        assert login(client, people[role]).get(reverse("review")).status_code == 403


def test_report_in_place_with_htmx_returns_the_updated_row(client, people):
    _t, assignment = office_task(people["office"])
    login(client, people["lead_officer"])
    url = reverse("report-progress", args=[assignment.pk]) + "?from=workspace"
    form = client.get(url, **HTMX)
    assert form.status_code == 200 and b"<html" not in form.content and b'name="percent"' in form.content
    response = client.post(
        url, {"version": 0, "reported_on": "22/11/2026", "percent": "45", "text": "Đang làm"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#row-{assignment.pk}"
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="row-{assignment.pk}"') and "45%" in html
    assert "Đã gửi báo cáo tiến độ 45%." in html


def test_report_without_javascript_redirects_to_the_task(client, people):
    task, assignment = office_task(people["office"])
    login(client, people["lead_officer"])
    response = client.post(
        reverse("report-progress", args=[assignment.pk]),
        {"version": 0, "reported_on": "22/11/2026", "percent": "45", "text": "Đang làm"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == task.get_absolute_url()
    assert "Đã gửi báo cáo tiến độ 45%." in response.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"percent": "150"}, "Tiến độ phải từ 0 đến 100%."),
        ({"percent": "abc"}, "Tiến độ phải là số nguyên từ 0 đến 100."),
        ({"text": ""}, "Chưa nhập nội dung báo cáo."),
        ({"reported_on": "31/02/2026"}, "Ngày “31/02/2026” không hợp lệ"),
        ({"version": "x"}, "Biểu mẫu đã cũ hoặc không hợp lệ"),
    ],
)
def test_bad_report_input_is_a_vietnamese_message_and_nothing_changes(client, people, data, message):
    _t, assignment = office_task(people["office"])
    login(client, people["lead_officer"])
    before = snapshot()
    response = client.post(
        reverse("report-progress", args=[assignment.pk]),
        {"version": 0, "reported_on": "22/11/2026", "percent": "45", "text": "Đang làm"} | data,
        **HTMX,
    )
    assert response.status_code == 400
    assert any(message in a for a in alerts(response)), alerts(response)
    assert snapshot() == before


def test_a_file_of_the_wrong_kind_is_refused_over_http(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _t, assignment = office_task(people["office"])
    login(client, people["lead_officer"])
    before = snapshot()
    response = client.post(
        reverse("report-progress", args=[assignment.pk]),
        {
            "version": 0,
            "reported_on": "22/11/2026",
            "percent": "45",
            "text": "x",
            "file": SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 400
    assert any("không đúng định dạng PDF" in a for a in alerts(response))
    assert snapshot() == before


def test_a_stale_form_is_a_conflict_that_keeps_the_users_text(client, people):
    _t, assignment = office_task(people["office"])
    services.record_progress(
        people["lead_officer"], assignment, version=0, reported_on=TODAY, percent=30, text="Trước"
    )
    login(client, people["lead_officer"])
    before = snapshot()
    response = client.post(
        reverse("report-progress", args=[assignment.pk]),
        {"version": 0, "reported_on": "22/11/2026", "percent": "80", "text": "Nội dung của tôi"},
        **HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "đã được người khác cập nhật" in html and "tiến độ 30%" in html
    assert "Nội dung của tôi" in html and 'name="version" value="1"' in html
    assert snapshot() == before


def test_a_stale_task_edit_is_a_conflict_that_keeps_the_input_and_shows_the_stored_task(client, people):
    task, _assignment = office_task(people["office"], text="Nội dung đã lưu")
    services.update_task(people["office"], task, version=0, text="Nội dung người khác sửa")
    login(client, people["office"])
    before = snapshot()
    lead = Agency.objects.get(code="SKHDT")
    response = client.post(
        reverse("task-edit", args=[task.pk]),
        {
            "version": "0",
            "clause": task.clause,
            "item": str(task.item),
            "text": "Nội dung tôi gõ",
            "deadline_kind": "date",
            "deadline": "31/12/2026",
            "leads": [str(lead.pk)],
        },
        **HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "đã được người khác cập nhật" in html and "Nội dung người khác sửa" in html
    # The rebuilt form keeps what was typed and moves to the current version…
    assert "Nội dung tôi gõ" in html and 'name="version" value="1"' in html
    assert re.search(rf'<option value="{lead.pk}" selected', html)
    assert snapshot() == before


def test_a_refused_task_edit_shows_the_task_as_stored(client, people):
    task, _a = office_task(people["office"], text="Nội dung đã lưu")
    other, _b = office_task(people["office"])
    login(client, people["office"])
    before = snapshot()
    response = client.post(
        reverse("task-edit", args=[task.pk]),
        {
            "version": "0",
            "clause": other.clause,
            "item": str(other.item),  # the clause of another task: the service refuses it
            "text": "Nội dung tôi gõ",
            "deadline_kind": "date",
            "deadline": "31/12/2026",
            "leads": [str(Agency.objects.get(code="SKHDT").pk)],
        },
    )
    assert response.status_code == 400
    assert alerts(response) == ["Văn bản đã có nhiệm vụ ở mục này; chọn số thứ tự ý khác."]
    # The form validated the model on its own copy: the page still shows the stored text.
    html = response.content.decode()
    assert '<p class="tasktext">Nội dung đã lưu</p>' in html
    assert snapshot() == before


def test_review_queue_confirms_in_place(client, people):
    _t, assignment = office_task(people["office"])
    services.propose_completion(
        people["lead_officer"], assignment, version=0, delivered_on=TODAY, text="Đã xong"
    )
    login(client, people["office"])
    page = client.get(reverse("review")).content.decode()
    assert f'id="review-proposal-{assignment.pk}"' in page and "Đã xong" in page
    item = f"review-proposal-{assignment.pk}"
    response = client.post(
        reverse("confirm-completion", args=[assignment.pk]) + f"?from=review&item={item}",
        {"version": 1, "completed_on": "22/11/2026"},
        **HTMX,
    )
    assert response["HX-Retarget"] == f"#{item}"
    assert "Đã xác nhận" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).completed_on == TODAY


def test_urging_an_agency_from_the_dashboard(client, people):
    _t, late = office_task(people["office"], deadline=TODAY - datetime.timedelta(days=5))
    login(client, people["office"])
    dashboard = client.get(reverse("dashboard"), {"agency": "SKHDT"}).content.decode()
    assert reverse("urge-agency", args=["SKHDT"]) in dashboard
    response = client.post(
        reverse("urge-agency", args=["SKHDT"]), {"message": "Đề nghị hoàn thành ngay"}, follow=True
    )
    assert "Đã đôn đốc Sở Kế hoạch và Đầu tư" in response.content.decode()
    assert Urging.objects.filter(assignment=late).exists()
    assert TaskEvent.objects.filter(kind=TaskEvent.Kind.URGED, assignment=late).exists()


def test_extension_decision_with_another_date_shows_the_task_as_extended(client, people):
    task, assignment = office_task(people["office"])
    extension = services.request_extension(
        people["lead_officer"],
        assignment,
        version=0,
        new_deadline=TODAY + datetime.timedelta(days=40),
        reason="Chờ",
    )
    login(client, people["office"])
    client.post(
        reverse("decide-extension", args=[extension.pk]),
        {"decision": "approve", "new_deadline": "31/12/2026"},
    )
    html = client.get(reverse("task-detail", args=[task.pk])).content.decode()
    assert "31/12/2026" in html and "đã gia hạn, hạn gốc 02/12/2026" in html
    timeline = html[html.index("Lịch sử") :]
    assert "Đồng ý gia hạn đến 31/12/2026 (thời hạn gốc 02/12/2026)." in timeline
    assert "Thời hạn: 02/12/2026 → 31/12/2026" in timeline


def test_office_creates_a_directive_and_a_task(client, people):
    login(client, people["office"])
    response = client.post(
        reverse("directive-create"),
        {
            "number": "123/UBND-TH",
            "type": "cong_van",
            "issue_date": "20/11/2026",
            "issuer": "UBND tỉnh Cà Mau",
            "summary": "Về việc thử nghiệm",
        },
    )
    directive = Directive.objects.get(number="123/UBND-TH")
    assert response.status_code == 302 and directive.issue_date == datetime.date(2026, 11, 20)
    skhdt, stc = Agency.objects.get(code="SKHDT"), Agency.objects.get(code="STC")
    bad = client.post(
        reverse("task-create", args=[directive.pk]),
        {"clause": "1", "item": "0", "text": "Báo cáo", "deadline_kind": "date", "leads": [skhdt.pk]},
    )
    assert bad.status_code == 400 and any("cần có ngày hết hạn" in a for a in alerts(bad))
    client.post(
        reverse("task-create", args=[directive.pk]),
        {
            "clause": "1",
            "item": "0",
            "text": "Báo cáo",
            "deadline_kind": "date",
            "deadline": "30/11/2026",
            "leads": [skhdt.pk, stc.pk],
        },
    )
    task = directive.tasks.get()
    assert task.assignments.count() == 2 and task.deadline == datetime.date(2026, 11, 30)


def test_the_demo_history_gives_the_review_queue_something_to_show(client, people):
    from demo.simulation.work import simulate_history

    simulate_history(seed=2023)
    html = login(client, people["office"]).get(reverse("review")).content.decode()
    assert "Đề nghị xác nhận hoàn thành (3)" in html and "Đề nghị gia hạn (3)" in html
    assert html.count("mô phỏng") >= 6


def test_without_javascript_the_workspace_form_returns_to_the_workspace(client, people):
    _t, assignment = office_task(people["office"])
    login(client, people["lead_officer"])
    url = reverse("report-progress", args=[assignment.pk]) + "?from=workspace"
    page = client.get(url)
    assert b"<html" in page.content and b'name="percent"' in page.content
    response = client.post(
        url, {"version": 0, "reported_on": "22/11/2026", "percent": "20", "text": "Bắt đầu"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("workspace")
