"""Evidence files: stored under random names, downloaded only through the checked view.

Anonymous users and guessed URLs never get the bytes; a signed-in reader gets the file under the
name they gave it (RFC 5987 for Vietnamese); X-Accel-Redirect mode hands the file to the proxy;
file names of any length are kept (shortened, extension kept) and never fail the upload.
"""

import datetime
import importlib
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, clear_url_caches, resolve, reverse

from core.uploads import ORIGINAL_NAME_MAX, backfill_original_names, clean_original_name
from directives.models import Directive
from targets.models import Actual, Target
from targets.services import report_actual
from tracking import services
from tracking.models import Contribution, ProgressReport
from tracking.permissions import Action, can

from ..conftest import TODAY
from ..workflow import office_task

pytestmark = pytest.mark.usefixtures("frozen")

VIETNAMESE_NAME = "Báo cáo tiến độ quý IV – Sở Kế hoạch và Đầu tư.pdf"
CONTENT = b"%PDF-1.4\n% bang chung cua tinh Ca Mau\n%%EOF\n"
STORED = re.compile(r"[a-z]+/2026/(11/)?[0-9a-f]{32}\.pdf")


def pdf(name=VIETNAMESE_NAME, content=CONTENT):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FILES_X_ACCEL_REDIRECT = ""
    return tmp_path


def contribution(people):
    task, _a = office_task(people["office"])
    return services.add_contribution(people["other_officer"], task, text="Phối hợp", file=pdf())


def actual(people):
    load_targets()
    target = Target.objects.get(code="2023-GIAI-NGAN")
    return report_actual(
        people["lead_officer"], target, datetime.date(2023, 1, 31), Decimal("3.5"), file=pdf(), today=TODAY
    )


def directive(people):
    return services.save_directive(
        people["office"], None, number="", type="ke_hoach", summary="Kế hoạch thử", file=pdf()
    )


def load_targets():
    from intake.loading.targets import load_targets as load

    load()


def report_row(people):
    """A progress report of SKHDT with a file, written through the service as the page does."""
    _task, assignment = office_task(people["office"])
    return services.record_progress(
        people["lead_officer"], assignment, version=0, reported_on=TODAY, percent=40, text="x", file=pdf()
    )


@pytest.fixture
def report(people):
    return report_row(people)


# kind in the URL -> (how a row with a file is made, the page that links to it)
KINDS = {
    "report": (report_row, lambda row: reverse("task-detail", args=[row.assignment.task_id])),
    "contribution": (contribution, lambda row: reverse("task-detail", args=[row.task_id])),
    "target": (actual, lambda row: reverse("target-detail", args=[row.target_id])),
    "directive": (directive, lambda row: reverse("directive-detail", args=[row.pk])),
}


