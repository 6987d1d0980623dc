"""The office's intake over HTTP: a document in (pasted, DOCX, PDF), the review screen with its highlights,
corrections in place, "Xác nhận" creating the directive and its tasks in one transaction through the
services (with their history), drafts resumed, permissions, bad input, and query counts."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directives.models import Agency, AgencyGroup, Assignment, Directive, Task
from intake.models import Draft, DraftTask
from tracking.models import DirectiveEvent, TaskEvent

pytestmark = pytest.mark.usefixtures("frozen")
HTMX = {"HTTP_HX_REQUEST": "true"}
CONG_VAN = (Path(__file__).parent / "documents" / "cong_van_giai_ngan.txt").read_text(encoding="utf-8")


def office(client, people):
    client.force_login(people["office"])
    return client


def alerts(response) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(r'role="alert">(.*?)</', response.content.decode(), re.S)
    ]


def paste(client, text=CONG_VAN) -> Draft:
    response = client.post(reverse("intake-home"), {"text": text})
    assert response.status_code == 302, alerts(response)
    draft = Draft.objects.latest("id")
    assert response["Location"] == reverse("intake-review", args=[draft.pk])
    return draft


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def task_post(task: DraftTask, **changes) -> dict:
    data = {
        "clause": task.clause,
        "item": task.item,
        "text": task.text,
        "deadline_kind": task.deadline_kind,
        "deadline": task.deadline.strftime("%d/%m/%Y") if task.deadline else "",
        "deadline_text": task.deadline_text,
        "recurrence": task.recurrence,
        "leads": [a.pk for a in task.leads.all()],
        "supports": [a.pk for a in task.supports.all()],
    }
    data.update(changes)
    return data


# --- A document in -----------------------------------------------------------------------------------


def test_pasted_letter_becomes_a_draft_with_its_fields_tasks_and_spans(client, people):
    draft = paste(office(client, people))
    assert (draft.type, draft.number, draft.issue_date.isoformat()) == (
        "cong_van",
        "5123/UBND-XDHT",
        "2023-09-08",
    )
    assert draft.signer == "Lâm Văn Bi"
    assert draft.state == Draft.State.REVIEW
    tasks = list(draft.tasks.order_by("position"))
    assert [t.clause for t in tasks[:3]] == ["1", "2", "3"]
    # Item 1: the groups expand to every department and district; "các chủ đầu tư" is kept as written.
    first = tasks[0]
    departments = Agency.objects.filter(kind__in=["department", "district"]).count()
    assert first.leads.count() == departments
    assert "các chủ đầu tư" in [p["phrase"] for p in first.lead_phrases if not p["agencies"]]
    assert (first.deadline_kind, first.deadline.isoformat()) == ("date", "2023-09-30")
    assert first.targets and "75%" in first.targets[0]["phrase"]
    # Item 2: monthly report; Kho bạc is not an agency yet: kept as written for the clerk.
    second = tasks[1]
    assert [a.code for a in second.leads.all()] == ["STC"]
    assert (second.deadline_kind, second.recurrence) == ("recurring", "monthly")
    assert [p["phrase"] for p in second.support_phrases] == ["Kho bạc Nhà nước tỉnh"]
    third = tasks[2]
    assert ([a.code for a in third.leads.all()], [a.code for a in third.supports.all()]) == (
        ["SKHDT"],
        ["STC"],
    )
    assert third.deadline.isoformat() == "2023-10-15"
    assert {s["kind"] for s in third.spans} >= {"task", "lead", "support", "deadline"}
    # Nothing is tracked yet.
    assert not Directive.objects.filter(number="5123/UBND-XDHT").exists()


def test_review_screen_highlights_every_span_and_links_text_and_tasks(client, people):
    draft = paste(office(client, people))
    response = client.get(reverse("intake-review", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    third = draft.tasks.get(clause="3")
    assert '<mark class="hl-lead">Sở Kế hoạch và Đầu tư</mark>' in html
    assert '<mark class="hl-support">Sở Tài chính</mark>' in html
    assert '<mark class="hl-deadline">' in html and '<mark class="hl-target">' in html
    assert f'href="#task-{third.pk}"' in html and f'id="task-{third.pk}"' in html
    assert f'href="#line-{third.source_line}"' in html
    assert "Xác nhận" in html and "chưa có cơ quan chủ trì" not in html


def test_docx_upload_is_read_and_kept_for_the_directive(client, people):
    office(client, people)
    upload = SimpleUploadedFile("cong-van-5123.docx", docx_bytes(CONG_VAN))
    response = client.post(reverse("intake-home"), {"file": upload})
    assert response.status_code == 302, alerts(response)
    draft = Draft.objects.latest("id")
    assert (draft.number, draft.tasks.count() >= 3, draft.source_name) == (
        "5123/UBND-XDHT",
        True,
        "cong-van-5123.docx",
    )
    draft.tasks.exclude(clause__in=["1", "2", "3"]).delete()
    response = client.post(reverse("intake-confirm", args=[draft.pk]))
    directive = Directive.objects.get(number="5123/UBND-XDHT")
    assert directive.original_name == "cong-van-5123.docx"
    assert response["Location"] == directive.get_absolute_url()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.doc", b"\xd0\xcf\x11\xe0 old word", "Chỉ đọc được văn bản dạng .docx, .pdf hoặc .txt."),
        ("a.docx", b"not a zip at all", "Tệp DOCX bị hỏng hoặc không phải tệp Word."),
        ("a.pdf", b"%PDF-1.4 broken", "Tệp PDF bị hỏng, không đọc được."),
        ("a.txt", b"   \n  ", "Văn bản không có nội dung đọc được."),
    ],
)
def test_bad_documents_get_a_message_and_nothing_is_saved(client, people, name, content, message):
    office(client, people)
    response = client.post(reverse("intake-home"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in alerts(response)
    assert not Draft.objects.exists()


def test_nothing_given_is_refused(client, people):
    response = office(client, people).post(reverse("intake-home"), {"text": "  "})
    assert response.status_code == 400
    assert "Chưa chọn tệp hoặc dán nội dung văn bản." in alerts(response)


# --- Corrections, confirmation -----------------------------------------------------------------------


def test_correct_an_agency_in_place_then_confirm_creates_everything_with_history(client, people):
    draft = paste(office(client, people))
    draft.tasks.exclude(clause__in=["1", "2", "3"]).delete()
    second = draft.tasks.get(clause="2")
    # The clerk opens the task in place, replaces the lead and adds a supporter by a named group.
    form = client.get(reverse("intake-task", args=[second.pk]), **HTMX)
    assert form.status_code == 200 and 'data-picker=""' in form.content.decode()
    assert "g:trung-uong" in form.content.decode()
    skhdt = Agency.objects.get(code="SKHDT")
    saved = client.post(
        reverse("intake-task", args=[second.pk]),
        task_post(second, leads=[skhdt.pk], supports=["g:trung-uong"]),
        **HTMX,
    )
    assert saved.status_code == 200, alerts(saved)
    assert "Đã lưu." in saved.content.decode()
    second.refresh_from_db()
    assert [a.code for a in second.leads.all()] == ["SKHDT"]
    central = set(Agency.objects.filter(kind="central").values_list("pk", flat=True))
    assert set(second.supports.values_list("pk", flat=True)) == central
    # Still a draft: resumed later, from the list.
    home = client.get(reverse("intake-home"))
    assert reverse("intake-review", args=[draft.pk]) in home.content.decode()
    assert not Directive.objects.filter(number="5123/UBND-XDHT").exists()

    response = client.post(reverse("intake-confirm", args=[draft.pk]), **HTMX)
    directive = Directive.objects.get(number="5123/UBND-XDHT")
    assert response["HX-Redirect"] == directive.get_absolute_url()
    tasks = {t.clause: t for t in directive.tasks.all()}
    assert sorted(tasks) == ["1", "2", "3"]
    assert [a.agency.code for a in tasks["2"].assignments.all()] == ["SKHDT"]
    assert tasks["2"].deadline_kind == "recurring" and tasks["2"].recurrence == "monthly"
    assert (
        tasks["1"].assignments.count() == Agency.objects.filter(kind__in=["department", "district"]).count()
    )
    # The services wrote the history: the directive's creation and one "created" per assignment.
    assert DirectiveEvent.objects.filter(directive=directive, kind="created").count() == 1
    assert (
        TaskEvent.objects.filter(task__directive=directive, kind="created").count()
        == Assignment.objects.filter(task__directive=directive).count()
    )
    draft.refresh_from_db()
    assert (draft.state, draft.directive_id) == (Draft.State.CONFIRMED, directive.pk)
    # The directive's page: "Thêm nhiệm vụ" and its task list.
    page = client.get(directive.get_absolute_url()).content.decode()
    assert "Thêm nhiệm vụ" in page and "3 nhiệm vụ" in page


def test_a_task_the_services_refuse_rolls_everything_back_and_names_the_task(client, people):
    draft = paste(office(client, people))
    draft.tasks.exclude(clause__in=["1", "2", "3"]).delete()
    draft.tasks.get(clause="3").leads.clear()
    response = client.post(reverse("intake-confirm", args=[draft.pk]), follow=True)
    assert "Nhiệm vụ 3 (mục 3): Chưa chọn cơ quan chủ trì." in response.content.decode()
    assert not Directive.objects.filter(number="5123/UBND-XDHT").exists()
    assert not Task.objects.filter(text__contains="điều chuyển vốn").exists()
    draft.refresh_from_db()
    assert draft.state == Draft.State.REVIEW


def test_a_number_already_registered_is_refused(client, people):
    draft = paste(office(client, people))
    Directive.objects.create(
        reference="5123/UBND-XDHT", number="5123/UBND-XDHT", type="cong_van", summary="x"
    )
    response = client.post(reverse("intake-confirm", args=[draft.pk]), follow=True)
    assert "Đã có văn bản số 5123/UBND-XDHT." in response.content.decode()
    assert Directive.objects.filter(number="5123/UBND-XDHT").count() == 1


def test_bad_task_input_is_told_and_changes_nothing(client, people):
    draft = paste(office(client, people))
    task = draft.tasks.get(clause="3")
    url = reverse("intake-task", args=[task.pk])
    for changes, message in [
        ({"deadline": "31/02/2023"}, "Ngày “31/02/2023” không hợp lệ"),
        ({"deadline_kind": "recurring", "recurrence": ""}, "Nhiệm vụ định kỳ cần chọn chu kỳ."),
        ({"leads": ["99999999"]}, "Cơ quan “99999999” không có trong danh sách."),
        ({"leads": ["g:khong-co"]}, "Nhóm cơ quan “khong-co” không có trong danh sách."),
        ({"item": "99999"}, "Số 99.999 nằm ngoài khoảng cho phép"),
    ]:
        response = client.post(url, task_post(task, **changes), **HTMX)
        assert response.status_code == 400, changes
        assert any(message in text for text in alerts(response)), (changes, alerts(response))
    task.refresh_from_db()
    assert task.deadline.isoformat() == "2023-10-15" and [a.code for a in task.leads.all()] == ["SKHDT"]


def test_a_typed_date_is_kept_when_the_kind_is_left_at_its_default(client, people):
    draft = paste(office(client, people))
    task = draft.tasks.get(clause="1")
    response = client.post(
        reverse("intake-task", args=[task.pk]), task_post(task, deadline_kind="none", deadline="31/10/2023")
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.deadline_kind, task.deadline.isoformat()) == ("date", "2023-10-31")


def test_add_and_remove_tasks_and_edit_the_directive_fields(client, people):
    draft = paste(office(client, people))
    count = draft.tasks.count()
    response = client.post(reverse("intake-add-task", args=[draft.pk]))
    new = draft.tasks.latest("id")
    assert response["Location"] == reverse("intake-task", args=[new.pk])
    client.post(reverse("intake-delete-task", args=[new.pk]))
    assert draft.tasks.count() == count
    draft.refresh_from_db()
    response = client.post(
        reverse("intake-directive", args=[draft.pk]),
        {
            "type": "cong_van",
            "number": "5124/UBND-XDHT",
            "issue_date": "09/09/2023",
            "summary": "Sửa trích yếu",
            "version": draft.version,
        },
        **HTMX,
    )
    assert response.status_code == 200, alerts(response)
    draft.refresh_from_db()
    assert (draft.number, draft.issue_date.isoformat(), draft.summary) == (
        "5124/UBND-XDHT",
        "2023-09-09",
        "Sửa trích yếu",
    )
    stale = client.post(
        reverse("intake-directive", args=[draft.pk]),
        {"type": "cong_van", "number": "X", "summary": "Y", "version": draft.version - 1},
        **HTMX,
    )
    assert stale.status_code == 409
    draft.refresh_from_db()
    assert draft.number == "5124/UBND-XDHT"


def test_a_confirmed_draft_cannot_be_changed(client, people):
    draft = paste(office(client, people))
    draft.tasks.exclude(clause__in=["1", "2", "3"]).delete()
    client.post(reverse("intake-confirm", args=[draft.pk]))
    task = draft.tasks.get(clause="3")
    response = client.post(reverse("intake-task", args=[task.pk]), task_post(task, text="Khác"), **HTMX)
    assert response.status_code == 400
    assert "đã được xác nhận" in " ".join(alerts(response))
    again = client.post(reverse("intake-confirm", args=[draft.pk]), follow=True)
    assert Directive.objects.filter(number="5123/UBND-XDHT").count() == 1
    assert again.status_code == 200


# --- Who may -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "lead_officer", "unrelated_officer"])
def test_only_the_office_imports_and_confirms(client, people, who):
    draft = paste(office(client, people))
    task = draft.tasks.get(clause="3")
    client.force_login(people[who])
    before = (Draft.objects.count(), DraftTask.objects.count(), Directive.objects.count())
    for method, url, data in [
        ("get", reverse("intake-home"), {}),
        ("post", reverse("intake-home"), {"text": CONG_VAN}),
        ("get", reverse("intake-review", args=[draft.pk]), {}),
        ("post", reverse("intake-task", args=[task.pk]), task_post(task, text="Đổi")),
        ("post", reverse("intake-add-task", args=[draft.pk]), {}),
        ("post", reverse("intake-delete-task", args=[task.pk]), {}),
        ("post", reverse("intake-confirm", args=[draft.pk]), {}),
        ("post", reverse("intake-discard", args=[draft.pk]), {}),
    ]:
        assert getattr(client, method)(url, data).status_code == 403, url
    assert (Draft.objects.count(), DraftTask.objects.count(), Directive.objects.count()) == before
    task.refresh_from_db()
    assert task.text != "Đổi"


def test_the_admin_may(client, people):
    client.force_login(people["admin"])
    assert client.get(reverse("intake-home")).status_code == 200


def test_named_groups_are_seeded(db):
    assert list(AgencyGroup.objects.values_list("code", flat=True)) == [
        "so-ban-nganh",
        "ubnd-huyen",
        "trung-uong",
    ]


# --- Query counts ------------------------------------------------------------------------------------


def test_review_and_list_query_counts_do_not_grow_with_tasks(client, people, django_assert_num_queries):
    small = paste(office(client, people))
    programme = Path(__file__).parents[2] / "intake" / "data" / "sources" / "003_c1d37e700e78fe4a.txt"
    big = paste(client, programme.read_text(encoding="utf-8"))
    assert big.tasks.count() > 10 * small.tasks.count()

    def count(url, **extra) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **extra).status_code == 200
        return len(queries)

    assert count(reverse("intake-review", args=[small.pk])) == count(reverse("intake-review", args=[big.pk]))
    # Session, user with their agency, the bell, the heartbeat, the banner; the draft, its tasks and
    # their leads, supports and groups.
    with django_assert_num_queries(10):
        client.get(reverse("intake-review", args=[big.pk]))
    with django_assert_num_queries(6):
        client.get(reverse("intake-home"))
    # The task's form in place: the task and its agencies, the choices, and the named groups (3).
    task = big.tasks.first()
    with django_assert_num_queries(12):
        client.get(reverse("intake-task", args=[task.pk]), **HTMX)


# --- The flow after saving (issue 13, item 9) --------------------------------------------------------


def test_after_saving_a_new_directive_the_clerk_lands_on_its_page(client, people):
    office(client, people)
    url = reverse("directive-create")
    data = {
        "number": "77/UBND-TH",
        "type": "cong_van",
        "issue_date": "20/11/2026",
        "issuer": "UBND tỉnh",
        "summary": "Thử",
    }
    response = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{url}")
    directive = Directive.objects.get(number="77/UBND-TH")
    assert response["HX-Redirect"] == directive.get_absolute_url()
    page = client.get(directive.get_absolute_url()).content.decode()
    assert reverse("task-create", args=[directive.pk]) in page and "Thêm nhiệm vụ" in page


def test_the_task_form_keeps_a_typed_date_when_the_kind_is_left_at_its_default(client, people):
    office(client, people)
    directive = Directive.objects.create(reference="T-9", number="9/UBND", type="cong_van", summary="Thử")
    skhdt = Agency.objects.get(code="SKHDT")
    response = client.post(
        reverse("task-create", args=[directive.pk]),
        {
            "clause": "1",
            "item": "0",
            "text": "Báo cáo",
            "deadline_kind": "none",
            "deadline": "30/11/2026",
            "leads": [skhdt.pk],
            "supporters": ["g:trung-uong"],
        },
    )
    assert response.status_code == 302, alerts(response)
    task = directive.tasks.get()
    assert (task.deadline_kind, task.deadline.isoformat()) == ("date", "2026-11-30")
    assert set(task.supporting_agencies.values_list("kind", flat=True)) == {"central"}
