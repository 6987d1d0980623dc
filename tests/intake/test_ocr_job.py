"""A scan uploaded by the office is queued; the OCR job (intake/jobs.py) claims it, reads it page by page
with its progress on the row, and leaves a draft to review. Without Tesseract the office is told at once."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from intake import jobs, services
from intake.models import Draft
from intake.parsing.readers import ocr_available

from .test_readers import scanned_pdf_bytes

pytestmark = pytest.mark.usefixtures("frozen")


def upload_scan(client, people):
    client.force_login(people["office"])
    scan = SimpleUploadedFile("ban-quet.pdf", scanned_pdf_bytes(), content_type="application/pdf")
    return client.post(reverse("intake-home"), {"file": scan})


@pytest.mark.skipif(not ocr_available(), reason="ocrmypdf and Tesseract 'vie' are not installed")
def test_a_scan_is_queued_then_read_by_the_job_with_its_progress_shown(client, people):
    response = upload_scan(client, people)
    draft = Draft.objects.get()
    assert response["Location"] == reverse("intake-review", args=[draft.pk])
    assert draft.state == Draft.State.QUEUED and draft.tasks.count() == 0
    page = client.get(reverse("intake-review", args=[draft.pk])).content.decode()
    assert "Chờ nhận dạng chữ" in page and 'hx-trigger="every 2s"' in page
    poll = client.get(reverse("intake-progress", args=[draft.pk]), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "<progress" in poll.content.decode()

    assert jobs.read_queued_scans(timezone.now()) == 1
    draft.refresh_from_db()
    assert (draft.state, draft.progress, draft.number) == (Draft.State.REVIEW, 100, "3456/UBND-XD")
    assert draft.tasks.filter(leads__code="SKHDT").exists()
    # The page polling it reloads into the review; a second run finds nothing to do.
    poll = client.get(reverse("intake-progress", args=[draft.pk]), HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"
    assert jobs.read_queued_scans(timezone.now()) == 0


def test_a_claim_is_taken_once_and_a_dead_workers_claim_is_taken_over(people, monkeypatch):
    monkeypatch.setattr(services, "ocr_available", lambda: True)
    draft = services.start_draft(
        people["office"], upload=SimpleUploadedFile("ban-quet.pdf", scanned_pdf_bytes())
    )
    now = timezone.now()
    assert jobs._claim(now).pk == draft.pk
    assert jobs._claim(now) is None  # claimed: a redelivered message does nothing
    later = now + datetime.timedelta(seconds=jobs.OCR_CLAIM_SECONDS + 1)
    assert jobs._claim(later).pk == draft.pk  # the first worker died: taken over


def test_an_unreadable_scan_ends_with_a_message(people, monkeypatch):
    monkeypatch.setattr(services, "ocr_available", lambda: True)
    monkeypatch.setattr(jobs, "recognise", lambda draft: "   ")
    draft = services.start_draft(
        people["office"], upload=SimpleUploadedFile("ban-quet.pdf", scanned_pdf_bytes())
    )
    assert jobs.read_queued_scans(timezone.now()) == 1
    draft.refresh_from_db()
    assert draft.state == Draft.State.FAILED
    assert draft.message == "Nhận dạng chữ không tìm thấy nội dung nào trong tệp."


def test_without_tesseract_the_office_is_told_at_once(client, people, monkeypatch):
    monkeypatch.setattr(services, "ocr_available", lambda: False)
    response = upload_scan(client, people)
    assert response.status_code == 400
    assert "chưa cài nhận dạng chữ tiếng Việt" in response.content.decode()
    assert not Draft.objects.exists()