def url(kind, pk):
    return reverse("file-download", args=[kind, pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- storage --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_files_are_stored_under_random_names_and_keep_the_users_name(people, media, kind):
    row = KINDS[kind][0](people)
    assert STORED.fullmatch(row.file.name), row.file.name
    assert row.original_name == VIETNAMESE_NAME
    assert (media / row.file.name).read_bytes() == CONTENT
    assert not any("Báo cáo" in path.name for path in media.rglob("*"))


def test_two_uploads_of_the_same_name_get_different_stored_names(people, report):
    again = services.record_progress(
        people["lead_officer"],
        report.assignment,
        version=1,
        reported_on=TODAY,
        percent=50,
        text="y",
        file=pdf(),
    )
    assert again.file.name != report.file.name and again.original_name == report.original_name


# --- downloads ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", ["office", "leader", "lead_officer", "unrelated_officer", "admin"])
def test_a_signed_in_reader_gets_the_file_under_its_vietnamese_name(client, people, kind, who):
    row = KINDS[kind][0](people)
    client.force_login(people[who])
    response = client.get(url(kind, row.pk))
    assert response.status_code == 200
    assert body(response) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(VIETNAMESE_NAME)}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Accel-Redirect" not in response


def test_an_ascii_name_is_sent_as_a_plain_filename(client, people):
    _task, assignment = office_task(people["office"])
    row = services.record_progress(
        people["lead_officer"],
        assignment,
        version=0,
        reported_on=TODAY,
        percent=1,
        text="x",
        file=pdf("bc.pdf"),
    )
    client.force_login(people["office"])
    assert client.get(url("report", row.pk))["Content-Disposition"] == 'attachment; filename="bc.pdf"'


@pytest.mark.parametrize("kind", KINDS)
def test_the_pages_link_the_checked_view_and_never_media(client, people, kind):
    make, page = KINDS[kind]
    row = make(people)
    client.force_login(people["unrelated_officer"])
    html = client.get(page(row)).content.decode()
    assert f'href="{url(kind, row.pk)}"' in html
    assert "Báo cáo tiến độ quý IV" in html  # the link shows the user's name
    assert "/media/" not in html and row.file.name not in html


def test_the_review_queue_links_the_proposal_file(client, people):
    _task, assignment = office_task(people["office"])
    row = services.propose_completion(
        people["lead_officer"], assignment, version=0, delivered_on=TODAY, text="Xong", file=pdf()
    )
    client.force_login(people["office"])
    html = client.get(reverse("review")).content.decode()
    assert f'href="{url("report", row.pk)}"' in html and "/media/" not in html


def test_the_directive_form_shows_the_current_file_by_its_name(client, people):
    row = directive(people)
    client.force_login(people["office"])
    html = client.get(reverse("directive-edit", args=[row.pk])).content.decode()
    assert f'href="{url("directive", row.pk)}"' in html and VIETNAMESE_NAME in html
    assert row.file.name not in html


def test_the_admin_links_the_checked_view(client, people, report):
    client.force_login(people["admin"])
    html = client.get(reverse("admin:tracking_progressreport_change", args=[report.pk])).content.decode()
    assert f'href="{url("report", report.pk)}"' in html and "/media/" not in html


@pytest.mark.parametrize("kind", KINDS)
def test_the_download_takes_a_fixed_number_of_queries(client, people, kind):
    row = KINDS[kind][0](people)
    client.force_login(people["office"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(kind, row.pk))
    assert response.status_code == 200
    # The session, its user, the row with what it belongs to.
    assert len(queries) == 3, [q["sql"] for q in queries]


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "head"])
def test_anonymous_users_are_sent_to_sign_in_and_never_get_the_bytes(client, report, method):
    target = url("report", report.pk)
    response = getattr(client, method)(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(target)}"
    assert CONTENT not in response.content and "Content-Disposition" not in response


def test_anonymous_users_get_nothing_in_x_accel_mode_either(client, report, settings):
    settings.FILES_X_ACCEL_REDIRECT = "/protected-files/"
    response = client.get(url("report", report.pk))
    assert response.status_code == 302 and "X-Accel-Redirect" not in response


@pytest.mark.parametrize("signed_in", [False, True])
def test_guessed_media_urls_never_get_the_file(client, people, report, signed_in):
    if signed_in:
        client.force_login(people["office"])
    guesses = [
        f"/media/{report.file.name}",
        f"/media/{quote(VIETNAMESE_NAME)}",
        f"/media/reports/2026/11/{quote(VIETNAMESE_NAME)}",
        f"/{report.file.name}",
        f"/files/{report.file.name}",
    ]
    for guess in guesses:
        response = client.get(guess)
        assert response.status_code == 404, guess
        assert CONTENT not in response.content


def test_there_is_no_media_route_even_in_debug(settings):
    import camau_tasks.urls

    settings.DEBUG = True
    try:
        clear_url_caches()
        importlib.reload(camau_tasks.urls)
        with pytest.raises(Resolver404):
            resolve("/media/reports/2026/11/x.pdf")
    finally:
        settings.DEBUG = False
        importlib.reload(camau_tasks.urls)
        clear_url_caches()


def test_other_ids_and_kinds_never_get_the_file(client, people, report):
    _task, assignment = office_task(people["office"], lead="STC")
    without_file = services.record_progress(
        people["other_officer"], assignment, version=0, reported_on=TODAY, percent=5, text="không tệp"
    )
    client.force_login(people["office"])
    for path in [
        url("report", report.pk + 1000),
        url("report", without_file.pk),  # exists, has no file
        url("contribution", report.pk),
        url("target", report.pk),
        url("directive", report.pk),
        url("reports", report.pk),
        url("file", report.pk),
        f"/files/report/{2**63}/",
        f"/files/report/{10**30}/",
        "/files/report/0/",
        "/files/report/-1/",
        f"/files/report/{report.pk}/../../{report.file.name}",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert CONTENT not in body(response), path


def test_a_row_whose_file_is_missing_on_disk_is_a_404(client, people, report, media):
    (media / report.file.name).unlink()
    client.force_login(people["office"])
    assert client.get(url("report", report.pk)).status_code == 404


def test_an_inactive_user_gets_nothing(client, people, report, settings):
    user = people["lead_officer"]
    client.force_login(user)
    user.is_active = False
    user.save()
    # Django's usual backend signs the session out: back to the sign-in page.
    response = client.get(url("report", report.pk))
    assert response.status_code == 302 and CONTENT not in response.content
    # Even a backend that keeps inactive users signed in meets the permission check: 403.
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    client.force_login(user)
    response = client.get(url("report", report.pk))
    assert response.status_code == 403 and CONTENT not in response.content
    assert not can(user, Action.READ, report.assignment.task)


def test_only_get_and_head_are_answered(client, people, report):
    client.force_login(people["office"])
    assert client.post(url("report", report.pk)).status_code == 405
    head = client.head(url("report", report.pk))
    assert head.status_code == 200 and head["Content-Disposition"].startswith("attachment;")


# --- X-Accel-Redirect -----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["/protected-files/", "/protected-files", "protected-files"])
def test_x_accel_mode_answers_the_header_and_no_body(client, people, report, prefix, monkeypatch):
    monkeypatch.setenv("FILES_X_ACCEL_REDIRECT", prefix)
    import camau_tasks.settings

    try:
        importlib.reload(camau_tasks.settings)
        normalised = camau_tasks.settings.FILES_X_ACCEL_REDIRECT
    finally:
        monkeypatch.delenv("FILES_X_ACCEL_REDIRECT")
        importlib.reload(camau_tasks.settings)
    assert normalised == "/protected-files/"
    from django.conf import settings

    settings.FILES_X_ACCEL_REDIRECT = normalised
    client.force_login(people["office"])
    response = client.get(url("report", report.pk))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-files/{report.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(VIETNAMESE_NAME)}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_x_accel_mode_quotes_an_old_non_ascii_stored_name(client, people, report, media, settings):
    old = "reports/2023/05/Báo cáo cũ.pdf"
    (media / old).parent.mkdir(parents=True)
    (media / old).write_bytes(CONTENT)
    ProgressReport.objects.filter(pk=report.pk).update(file=old, original_name="Báo cáo cũ.pdf")
    settings.FILES_X_ACCEL_REDIRECT = "/protected-files/"
    client.force_login(people["office"])
    response = client.get(url("report", report.pk))
    assert (
        response["X-Accel-Redirect"] == "/protected-files/reports/2023/05/B%C3%A1o%20c%C3%A1o%20c%C5%A9.pdf"
    )


# --- names ----------------------------------------------------------------------------------------

LONG_NAMES = {
    "ascii": "a" * 300 + ".pdf",
    "vietnamese": "Báo cáo kết quả thực hiện nhiệm vụ " * 10 + ".pdf",
    "dotted": "Quyết định số 12.2023 về việc " * 12 + ".pdf",  # Django's own storage failed on these
    "emoji": "😀" * 200 + ".pdf",
}


@pytest.mark.parametrize("name", LONG_NAMES.values(), ids=LONG_NAMES.keys())
def test_an_over_long_name_is_shortened_keeping_its_extension(client, people, name):
    assert len(name.encode()) > 255
    _task, assignment = office_task(people["office"])
    client.force_login(people["lead_officer"])
    response = client.post(
        reverse("report-progress", args=[assignment.pk]),
        {"version": 0, "reported_on": "22/11/2026", "percent": "45", "text": "x", "file": pdf(name)},
    )
    assert response.status_code == 302
    row = ProgressReport.objects.get(assignment=assignment)
    assert STORED.fullmatch(row.file.name)
    assert len(row.original_name) <= ORIGINAL_NAME_MAX and row.original_name.endswith(".pdf")
    assert name.startswith(row.original_name[:-4].rstrip())
    download = client.get(url("report", row.pk))
    assert download.status_code == 200 and body(download) == CONTENT
    disposition = download["Content-Disposition"]
    assert disposition.endswith((f"''{quote(row.original_name)}", f'"{row.original_name}"')), disposition


@pytest.mark.parametrize("name", LONG_NAMES.values(), ids=LONG_NAMES.keys())
def test_over_long_names_pass_the_other_forms_too(client, people, name):
    task, _a = office_task(people["office"])
    client.force_login(people["other_officer"])
    response = client.post(reverse("contribute", args=[task.pk]), {"text": "Phối hợp", "file": pdf(name)})
    assert response.status_code == 302
    assert Contribution.objects.get(task=task).original_name.endswith(".pdf")
    client.force_login(people["office"])
    response = client.post(
        reverse("directive-create"),
        {"type": "ke_hoach", "issuer": "UBND tỉnh", "summary": "Kế hoạch dài", "file": pdf(name)},
    )
    assert response.status_code == 302, re.findall(
        r"<(?:p|li|div)[^>]*(?:error|alert)[^>]*>.*?</", response.content.decode()
    )
    assert Directive.objects.get(summary="Kế hoạch dài").original_name.endswith(".pdf")
    load_targets()
    target = Target.objects.get(code="2023-GIAI-NGAN")
    client.force_login(people["lead_officer"])
    response = client.post(
        reverse("target-report", args=[target.pk]),
        {"period": "2023-01-31", "value": "3,5", "file": pdf(name)},
    )
    assert response.status_code == 303, response.status_code
    assert Actual.objects.get(target=target, period_end=datetime.date(2023, 1, 31)).original_name.endswith(
        ".pdf"
    )


@pytest.mark.parametrize(
    "given, kept",
    [
        ("C:\\Users\\cb\\Báo cáo.pdf", "Báo cáo.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("Ba\u0301o ca\u0301o.pdf", "Báo cáo.pdf"),  # decomposed (macOS) -> composed
        ("bao\x00cao\r\n.pdf", "baocao.pdf"),
        ("hoa-don\u202efdp.exe", "hoa-donfdp.exe"),  # no right-to-left override
        ("x" * 300, "x" * 255),  # no extension: cut
        ("x" * 300 + ".khong-phai-phan-mo-rong", "x" * 255),
    ],
)
def test_original_names_are_cleaned(given, kept):
    assert clean_original_name(given) == kept


def test_rows_from_before_get_their_stored_basename(people, report):
    ProgressReport.objects.filter(pk=report.pk).update(
        file="reports/2023/05/bao-cao_aB3dE9x.pdf", original_name=""
    )
    from django.apps import apps

    backfill_original_names("tracking.ProgressReport", "tracking.Contribution")(apps, None)
    assert ProgressReport.objects.get(pk=report.pk).original_name == "bao-cao_aB3dE9x.pdf"


def test_clearing_a_directives_file_clears_its_name(people):
    row = directive(people)
    services.save_directive(people["office"], row, file=False)
    row.refresh_from_db()
    assert not row.file and row.original_name == ""
